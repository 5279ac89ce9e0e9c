package chatgate.xmpp;

import chatgate.core.port.ImPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.chat2.ChatManager;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.RosterListener;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.receipts.DeliveryReceiptRequest;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IM port on XMPP (Smack 4.4 {@link XMPPTCPConnection}): one client connection per phone's
 * login. Smack's TCP connection runs a reader and a writer thread per connection (about two
 * threads and 100 KB per logged-in phone); logins are capped ({@code maxConcurrentLogins}) and
 * paced ({@code loginsPerSecond}), and reconnection uses virtual threads, not Smack's
 * thread-per-connection ReconnectionManager.
 *
 * <p>The password is handed to Smack's connection configuration, which keeps it in memory for the
 * life of the connection so that it can log in again after a drop; chatgate never stores or logs it.
 */
public final class XmppImPort implements ImPort {
  private static final Logger log = LoggerFactory.getLogger(XmppImPort.class);

  private final XmppSettings s;
  private final Semaphore logins;
  /** Sessions open or being opened: at most {@code maxSessions}, so at most twice as many Smack threads. */
  private final Semaphore sessions;
  private final Object pace = new Object();
  private long nextLoginAt;

  private volatile long reachableCheckedAt = System.nanoTime() - REACHABLE_TTL_NANOS - 1;
  private volatile boolean reachable;
  private static final long REACHABLE_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** A TCP connect to the server, at most once per five seconds however often /readyz is asked. */
  @Override
  public boolean reachable() {
    long now = System.nanoTime();
    if (now - reachableCheckedAt > REACHABLE_TTL_NANOS) {
      boolean ok;
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress(s.host(), s.port()), 1000);
        ok = true;
      } catch (java.io.IOException e) {
        ok = false;
      }
      reachable = ok;
      reachableCheckedAt = now;
    }
    return reachable;
  }

  public XmppImPort(XmppSettings settings) {
    this.s = settings;
    this.logins = new Semaphore(settings.maxConcurrentLogins(), true);
    this.sessions = new Semaphore(settings.maxSessions());
  }

  @Override
  public String defaultDomain() {
    return s.domain();
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
      XMPPTCPConnectionConfiguration conf;
      try {
        conf = configuration(jid, c, timeout);
      } catch (XmppStringprepException e) {
        return new LoginResult.BadCredentials();
      }
      XMPPTCPConnection conn = new XMPPTCPConnection(conf);
      conn.setReplyTimeout(timeout.toMillis());
      conn.setUseStreamManagement(true);
      Session session = new Session(jid.asBareJid(), conn, events);
      try {
        conn.connect();
        conn.login();
      } catch (SASLErrorException e) {
        conn.disconnect();
        return new LoginResult.BadCredentials();
      } catch (SmackException | java.io.IOException | XMPPException e) {
        conn.disconnect();
        return new LoginResult.Unavailable(e.getClass().getSimpleName());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        conn.disconnect();
        return new LoginResult.Unavailable("interrupted");
      }
      session.start();
      log.info("xmpp session for {} open", jid.getDomain());
      return new LoginResult.Ok(session);
    } finally {
      logins.release();
    }
  }

  private XMPPTCPConnectionConfiguration configuration(EntityBareJid jid, Credentials c, Duration timeout)
      throws XmppStringprepException {
    return XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain(jid.asDomainBareJid())
        .setHost(s.host())
        .setPort(s.port())
        .setUsernameAndPassword(jid.getLocalpart(), new String(c.password()))
        .setResource("chatgate")
        .setSecurityMode(switch (s.tls()) {
          case "disabled" -> SecurityMode.disabled;
          case "opportunistic" -> SecurityMode.ifpossible;
          default -> SecurityMode.required;
        })
        .setConnectTimeout((int) timeout.toMillis())
        .setSendPresence(true)
        .build();
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
      java.util.concurrent.locks.LockSupport.parkNanos(wait);
    }
  }

  private final class Session implements ImSession, ConnectionListener {
    final BareJid account;
    final XMPPTCPConnection conn;
    final Events events;
    volatile boolean closed;
    volatile boolean reconnecting;
    private final java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
    Roster roster;

    Session(BareJid account, XMPPTCPConnection conn, Events events) {
      this.account = account;
      this.conn = conn;
      this.events = events;
    }

    void start() {
      roster = Roster.getInstanceFor(conn);
      // A contact who adds the phone's account is approved and added back, so presence flows both ways.
      roster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
      roster.addSubscribeListener((from, presence) -> {
        BareJid who = from.asBareJid();
        if (!roster.contains(who)) {
          Thread.ofVirtual().start(() -> {
            try {
              roster.createItemAndRequestSubscription(who, who.getLocalpartOrNull() == null ? who.toString()
                  : who.getLocalpartOrNull().toString(), null);
            } catch (Exception e) {
              log.debug("adding back {}: {}", who, e.toString());
            }
          });
        }
        return org.jivesoftware.smack.roster.SubscribeListener.SubscribeAnswer.Approve;
      });
      roster.addRosterListener(new RosterListener() {
        @Override
        public void entriesAdded(java.util.Collection<Jid> addresses) {}

        @Override
        public void entriesUpdated(java.util.Collection<Jid> addresses) {}

        @Override
        public void entriesDeleted(java.util.Collection<Jid> addresses) {}

        @Override
        public void presenceChanged(Presence presence) {
          if (!closed) {
            events.onPresence(contact(presence.getFrom().asBareJid()));
          }
        }
      });
      ChatManager.getInstanceFor(conn).addIncomingListener((from, message, chat) -> {
        if (!closed && message.getBody() != null) {
          String id = message.getStanzaId() != null ? message.getStanzaId()
              : Integer.toHexString((from + message.getBody()).hashCode());
          events.onMessage(from.asBareJid().toString(), message.getBody(), id);
        }
      });
      conn.addConnectionListener(this);
    }

    private Contact contact(BareJid jid) {
      RosterEntry e = roster.getEntry(jid);
      Presence p = roster.getPresence(jid);
      String name = e != null && e.getName() != null && !e.getName().isBlank() ? e.getName()
          : jid.getLocalpartOrNull() != null ? jid.getLocalpartOrNull().toString() : jid.toString();
      return new Contact(jid.toString(), name, p.isAvailable(), Optional.ofNullable(p.getStatus()));
    }

    @Override
    public String account() {
      return account.toString();
    }

    @Override
    public List<Contact> contacts() {
      List<Contact> out = new ArrayList<>();
      for (RosterEntry e : roster.getEntries()) {
        out.add(contact(e.getJid()));
      }
      out.sort(Comparator.comparing((Contact c) -> !c.online()).thenComparing(Contact::name, String.CASE_INSENSITIVE_ORDER));
      return out;
    }

    @Override
    public CompletionStage<SendResult> send(String to, String text) {
      try {
        EntityBareJid jid = JidCreate.entityBareFrom(to.contains("@") ? to : to + "@" + account.getDomain());
        Message m = conn.getStanzaFactory().buildMessageStanza().to(jid).ofType(Message.Type.chat).setBody(text)
            .addExtension(new DeliveryReceiptRequest()).build();
        if (conn.isSmEnabled()) {
          // Sent once the server has acknowledged it (XEP-0198): only then is the phone's MO answered,
          // so a crash before that leaves it unanswered and the SMSC delivers it again.
          CompletableFuture<SendResult> acked = new CompletableFuture<>();
          String id = m.getStanzaId();
          conn.addStanzaIdAcknowledgedListener(id, s -> acked.complete(new SendResult.Sent(id)));
          acked.completeOnTimeout(new SendResult.Failed("no acknowledgement from the server"), 30,
              java.util.concurrent.TimeUnit.SECONDS)
              .whenComplete((r, e) -> conn.removeStanzaIdAcknowledgedListener(id));
          conn.sendStanza(m);
          conn.requestSmAcknowledgement();
          return acked;
        }
        conn.sendStanza(m);
        return CompletableFuture.completedFuture(new SendResult.Sent(m.getStanzaId()));
      } catch (XmppStringprepException e) {
        return CompletableFuture.completedFuture(new SendResult.Failed("not an address: " + to));
      } catch (SmackException.NotConnectedException e) {
        return CompletableFuture.completedFuture(new SendResult.Failed("not connected"));
      } catch (org.jivesoftware.smack.sm.StreamManagementException.StreamManagementNotEnabledException e) {
        return CompletableFuture.completedFuture(new SendResult.Failed("stream management lost"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CompletableFuture.completedFuture(new SendResult.Failed("interrupted"));
      }
    }

    @Override
    public void logout() {
      closed = true;
      uncount();
      conn.removeConnectionListener(this);
      conn.disconnect();
    }

    @Override
    public void connectionClosedOnError(Exception e) {
      if (closed || reconnecting) {
        return;
      }
      reconnecting = true;
      Thread.ofVirtual().name("xmpp-reconnect").start(() -> reconnect(e.toString()));
    }

    /** Tries to log in again (resuming the stream where the server allows) until the window closes. */
    private void reconnect(String why) {
      long until = System.nanoTime() + s.resumeWindow().toNanos();
      long wait = 500;
      while (!closed && System.nanoTime() < until) {
        try {
          Thread.sleep(wait);
          conn.connect();
          if (!conn.isAuthenticated()) {
            conn.login();
          }
          reconnecting = false;
          log.info("xmpp session for {} back after: {}", account.getDomain(), why);
          return;
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        } catch (Exception e) {
          conn.disconnect();
          wait = Math.min(wait * 2, 5000);
        }
      }
      reconnecting = false;
      if (!closed) {
        closed = true;
        uncount();
        events.onEnded(why);
      }
    }

    /** This session no longer counts against {@code maxSessions} (once, however it ended). */
    private void uncount() {
      if (counted.compareAndSet(true, false)) {
        sessions.release();
      }
    }

    @Override
    public void connectionClosed() {
      // our own logout, or the server closing the stream cleanly: only the latter ends the session
    }

    @Override
    public void connected(XMPPConnection connection) {}

    @Override
    public void authenticated(XMPPConnection connection, boolean resumed) {}
  }
}
