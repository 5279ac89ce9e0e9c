package chatgate.xmpp;

import chatgate.core.port.ImPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IM port on XMPP (Smack 4.4 {@link XMPPTCPConnection}): one client connection per phone's
 * login ({@link XmppSession}), secured as {@link XmppTls} says. Smack's TCP connection runs a
 * reader and a writer thread per connection (about two threads and 100 KB per logged-in phone);
 * logins are capped ({@code maxConcurrentLogins}) and paced ({@code loginsPerSecond}), and
 * reconnection uses virtual threads, not Smack's thread-per-connection ReconnectionManager.
 *
 * <p>The password is handed to Smack's connection configuration, which keeps it in memory for the
 * life of the connection so that it can log in again after a drop; chatgate never stores or logs it.
 */
public final class XmppImPort implements ImPort {
  private static final Logger log = LoggerFactory.getLogger(XmppImPort.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long PROBE_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final XmppSettings s;
  private final XmppTls tls;
  private final Semaphore logins;
  /** Sessions open or being opened: at most {@code maxSessions}, so at most twice as many Smack threads. */
  private final Semaphore sessions;
  private final Object pace = new Object();
  private long nextLoginAt;

  /** What the last connection (login or probe) found: null when it worked, else why it did not. */
  private volatile String problem;
  /** The last TLS outcome logged, so that a failure is logged once, not at every login. */
  private volatile String tlsLogged = "";
  private volatile long probedAt = System.nanoTime() - PROBE_TTL_NANOS - 1;
  private volatile boolean reachable;

  /** @throws IllegalArgumentException when {@code [xmpp] ca_file} cannot be read */
  public XmppImPort(XmppSettings settings) {
    this.s = settings;
    this.tls = XmppTls.of(settings.tls(), settings.caFile(), settings.certPins());
    this.logins = new Semaphore(settings.maxConcurrentLogins(), true);
    this.sessions = new Semaphore(settings.maxSessions());
  }

  @Override
  public String defaultDomain() {
    return s.domain();
  }

  /**
   * The server accepts a connection, secured as configured: with TLS, a connect up to the
   * handshake and certificate check (no login), else a TCP connect; at most one probe per five
   * seconds however often /readyz is asked.
   */
  @Override
  public boolean reachable() {
    long now = System.nanoTime();
    if (now - probedAt > PROBE_TTL_NANOS) {
      synchronized (this) {
        if (now - probedAt > PROBE_TTL_NANOS) {
          reachable = tls.mode() == XmppTls.Mode.DISABLED ? tcpConnect() : tlsProbe();
          probedAt = System.nanoTime();
        }
      }
    }
    return reachable;
  }

  /** Why the server is not usable, when the last probe or login found a TLS failure (for /readyz). */
  public Optional<String> problem() {
    reachable();
    return Optional.ofNullable(problem);
  }

  private boolean tcpConnect() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(s.host(), s.port()), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean tlsProbe() {
    XMPPTCPConnectionConfiguration.Builder b;
    try {
      b = XMPPTCPConnectionConfiguration.builder().setXmppDomain(JidCreate.domainBareFrom(s.domain()))
          .setHost(s.host()).setPort(s.port()).setConnectTimeout(2000).setSendPresence(false);
    } catch (XmppStringprepException e) {
      problem = "domain: " + e.getMessage();
      return false;
    }
    XmppTls.Check check = tls.configure(b);
    XMPPTCPConnection conn = new XMPPTCPConnection(b.build());
    conn.setReplyTimeout(3000);
    try {
      conn.connect();
      noteTls(check, null);
      return true;
    } catch (SmackException | IOException | XMPPException e) {
      noteTls(check, e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      conn.disconnect();
    }
  }

  /**
   * Records how TLS went on one connection: a failure (returned, and logged in one WARN line the
   * first time it differs from the last) or success (clearing the failure). {@code e} null: the
   * connection worked.
   */
  private XmppTls.Failure noteTls(XmppTls.Check check, Exception e) {
    XmppTls.Failure f = e == null ? null : check.failure(e);
    String where = s.host() + ":" + s.port();
    if (f != null) {
      problem = "TLS: " + f.cause;
      String detail = f == XmppTls.Failure.HANDSHAKE_FAILED ? " (" + rootMessage(e) + ")" : "";
      String key = "fail:" + f + detail;
      if (!key.equals(tlsLogged)) {
        tlsLogged = key;
        log.warn("xmpp: TLS with {} failed: {}{}{}: {}", where, f.cause, detail,
            check.serverPin().isEmpty() ? "" : " (server key " + check.serverPin() + ")", f.remedy);
      }
      return f;
    }
    if (e != null) {
      problem = null; // not TLS: the server is down or did not answer; /readyz says "xmpp down"
      return null;
    }
    problem = null;
    String key = check.unverified() != null ? "unverified:" + check.unverified()
        : check.authenticated() != null ? "ok:" + check.authenticated() : "plain";
    if (!key.equals(tlsLogged)) {
      boolean first = tlsLogged.isEmpty();
      tlsLogged = key;
      if (check.unverified() != null) {
        log.warn("xmpp: TLS with {} encrypts but does not authenticate the server ({}, tls = \"opportunistic\"):"
            + " set [xmpp] ca_file or cert_pins and tls = \"required\" to authenticate it (server key {})", where,
            check.unverified(), check.serverPin());
      } else if (check.authenticated() != null) {
        log.info("xmpp: TLS with {} {}: server authenticated by its {}", where, first ? "up" : "works again",
            check.authenticated());
      } else if (tls.mode() == XmppTls.Mode.OPPORTUNISTIC) {
        log.warn("xmpp: {} offers no STARTTLS: plain connection (tls = \"opportunistic\")", where);
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public CompletionStage<LoginResult> login(Credentials c, Events events, Duration timeout) {
    CompletableFuture<LoginResult> result = new CompletableFuture<>();
    Thread.ofVirtual().name("xmpp-login").start(() -> {
      LoginResult r = loginNow(c, events, timeout);
      if (!result.complete(r) && r instanceof LoginResult.Ok late) {
        // The phone was already told the login timed out: a session it does not know of would
        // only hold a place (and two threads) until the server dropped it.
        late.session().logout();
      }
    });
    return result.completeOnTimeout(new LoginResult.Unavailable("login timed out"), timeout.toMillis() + 1000,
        TimeUnit.MILLISECONDS);
  }

  private LoginResult loginNow(Credentials c, Events events, Duration timeout) {
    EntityBareJid jid;
    try {
      String a = c.account().strip().toLowerCase(Locale.ROOT);
      jid = JidCreate.entityBareFrom(a.contains("@") ? a : a + "@" + s.domain());
    } catch (XmppStringprepException | IllegalArgumentException e) {
      return new LoginResult.BadCredentials();
    }
    if (!sessions.tryAcquire()) {
      log.warn("xmpp: {} sessions open, the most [xmpp] max_sessions allows: login refused", s.maxSessions());
      return new LoginResult.Unavailable(LoginResult.Unavailable.SESSION_LIMIT);
    }
    LoginResult result = loginCapped(jid, c, events, timeout);
    if (!(result instanceof LoginResult.Ok)) {
      sessions.release();
    }
    return result;
  }

  private LoginResult loginCapped(EntityBareJid jid, Credentials c, Events events, Duration timeout) {
    try {
      if (!logins.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return new LoginResult.Unavailable("too many logins in progress");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new LoginResult.Unavailable("interrupted");
    }
    try {
      pace();
      String resource = newResource();
      XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder();
      XmppTls.Check check = tls.configure(b);
      SocketRecorder sockets = new SocketRecorder();
      try {
        b.setXmppDomain(jid.asDomainBareJid()).setHost(s.host()).setPort(s.port())
            .setUsernameAndPassword(jid.getLocalpart(), new String(c.password())).setResource(resource)
            .setConnectTimeout((int) timeout.toMillis()).setSendPresence(true).setSocketFactory(sockets);
      } catch (XmppStringprepException e) {
        return new LoginResult.BadCredentials();
      }
      XMPPTCPConnection conn = new XMPPTCPConnection(b.build());
      conn.setReplyTimeout(timeout.toMillis());
      conn.setUseStreamManagement(true);
      XmppSession session = new XmppSession(jid.asBareJid(), resource, conn, events, s.resumeWindow(),
          sessions::release, sockets);
      try {
        conn.connect();
        noteTls(check, null);
        conn.login();
      } catch (SASLErrorException e) {
        conn.disconnect();
        return new LoginResult.BadCredentials();
      } catch (SmackException | IOException | XMPPException e) {
        conn.disconnect();
        XmppTls.Failure f = noteTls(check, e);
        // The phone is told "not reachable" either way; the TLS details are for the operator's log.
        return new LoginResult.Unavailable(f != null ? "TLS: " + f.cause : e.getClass().getSimpleName());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        conn.disconnect();
        return new LoginResult.Unavailable("interrupted");
      }
      session.start();
      log.info("xmpp session for {} open{}", jid.getDomain(), conn.isSecureConnection() ? " (TLS)" : "");
      return new LoginResult.Ok(session);
    } finally {
      logins.release();
    }
  }

  /**
   * A resource of the session's own ({@code chatgate-} and 48 random bits): two phones on one
   * account must not bind the same full JID, or the server ends one for the other (RFC 6120
   * §7.7.2.2) and each reconnect ends the other in turn. Contacts see full JIDs, so it is random,
   * not derived from the phone's number.
   */
  static String newResource() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return "chatgate-" + HexFormat.of().formatHex(b);
  }

  /** Spaces logins {@code 1/loginsPerSecond} apart. */
  private void pace() {
    long wait;
    synchronized (pace) {
      long now = System.nanoTime();
      long at = Math.max(now, nextLoginAt);
      nextLoginAt = at + 1_000_000_000L / Math.max(1, s.loginsPerSecond());
      wait = at - now;
    }
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
