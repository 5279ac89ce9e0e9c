package chatgate.core.im;

import chatgate.core.port.ImPort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The built-in IM service as an XMPP server behaves to a client during an outage (for the core's
 * tests of ADR 0022): while {@link #down}, a send is not taken (the stream is reconnecting); while
 * {@link #holdAcks}, the server takes a message (the contact gets it) but its acknowledgement (and
 * the contact's receipt) does not come until {@link #releaseAcks}. A session sends each stanza id once unless it was not
 * taken, and knows the ids it put on the wire, as {@code XmppSession} does. While {@link #loseOnWire}, a
 * message goes on the wire and never reaches the server; {@link #noArchive}: the server cannot say
 * what it took (ADR 0030).
 */
final class OutageImPort implements ImPort {
  private final ImPort server;
  volatile boolean down;
  volatile boolean holdAcks;
  /** Messages go on the wire and are lost there (the connection is cut): the server never gets them. */
  volatile boolean loseOnWire;
  /** The server keeps no archive it can be asked (no XEP-0313). */
  volatile boolean noArchive;
  final List<Session> sessions = new CopyOnWriteArrayList<>();

  OutageImPort(ImPort server) {
    this.server = server;
  }

  @Override
  public CompletionStage<LoginResult> login(Credentials c, Events events, Duration timeout) {
    // While acknowledgements are held, the contact's receipts do not come back either.
    Events filtered = new Events() {
      @Override
      public void onMessage(String from, String text, String id) {
        events.onMessage(from, text, id);
      }

      @Override
      public void onPresence(Contact contact) {
        events.onPresence(contact);
      }

      @Override
      public void onEnded(EndReason why, String detail) {
        events.onEnded(why, detail);
      }

      @Override
      public void onReceipt(String from, String id) {
        if (!holdAcks) {
          events.onReceipt(from, id);
        }
      }

      @Override
      public void onBack() {
        events.onBack();
      }
    };
    return server.login(c, filtered, timeout).thenApply(r -> {
      if (r instanceof LoginResult.Ok ok) {
        Session s = new Session(ok.session(), events);
        sessions.add(s);
        return new LoginResult.Ok(s);
      }
      return r;
    });
  }

  @Override
  public String defaultDomain() {
    return server.defaultDomain();
  }

  /** The server is back: every session says so, as a resumed stream does. */
  void back() {
    down = false;
    sessions.forEach(s -> s.events.onBack());
  }

  void releaseAcks() {
    holdAcks = false;
    for (Session s : sessions) {
      s.held.forEach(f -> f.complete(new SendResult.Sent("acked")));
      s.held.clear();
    }
  }

  final class Session implements ImSession {
    final ImSession inner;
    final Events events;
    final Map<String, CompletableFuture<SendResult>> sent = new ConcurrentHashMap<>();
    final Set<CompletableFuture<SendResult>> held = ConcurrentHashMap.newKeySet();

    Session(ImSession inner, Events events) {
      this.inner = inner;
      this.events = events;
    }

    @Override
    public String account() {
      return inner.account();
    }

    @Override
    public List<Contact> contacts() {
      return inner.contacts();
    }

    @Override
    public synchronized CompletionStage<SendResult> send(String to, String text, String id, Runnable beforeWire) {
      CompletableFuture<SendResult> earlier = id == null ? null : sent.get(id);
      if (earlier != null && (!earlier.isDone() || earlier.join() instanceof SendResult.Sent)) {
        return earlier;
      }
      if (down) {
        return CompletableFuture.completedFuture(new SendResult.Retry("reconnecting"));
      }
      beforeWire.run();
      if (loseOnWire) {
        CompletableFuture<SendResult> lost = new CompletableFuture<>(); // no acknowledgement ever comes
        if (id != null) {
          sent.put(id, lost);
        }
        return lost;
      }
      CompletableFuture<SendResult> f = inner.send(to, text, id).toCompletableFuture();
      if (holdAcks) {
        CompletableFuture<SendResult> ack = new CompletableFuture<>();
        held.add(ack);
        f = ack;
      }
      if (id != null) {
        sent.put(id, f);
      }
      return f;
    }

    @Override
    public CompletionStage<Archived> archived(String to, String id, java.time.Instant since) {
      return noArchive ? CompletableFuture.completedFuture(Archived.UNKNOWN) : inner.archived(to, id, since);
    }

    @Override
    public boolean knows(String id) {
      return sent.containsKey(id);
    }

    @Override
    public void logout() {
      inner.logout();
    }
  }
}
