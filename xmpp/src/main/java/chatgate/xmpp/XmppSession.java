package chatgate.xmpp;

import chatgate.core.port.ImPort.Archived;
import chatgate.core.port.ImPort.Contact;
import chatgate.core.port.ImPort.EndReason;
import chatgate.core.port.ImPort.Events;
import chatgate.core.port.ImPort.ImSession;
import chatgate.core.port.ImPort.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException.StreamErrorException;
import org.jivesoftware.smack.chat2.ChatManager;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.RosterListener;
import org.jivesoftware.smack.roster.SubscribeListener.SubscribeAnswer;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.sm.StreamManagementException.StreamManagementNotEnabledException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.receipts.DeliveryReceiptManager;
import org.jivesoftware.smackx.receipts.DeliveryReceiptRequest;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One phone's login to one account: the roster, messages both ways, and what happens when the
 * connection ends. A drop is retried (resuming the stream where the server allows) within the
 * resume window; an end the server means (another login took the address, the administrator
 * kicked it, the account's password no longer works) is not: logging in again would undo the
 * administrator, or take turns with the other login for ever (issue 16).
 *
 * <p>Messages go out with the caller's stable stanza id (and an XEP-0359 origin-id of the same
 * value) and a XEP-0184 receipt request. A stanza id is put on the wire once while it is on its
 * way or was acknowledged (XEP-0198); a message the stream lost before the server acknowledged
 * it is not re-sent by Smack but answered {@link SendResult.Retry}, so that the delivery stage,
 * the one place that retries, sends it again with the same id (ADR 0022).
 */
final class XmppSession implements ImSession, ConnectionListener {
  private static final Logger log = LoggerFactory.getLogger(XmppSession.class);

  private final BareJid account;
  private final String resource;
  private final XMPPTCPConnection conn;
  private final Events events;
  private final Duration resumeWindow;
  /** Gives the session's place back ({@code [xmpp] max_sessions}); run once, however it ended. */
  private final Runnable release;
  /** The connection's socket, closed directly when a stopping gateway cannot wait (issue 20). */
  private final SocketRecorder sockets;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile boolean closed;
  private volatile boolean reconnecting;
  private Roster roster;
  /** The stanza ids this session put on the wire, with their outcome (the most recent {@link #REMEMBERED}). */
  private final Map<String, CompletableFuture<SendResult>> sent = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<SendResult>> eldest) {
      return size() > REMEMBERED;
    }
  };
  private static final int REMEMBERED = 4096;
  /** A message acknowledged by nobody for this long is answered "retry" (and then sent again). */
  private static final long ACK_GIVE_UP_MS = TimeUnit.MINUTES.toMillis(5);

  XmppSession(BareJid account, String resource, XMPPTCPConnection conn, Events events, Duration resumeWindow,
      Runnable release, SocketRecorder sockets) {
    this.sockets = sockets;
    this.account = account;
    this.resource = resource;
    this.conn = conn;
    this.events = events;
    this.resumeWindow = resumeWindow;
    this.release = release;
  }

  /** The resource this session is bound to: its own, so two phones on one account do not replace each other. */
  String resource() {
    return resource;
  }

  /** Whether the stream is encrypted now (TLS). */
  boolean secure() {
    return conn.isSecureConnection();
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
      return SubscribeAnswer.Approve;
    });
    roster.addRosterListener(new RosterListener() {
      @Override
      public void entriesAdded(Collection<Jid> addresses) {}

      @Override
      public void entriesUpdated(Collection<Jid> addresses) {}

      @Override
      public void entriesDeleted(Collection<Jid> addresses) {}

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
    // XEP-0184: a contact's client confirms a message reached it.
    DeliveryReceiptManager.getInstanceFor(conn).addReceiptReceivedListener((from, to, receiptId, receipt) -> {
      if (!closed && from != null && receiptId != null) {
        events.onReceipt(from.asBareJid().toString(), receiptId);
      }
    });
    // A stream that could not be resumed: what the server had not acknowledged is not sent again
    // here, but answered "retry", and the delivery stage sends it again with the same id.
    conn.addStanzaDroppedListener(stanza -> {
      CompletableFuture<SendResult> f;
      synchronized (sent) {
        f = stanza.getStanzaId() == null ? null : sent.get(stanza.getStanzaId());
      }
      if (f != null) {
        f.complete(new SendResult.Retry("the stream was lost before the server acknowledged it"));
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
  public CompletionStage<SendResult> send(String to, String text, String id, Runnable beforeWire) {
    EntityBareJid jid;
    try {
      jid = JidCreate.entityBareFrom(to.contains("@") ? to : to + "@" + account.getDomain());
    } catch (XmppStringprepException e) {
      return CompletableFuture.completedFuture(new SendResult.Failed("not an address: " + to));
    }
    var builder = (id != null ? StanzaBuilder.buildMessage(id) : conn.getStanzaFactory().buildMessageStanza())
        .to(jid).ofType(Message.Type.chat).setBody(text).addExtension(new DeliveryReceiptRequest());
    if (id != null) {
      builder.addExtension(StandardExtensionElement.builder("origin-id", "urn:xmpp:sid:0").addAttribute("id", id)
          .build());
    }
    Message m = builder.build();
    String sid = m.getStanzaId();
    CompletableFuture<SendResult> f = new CompletableFuture<>();
    synchronized (sent) {
      CompletableFuture<SendResult> earlier = sent.get(sid);
      if (earlier != null && (!earlier.isDone() || earlier.join() instanceof SendResult.Sent)) {
        return earlier; // on its way, or taken: never on the wire twice from here
      }
      if (closed) {
        return CompletableFuture.completedFuture(new SendResult.Failed("session ended")); // for good
      }
      if (reconnecting || !conn.isAuthenticated()) {
        return CompletableFuture.completedFuture(new SendResult.Retry("reconnecting"));
      }
      sent.put(sid, f);
    }
    try {
      beforeWire.run();
    } catch (RuntimeException e) {
      f.complete(new SendResult.Retry("not recorded: " + e.getMessage()));
      return f;
    }
    try {
      if (conn.isSmEnabled()) {
        // Sent once the server has acknowledged it (XEP-0198).
        conn.addStanzaIdAcknowledgedListener(sid, s -> f.complete(new SendResult.Sent(sid)));
        f.completeOnTimeout(new SendResult.Retry("no acknowledgement from the server"), ACK_GIVE_UP_MS,
            TimeUnit.MILLISECONDS).whenComplete((r, e) -> conn.removeStanzaIdAcknowledgedListener(sid));
        conn.sendStanza(m);
        conn.requestSmAcknowledgement();
      } else {
        conn.sendStanza(m);
        f.complete(new SendResult.Sent(sid));
      }
    } catch (SmackException.NotConnectedException e) {
      f.complete(new SendResult.Retry("not connected"));
    } catch (StreamManagementNotEnabledException e) {
      f.complete(new SendResult.Retry("stream management lost"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.complete(new SendResult.Retry("interrupted"));
    }
    return f;
  }

  /**
   * XEP-0313: the account's own archive, asked for what it sent {@code to} since {@code since}
   * (ADR 0030). Exact only where the server archives every message of the account (disco says
   * {@code urn:xmpp:mam:2}, the account's default is "always", or "roster" with {@code to} on the
   * roster); bounded as {@link XmppArchive} says. The questions block on the server's answers, so
   * they run on a virtual thread.
   */
  @Override
  public CompletionStage<Archived> archived(String to, String id, Instant since) {
    CompletableFuture<Archived> f = new CompletableFuture<>();
    Thread.ofVirtual().name("xmpp-mam").start(() -> {
      try {
        if (closed || reconnecting || !conn.isAuthenticated()) {
          throw new IllegalStateException("not connected");
        }
        f.complete(XmppArchive.ask(conn, roster, account, to, id, since));
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  @Override
  public boolean knows(String id) {
    synchronized (sent) {
      return sent.containsKey(id);
    }
  }

  @Override
  public void logout() {
    closed = true;
    giveBack();
    conn.removeConnectionListener(this);
    conn.disconnect();
  }

  /**
   * Drops the connection without waiting for the server's closing tag: Smack's disconnect waits
   * for it up to the reply timeout, which a stopping gateway cannot afford (issue 20).
   */
  @Override
  public void abort() {
    closed = true;
    giveBack();
    conn.removeConnectionListener(this);
    // The socket first: Smack's instant shutdown may wait behind a disconnect still waiting for
    // the server's closing tag; with the socket closed, both end at once.
    sockets.closeNow();
    Thread.ofVirtual().name("xmpp-abort").start(conn::instantShutdown);
  }

  @Override
  public void connectionClosedOnError(Exception e) {
    if (closed || reconnecting) {
      return;
    }
    EndReason meant = meant(e);
    if (meant != null) {
      StreamError error = ((StreamErrorException) e).getStreamError();
      end(meant, error.getCondition() + (error.getDescriptiveText() == null ? "" : ": " + error.getDescriptiveText()));
      return;
    }
    reconnecting = true;
    Thread.ofVirtual().name("xmpp-reconnect").start(() -> reconnect(e.toString()));
  }

  /**
   * The server closed the stream without an error: Prosody's administrator closing the session
   * ({@code c2s:close}) does exactly this. Not our own logout (its listener is removed first) nor
   * a failed reconnect attempt.
   */
  @Override
  public void connectionClosed() {
    if (!closed && !reconnecting) {
      end(EndReason.KICKED, "the server closed the stream");
    }
  }

  /**
   * The end a stream error means, or null for a drop worth retrying. RFC 6120 §4.9.3: a
   * {@code <conflict/>} ends this stream because a new one took its address; ejabberd's
   * {@code kick_session} sends a conflict too, with the administrator's text instead of "Replaced
   * by new connection". Prosody sends {@code <not-authorized/>} when the account is deleted,
   * {@code <reset/>} when its password changes, and the administrator's shell
   * {@code <undefined-condition/>} (or a condition of their choosing) with a text.
   */
  static EndReason meant(Exception e) {
    if (!(e instanceof StreamErrorException se) || se.getStreamError() == null) {
      return null;
    }
    StreamError error = se.getStreamError();
    String text = error.getDescriptiveText() == null ? "" : error.getDescriptiveText().toLowerCase(Locale.ROOT);
    return switch (error.getCondition()) {
      case conflict -> text.isEmpty() || text.contains("replaced") ? EndReason.REPLACED : EndReason.KICKED;
      case policy_violation, not_authorized, reset, undefined_condition -> EndReason.KICKED;
      default -> null;
    };
  }

  private void end(EndReason why, String detail) {
    closed = true;
    giveBack();
    if (ended.compareAndSet(false, true)) {
      log.info("xmpp session for {} ended by the server ({}), not logging in again: {}", account.getDomain(), why,
          detail);
      events.onEnded(why, detail == null ? why.toString() : detail);
    }
  }

  /** Tries to log in again (resuming the stream where the server allows) until the window closes. */
  private void reconnect(String why) {
    long until = System.nanoTime() + resumeWindow.toNanos();
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
        events.onBack();
        return;
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
      } catch (SASLErrorException e) {
        // The password no longer works (changed, or the account removed): retrying only fails again.
        conn.disconnect();
        reconnecting = false;
        end(EndReason.KICKED, "login refused after a drop: " + e.getSASLFailure().getSASLErrorString());
        return;
      } catch (Exception e) {
        conn.disconnect();
        wait = Math.min(wait * 2, 5000);
      }
    }
    reconnecting = false;
    if (!closed) {
      end(EndReason.SERVER_GONE, why);
    }
  }

  private void giveBack() {
    if (released.compareAndSet(false, true)) {
      release.run();
    }
  }

  @Override
  public void connected(XMPPConnection connection) {}

  @Override
  public void authenticated(XMPPConnection connection, boolean resumed) {}
}
