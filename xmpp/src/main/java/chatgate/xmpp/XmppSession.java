package chatgate.xmpp;

import chatgate.core.port.ImPort.Contact;
import chatgate.core.port.ImPort.EndReason;
import chatgate.core.port.ImPort.Events;
import chatgate.core.port.ImPort.ImSession;
import chatgate.core.port.ImPort.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.RosterListener;
import org.jivesoftware.smack.roster.SubscribeListener.SubscribeAnswer;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.sm.StreamManagementException.StreamManagementNotEnabledException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
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
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile boolean closed;
  private volatile boolean reconnecting;
  private Roster roster;

  XmppSession(BareJid account, String resource, XMPPTCPConnection conn, Events events, Duration resumeWindow,
      Runnable release) {
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
        acked.completeOnTimeout(new SendResult.Failed("no acknowledgement from the server"), 30, TimeUnit.SECONDS)
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
    } catch (StreamManagementNotEnabledException e) {
      return CompletableFuture.completedFuture(new SendResult.Failed("stream management lost"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.completedFuture(new SendResult.Failed("interrupted"));
    }
  }

  @Override
  public void logout() {
    closed = true;
    giveBack();
    conn.removeConnectionListener(this);
    conn.disconnect();
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
