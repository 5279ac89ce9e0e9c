package chatgate.core.model;

/**
 * What the gateway knows of a user right now (P2.8, P2.13).
 *
 * @param online logged in on a page (or the phone announced itself) and not idle for long
 * @param browsing fetched a page or held an event stream within {@code wap_idle} (P2.4)
 * @param streaming holds an open event stream now
 */
public record Presence(boolean online, boolean browsing, boolean streaming) {
  public static final Presence OFFLINE = new Presence(false, false, false);
}
