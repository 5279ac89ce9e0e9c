package chatgate.xmpp;

import java.time.Duration;
import java.util.List;

/**
 * The XMPP server the gateway logs phones in to ({@code [xmpp]}).
 *
 * @param tls {@code required}, {@code opportunistic} or {@code disabled} ({@link XmppTls})
 * @param maxConcurrentLogins logins in progress at once; more wait, then get "unavailable"
 * @param loginsPerSecond new logins started per second (a server counts them per source address)
 * @param resumeWindow how long a dropped session is tried again before the phone is told
 * @param maxSessions sessions open at once, at most: Smack's TCP connection holds two threads and a
 *     socket each, so this bounds the adapter's threads; a login beyond it is told "unavailable"
 * @param caFile PEM file of CAs trusted for the server's certificate besides the system's, or empty
 * @param certPins {@code sha256/<base64>} pins of server keys trusted whoever signed them
 */
public record XmppSettings(
    String host,
    int port,
    String domain,
    String tls,
    Duration loginTimeout,
    int maxConcurrentLogins,
    int loginsPerSecond,
    Duration resumeWindow,
    int maxSessions,
    String caFile,
    List<String> certPins) {

  public XmppSettings {
    caFile = caFile == null ? "" : caFile;
    certPins = List.copyOf(certPins);
  }

  /** Without a session cap of its own nor trust settings (tests, and the load harness). */
  public XmppSettings(String host, int port, String domain, String tls, Duration loginTimeout, int maxConcurrentLogins,
      int loginsPerSecond, Duration resumeWindow, int maxSessions) {
    this(host, port, domain, tls, loginTimeout, maxConcurrentLogins, loginsPerSecond, resumeWindow, maxSessions, "",
        List.of());
  }

  /** Without a session cap of its own (tests, and the load harness, which sets its own). */
  public XmppSettings(String host, int port, String domain, String tls, Duration loginTimeout, int maxConcurrentLogins,
      int loginsPerSecond, Duration resumeWindow) {
    this(host, port, domain, tls, loginTimeout, maxConcurrentLogins, loginsPerSecond, resumeWindow, Integer.MAX_VALUE);
  }

  public static XmppSettings of(String host, int port, String domain, String tls) {
    return new XmppSettings(host, port, domain, tls, Duration.ofSeconds(15), 16, 20, Duration.ofSeconds(30), 10_000);
  }

  public XmppSettings withMaxSessions(int max) {
    return new XmppSettings(host, port, domain, tls, loginTimeout, maxConcurrentLogins, loginsPerSecond, resumeWindow, max,
        caFile, certPins);
  }

  public XmppSettings withLoginsPerSecond(int perSecond) {
    return new XmppSettings(host, port, domain, tls, loginTimeout, maxConcurrentLogins, perSecond, resumeWindow,
        maxSessions, caFile, certPins);
  }

  /** Trusts the CAs in {@code caFile} (empty: none) and keys with these pins, besides the system's CAs. */
  public XmppSettings withTrust(String caFile, List<String> certPins) {
    return new XmppSettings(host, port, domain, tls, loginTimeout, maxConcurrentLogins, loginsPerSecond, resumeWindow,
        maxSessions, caFile, certPins);
  }
}
