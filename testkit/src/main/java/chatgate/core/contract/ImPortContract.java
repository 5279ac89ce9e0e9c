package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.core.port.ImPort;
import chatgate.core.port.ImPort.LoginResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ImPort} does, seen from an independent contact (for XMPP: another client on
 * the same server; for the built-in service: another account's session).
 */
public interface ImPortContract {
  Duration WAIT = Duration.ofSeconds(15);

  ImPort im();

  /** Creates an account with this local part and password. */
  void account(String local, String password) throws Exception;

  /** An independent contact logged in as this account. */
  Peer peer(String local, String password) throws Exception;

  /** The contact's side. */
  interface Peer extends AutoCloseable {
    String address();

    /** Makes {@code address} and this peer contacts of each other (roster, presence both ways). */
    void befriend(String address) throws Exception;

    void send(String to, String text) throws Exception;

    /** What this peer received, as {@code from|text}. */
    List<String> received();
  }

  /** Records what a gateway session receives. */
  final class Inbox implements ImPort.Events {
    public final List<String> messages = new CopyOnWriteArrayList<>();
    public final List<ImPort.Contact> presences = new CopyOnWriteArrayList<>();
    /** Each end as {@code REASON|detail}. */
    public final List<String> ended = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(String from, String text, String id) {
      messages.add(from + "|" + text);
    }

    @Override
    public void onPresence(ImPort.Contact contact) {
      presences.add(contact);
    }

    @Override
    public void onEnded(ImPort.EndReason why, String detail) {
      ended.add(why + "|" + detail);
    }
  }

  default LoginResult login(String account, String password, ImPort.Events events) throws Exception {
    return im().login(new ImPort.Credentials(account, password.toCharArray()), events, Duration.ofSeconds(10))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  default ImPort.ImSession session(String account, String password, ImPort.Events events) throws Exception {
    LoginResult r = login(account, password, events);
    assertThat(r).isInstanceOf(LoginResult.Ok.class);
    return ((LoginResult.Ok) r).session();
  }

  @Test
  default void aWrongPasswordIsBadCredentials() throws Exception {
    account("carl", "carl-pw");
    assertThat(login("carl", "not-it", new Inbox())).isInstanceOf(LoginResult.BadCredentials.class);
  }

  @Test
  default void aLoginSeesItsContactOnline() throws Exception {
    account("anna", "anna-pw");
    account("ben", "ben-pw");
    try (Peer ben = peer("ben", "ben-pw")) {
      ImPort.ImSession anna = session("anna", "anna-pw", new Inbox());
      ben.befriend(anna.account());
      await().atMost(WAIT).untilAsserted(() -> assertThat(anna.contacts())
          .anySatisfy(c -> {
            assertThat(c.address()).isEqualTo(ben.address());
            assertThat(c.online()).isTrue();
          }));
      anna.logout();
    }
  }

  @Test
  default void messagesFlowBothWaysInChineseAndEnglish() throws Exception {
    account("cora", "cora-pw");
    account("dan", "dan-pw");
    try (Peer dan = peer("dan", "dan-pw")) {
      Inbox inbox = new Inbox();
      ImPort.ImSession cora = session("cora", "cora-pw", inbox);
      dan.befriend(cora.account());
      await().atMost(WAIT).until(() -> cora.contacts().stream().anyMatch(c -> c.address().equals(dan.address())));
      dan.send(cora.account(), "hello Cora, 你好");
      await().atMost(WAIT).until(() -> inbox.messages.contains(dan.address() + "|hello Cora, 你好"));
      assertThat(cora.send(dan.address(), "晚上好, Dan").toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ImPort.SendResult.Sent.class);
      await().atMost(WAIT).until(() -> dan.received().contains(cora.account() + "|晚上好, Dan"));
      cora.logout();
    }
  }

  @Test
  default void twoSessionsAtOnceKeepTheirOwnMessages() throws Exception {
    account("eva", "eva-pw");
    account("finn", "finn-pw");
    account("gus", "gus-pw");
    try (Peer gus = peer("gus", "gus-pw")) {
      Inbox evaIn = new Inbox();
      Inbox finnIn = new Inbox();
      ImPort.ImSession eva = session("eva", "eva-pw", evaIn);
      ImPort.ImSession finn = session("finn", "finn-pw", finnIn);
      gus.befriend(eva.account());
      gus.befriend(finn.account());
      await().atMost(WAIT).until(() -> eva.contacts().stream().anyMatch(c -> c.address().equals(gus.address()))
          && finn.contacts().stream().anyMatch(c -> c.address().equals(gus.address())));
      gus.send(eva.account(), "to eva");
      gus.send(finn.account(), "to finn");
      await().atMost(WAIT).until(() -> evaIn.messages.contains(gus.address() + "|to eva")
          && finnIn.messages.contains(gus.address() + "|to finn"));
      assertThat(evaIn.messages).doesNotContain(gus.address() + "|to finn");
      eva.logout();
      finn.logout();
    }
  }

  /**
   * ADR 0030: a later session of the account (after a crash, say) asks the server whether it took
   * a message an earlier session sent; the answer is exact: yes for what it took, no for what it
   * never got, whatever the session.
   */
  @Test
  default void aLaterSessionAsksTheArchiveWhetherTheServerTookAMessage() throws Exception {
    account("jo", "jo-pw");
    account("kim", "kim-pw");
    try (Peer kim = peer("kim", "kim-pw")) {
      java.time.Instant since = java.time.Instant.now();
      ImPort.ImSession first = session("jo", "jo-pw", new Inbox());
      kim.befriend(first.account());
      await().atMost(WAIT).until(() -> first.contacts().stream().anyMatch(c -> c.address().equals(kim.address())));
      String id = "chatgate-d" + System.nanoTime();
      assertThat(first.send(kim.address(), "archived?", id).toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ImPort.SendResult.Sent.class);
      await().atMost(WAIT).until(() -> kim.received().contains(first.account() + "|archived?"));
      first.logout();
      ImPort.ImSession later = session("jo", "jo-pw", new Inbox());
      assertThat(later.knows(id)).isFalse();
      assertThat(later.archived(kim.address(), id, since).toCompletableFuture().get(20, TimeUnit.SECONDS))
          .isEqualTo(ImPort.Archived.YES);
      assertThat(later.archived(kim.address(), id + "-never-sent", since).toCompletableFuture()
          .get(20, TimeUnit.SECONDS)).isEqualTo(ImPort.Archived.NO);
      later.logout();
    }
  }

  @Test
  default void afterLogoutNoMoreEventsAndNoEndedNotice() throws Exception {
    account("hal", "hal-pw");
    account("ivy", "ivy-pw");
    account("jay", "jay-pw");
    try (Peer ivy = peer("ivy", "ivy-pw")) {
      Inbox inbox = new Inbox();
      Inbox jayInbox = new Inbox();
      ImPort.ImSession hal = session("hal", "hal-pw", inbox);
      ImPort.ImSession jay = session("jay", "jay-pw", jayInbox);
      ivy.befriend(hal.account());
      ivy.befriend(jay.account());
      await().atMost(WAIT).until(() -> hal.contacts().stream().anyMatch(c -> c.address().equals(ivy.address())));
      await().atMost(WAIT).until(() -> jay.contacts().stream().anyMatch(c -> c.address().equals(ivy.address())));
      hal.logout();
      ivy.send(hal.account(), "anyone?");
      // A canary sent after it to a session still open: once it arrived, hal's would have too.
      ivy.send(jay.account(), "canary");
      await().atMost(WAIT).until(() -> jayInbox.messages.stream().anyMatch(m -> m.endsWith("|canary")));
      jay.logout();
      assertThat(inbox.messages).isEmpty();
      assertThat(inbox.ended).isEmpty();
    }
  }
}
