package chatgate.web.view;

import java.util.Optional;

/**
 * What every page shows around its content.
 *
 * @param me who is logged in (label), if anyone
 * @param csrf the form token for this viewer
 * @param refresh set when the page reloads itself (pages without script, P2.4)
 * @param error a problem with what was just submitted, in the page's language
 * @param notice a confirmation to show
 */
public record Common(
    T t, String title, Optional<String> me, String csrf, Optional<Refresh> refresh, Optional<String> error,
    Optional<String> notice) {

  /** Auto-reload: every {@code seconds} to {@code url}; {@code toggleUrl} switches it off or on. */
  public record Refresh(int seconds, String url, boolean on, String toggleUrl) {}
}
