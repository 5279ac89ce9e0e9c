package chatgate.xmpp;

import java.time.Duration;

/**
 * The XMPP server the gateway logs phones in to ({@code [xmpp]}).
 *
 * @param tls {@code required}, {@code opportunistic} or {@code disabled}
 * @param maxConcurrentLogins logins in progress at once; more wait, then get "unavailable"
 * @param loginsPerSecond new logins started per second (a server counts them per source address)
 * @param resumeWindow how long a dropped session is tried again before the phone is told
 */
public record XmppSettings(
    String host,
    int port,
    String domain,
    String tls,
    Duration loginTimeout,
    int maxConcurrentLogins,
    int loginsPerSecond,
    Duration resumeWindow) {

  public static XmppSettings of(String host, int port, String domain, String tls) {
    return new XmppSettings(host, port, domain, tls, Duration.ofSeconds(15), 16, 20, Duration.ofSeconds(30));
  }
}
