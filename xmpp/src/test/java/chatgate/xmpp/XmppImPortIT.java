package chatgate.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.core.contract.ImPortContract;
import chatgate.core.port.ImPort;
import chatgate.xmpp.peer.SlixmppClient;
import chatgate.xmpp.peer.XmppServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The XMPP adapter against a real XMPP server started by the test (once per class: Prosody in
 * {@link ProsodyXmppImPortIT}, ejabberd in {@link EjabberdXmppImPortIT}), with Debian's slixmpp as
 * the contact: the IM port contract, and what only a real server can show (down, restarted,
 * replaced, kicked).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class XmppImPortIT implements ImPortContract {
  XmppServer server;
  XmppImPort im;

  abstract XmppServer.Kind kind();

  @BeforeAll
  void start() throws Exception {
    server = kind().start();
    im = new XmppImPort(new XmppSettings(server.host(), server.port(), XmppServer.DOMAIN, "disabled",
        Duration.ofSeconds(10), 16, 50, Duration.ofSeconds(20)));
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  @Override
  public ImPort im() {
    return im;
  }

  @Override
  public void account(String local, String password) throws Exception {
    server.addUser(local, password);
  }

  @Override
  public Peer peer(String local, String password) throws Exception {
    SlixmppClient c = SlixmppClient.start(local + "@" + XmppServer.DOMAIN, password, server.host(), server.port());
    return new Peer() {
      @Override
      public String address() {
        return c.jid;
      }

      @Override
      public void befriend(String address) throws Exception {
        c.subscribe(address);
      }

      @Override
      public void send(String to, String text) throws Exception {
        c.send(to, text);
      }

      @Override
      public List<String> received() {
        return c.events("message").stream().map(e -> e.path("from").asText() + "|" + e.path("body").asText()).toList();
      }

      @Override
      public void close() throws Exception {
        c.close();
      }
    };
  }

  @Test
  @DisplayName("a message to the contact asks for a delivery receipt (XEP-0184)")
  void receipts() throws Exception {
    account("kim", "kim-pw");
    account("lou", "lou-pw");
    try (SlixmppClient lou = SlixmppClient.start("lou@localhost", "lou-pw", server.host(), server.port())) {
      ImPort.ImSession kim = session("kim", "kim-pw", new Inbox());
      lou.subscribe(kim.account());
      await().atMost(WAIT).until(() -> kim.contacts().stream().anyMatch(c -> c.address().equals("lou@localhost")));
      ImPort.SendResult r = kim.send("lou@localhost", "receipt please").toCompletableFuture().get();
      String id = ((ImPort.SendResult.Sent) r).id();
      var got = lou.await("message", e -> e.path("body").asText().equals("receipt please"), WAIT);
      assertThat(got.path("receipt_requested").asBoolean()).isTrue();
      kim.logout();
      assertThat(id).isNotBlank();
    }
  }

  @Test
  @DisplayName("presence changes of a contact reach the session (kept for WHO)")
  void presence() throws Exception {
    account("mia", "mia-pw");
    account("ned", "ned-pw");
    try (SlixmppClient ned = SlixmppClient.start("ned@localhost", "ned-pw", server.host(), server.port())) {
      Inbox inbox = new Inbox();
      ImPort.ImSession mia = session("mia", "mia-pw", inbox);
      ned.subscribe(mia.account());
      await().atMost(WAIT).until(() -> mia.contacts().stream().anyMatch(c -> c.address().equals("ned@localhost") && c.online()));
      ned.presence("away", "at lunch");
      await().atMost(WAIT).until(() -> inbox.presences.stream()
          .anyMatch(c -> c.address().equals("ned@localhost") && c.status().orElse("").equals("at lunch")));
      mia.logout();
    }
  }

  @Test
  @DisplayName("[xmpp] max_sessions bounds the sessions (and Smack's two threads each): one more is told unavailable"
      + " until a session ends; a wrong password does not take a place")
  void sessionCap() throws Exception {
    account("quin", "quin-pw");
    account("rosa", "rosa-pw");
    XmppImPort capped = new XmppImPort(new XmppSettings(server.host(), server.port(), XmppServer.DOMAIN, "disabled",
        Duration.ofSeconds(10), 16, 50, Duration.ofSeconds(20), 1));
    ImPort.LoginResult wrong = capped.login(new ImPort.Credentials("rosa", "nope".toCharArray()), new Inbox(), WAIT)
        .toCompletableFuture().get();
    assertThat(wrong).isInstanceOf(ImPort.LoginResult.BadCredentials.class);
    ImPort.LoginResult first = capped.login(new ImPort.Credentials("quin", "quin-pw".toCharArray()), new Inbox(), WAIT)
        .toCompletableFuture().get();
    assertThat(first).isInstanceOf(ImPort.LoginResult.Ok.class);
    ImPort.LoginResult second = capped.login(new ImPort.Credentials("rosa", "rosa-pw".toCharArray()), new Inbox(), WAIT)
        .toCompletableFuture().get();
    assertThat(second).isInstanceOfSatisfying(ImPort.LoginResult.Unavailable.class,
        u -> assertThat(u.reason()).contains("session limit"));
    ((ImPort.LoginResult.Ok) first).session().logout();
    ImPort.LoginResult third = capped.login(new ImPort.Credentials("rosa", "rosa-pw".toCharArray()), new Inbox(), WAIT)
        .toCompletableFuture().get();
    assertThat(third).isInstanceOf(ImPort.LoginResult.Ok.class);
    ((ImPort.LoginResult.Ok) third).session().logout();
  }

  @Test
  @DisplayName("a login that completes after the phone was told it timed out is logged out again: it holds no place")
  void aLateLoginGivesItsPlaceBack() throws Exception {
    for (String u : List.of("sam", "tia", "uma", "vic")) {
      account(u, u + "-pw");
    }
    // One login per second, three places: the third login's turn comes two seconds after the
    // first, when its phone has already been told (after 0.3 + 1 s) that it timed out. The first
    // two have time enough on a busy machine (the test is about the third's place, not speed).
    XmppImPort slow = new XmppImPort(new XmppSettings(server.host(), server.port(), XmppServer.DOMAIN, "disabled",
        Duration.ofSeconds(5), 16, 1, Duration.ofSeconds(20), 3));
    Duration ample = Duration.ofSeconds(5);
    var a = slow.login(new ImPort.Credentials("sam", "sam-pw".toCharArray()), new Inbox(), ample);
    var b = slow.login(new ImPort.Credentials("tia", "tia-pw".toCharArray()), new Inbox(), ample);
    var c = slow.login(new ImPort.Credentials("uma", "uma-pw".toCharArray()), new Inbox(), Duration.ofMillis(300));
    assertThat(a.toCompletableFuture().get()).isInstanceOf(ImPort.LoginResult.Ok.class);
    assertThat(b.toCompletableFuture().get()).isInstanceOf(ImPort.LoginResult.Ok.class);
    assertThat(c.toCompletableFuture().get()).isInstanceOfSatisfying(ImPort.LoginResult.Unavailable.class,
        u -> assertThat(u.reason()).contains("timed out"));
    // Once the late login has gone through and been logged out, its place is free again.
    await().atMost(WAIT).untilAsserted(() -> assertThat(slow.login(new ImPort.Credentials("vic", "vic-pw".toCharArray()),
        new Inbox(), Duration.ofSeconds(5)).toCompletableFuture().get()).isInstanceOf(ImPort.LoginResult.Ok.class));
  }

  @Test
  @DisplayName("the server down: Unavailable within the timeout, no hang")
  void serverDown() throws Exception {
    int closed;
    try (var s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    XmppImPort nowhere = new XmppImPort(new XmppSettings("127.0.0.1", closed, "localhost", "disabled",
        Duration.ofSeconds(3), 4, 50, Duration.ofSeconds(5)));
    long t0 = System.nanoTime();
    ImPort.LoginResult r = nowhere.login(new ImPort.Credentials("x", "y".toCharArray()), new Inbox(), Duration.ofSeconds(3))
        .toCompletableFuture().get();
    assertThat(r).isInstanceOf(ImPort.LoginResult.Unavailable.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  @DisplayName("the server restarted mid-session: the session comes back and messages flow again")
  void serverRestart() throws Exception {
    account("olga", "olga-pw");
    account("pete", "pete-pw");
    Inbox inbox = new Inbox();
    ImPort.ImSession olga = session("olga", "olga-pw", inbox);
    server.restart(Duration.ofSeconds(2));
    try (SlixmppClient pete = SlixmppClient.start("pete@localhost", "pete-pw", server.host(), server.port())) {
      pete.subscribe(olga.account());
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        pete.send(olga.account(), "after restart");
        return inbox.messages.contains("pete@localhost|after restart");
      });
      assertThat(inbox.ended).isEmpty();
    }
    olga.logout();
  }

  /**
   * Keeps the server busy for {@code span}: a contact sends a canary to a session of its own
   * account and it must arrive, one after the other. Whatever a reconnect loop would do in that
   * time, it has done by the end (the server has answered every canary in between).
   */
  void canaries(String name, Duration span) throws Exception {
    account(name, name + "-pw");
    account(name + "x", name + "x-pw");
    Inbox inbox = new Inbox();
    ImPort.ImSession canary = session(name, name + "-pw", inbox);
    try (SlixmppClient c = SlixmppClient.start(name + "x@" + XmppServer.DOMAIN, name + "x-pw", server.host(),
        server.port())) {
      long until = System.nanoTime() + span.toNanos();
      for (int i = 0; System.nanoTime() < until; i++) {
        String text = "canary " + i;
        c.send(canary.account(), text);
        await().atMost(WAIT).until(() -> inbox.messages.contains(c.jid + "|" + text));
      }
    } finally {
      canary.logout();
    }
  }

  @Test
  @DisplayName("two phones on one account keep a session each: no replacing each other, no reconnect loop (issue 16)")
  void twoPhonesOnOneAccountKeepASessionEach() throws Exception {
    account("dora", "dora-pw");
    account("eli", "eli-pw");
    try (SlixmppClient eli = SlixmppClient.start("eli@localhost", "eli-pw", server.host(), server.port())) {
      Inbox first = new Inbox();
      Inbox second = new Inbox();
      ImPort.ImSession a = session("dora", "dora-pw", first);
      ImPort.ImSession b = session("dora", "dora-pw", second);
      // Each its own resource, and nothing in it that a contact could take for the phone's number.
      assertThat(((XmppSession) a).resource()).matches("chatgate-[0-9a-f]{12}")
          .isNotEqualTo(((XmppSession) b).resource());
      // Ten seconds of both sessions sending, each message awaited at the contact: a session that
      // was replaced (and came back) would lose some, and the server would count more logins.
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      for (int i = 0; System.nanoTime() < until; i++) {
        for (ImPort.ImSession s : java.util.List.of(a, b)) {
          String text = "from " + (s == a ? "a " : "b ") + i;
          assertThat(s.send("eli@localhost", text).toCompletableFuture().get())
              .isInstanceOf(ImPort.SendResult.Sent.class);
          eli.await("message", e -> e.path("body").asText().equals(text), WAIT);
        }
      }
      assertThat(server.logins("dora")).as("logins of dora on the server").isEqualTo(2);
      assertThat(first.ended).isEmpty();
      assertThat(second.ended).isEmpty();
      a.logout();
      b.logout();
    }
  }

  @Test
  @DisplayName("the server's administrator kicks the session: told once, not logged in again (issue 16)")
  void kickedByTheAdministratorIsToldOnceAndNotUndone() throws Exception {
    account("fay", "fay-pw");
    Inbox inbox = new Inbox();
    ImPort.ImSession fay = session("fay", "fay-pw", inbox);
    server.kick("fay", null);
    await().atMost(WAIT).until(() -> !inbox.ended.isEmpty());
    canaries("gil", Duration.ofSeconds(3));
    assertThat(inbox.ended).singleElement().asString().startsWith("KICKED|");
    assertThat(fay.send("gil@localhost", "still there?").toCompletableFuture().get())
        .isInstanceOf(ImPort.SendResult.Failed.class);
    assertThat(server.logins("fay")).as("logins of fay on the server").isEqualTo(1);
    fay.logout();
  }

  @Test
  @DisplayName("another client takes over the session's own address (conflict, replaced): told once, not taken back")
  void replacedByAnotherConnectionIsToldOnceAndNotTakenBack() throws Exception {
    account("hugo", "hugo-pw");
    Inbox inbox = new Inbox();
    ImPort.ImSession hugo = session("hugo", "hugo-pw", inbox);
    String resource = ((XmppSession) hugo).resource();
    try (SlixmppClient other = SlixmppClient.start("hugo@localhost/" + resource, "hugo-pw", server.host(), server.port())) {
      await().atMost(WAIT).until(() -> !inbox.ended.isEmpty());
      canaries("ida", Duration.ofSeconds(3));
      assertThat(inbox.ended).containsExactly("REPLACED|conflict: Replaced by new connection");
      assertThat(server.logins("hugo")).as("logins of hugo on the server").isEqualTo(2);
      assertThat(other.events("disconnected")).isEmpty();
    }
    hugo.logout();
  }
}
