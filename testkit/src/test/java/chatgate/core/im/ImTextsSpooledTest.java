package chatgate.core.im;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.core.memory.MemoryImAccounts;
import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.ImContact;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Route;
import chatgate.core.port.ImAccounts.Account;
import chatgate.core.port.ImPort;
import chatgate.core.port.MessageStore.Item;
import chatgate.core.port.SmsInbound.MobileOriginated;
import chatgate.core.testing.CoreFixture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 (ADR 0022): a phone's text to an IM contact is acknowledged once stored, and the
 * delivery stage relays it from there: through an outage of the IM server, a lost session, a
 * LOGOUT; the contact gets each text at most once, the phone hears only what is true.
 */
class ImTextsSpooledTest {
  static final Msisdn PHONE = Msisdn.of("+8613800000051");
  final MemoryImAccounts accounts = new MemoryImAccounts();
  CoreFixture f = new CoreFixture().started();
  final BuiltinIm builtin = new BuiltinIm(accounts, "chatgate.local", m -> false, (from, web, text) -> false, f.clock);
  final OutageImPort im = new OutageImPort(builtin);
  final List<String> bobGot = new CopyOnWriteArrayList<>();
  ImRelay relay;
  ImPort.ImSession bob;
  int seq;

  @BeforeEach
  void setUp() throws Exception {
    for (String[] a : new String[][] {{"alice", "Alice", "alicepw"}, {"bob", "Bob", "bobpw"}}) {
      accounts.save(new Account(a[0] + "@chatgate.local", a[1], Passwords.hash(a[2].toCharArray()), Optional.empty(),
          f.clock.instant()));
    }
    relay = relay(f, im);
    bob = ((ImPort.LoginResult.Ok) builtin.login(new ImPort.Credentials("bob", "bobpw".toCharArray()),
        new ImPort.Events() {
          @Override
          public void onMessage(String from, String text, String id) {
            bobGot.add(text);
          }

          @Override
          public void onPresence(ImPort.Contact contact) {}

          @Override
          public void onEnded(ImPort.EndReason why, String reason) {}
        }, Duration.ofSeconds(5)).toCompletableFuture().get()).session();
    mo("LOGIN alice alicepw");
    awaitSms(f, "alice@chatgate.local online: 1 Bob");
  }

  @AfterEach
  void close() {
    f.close();
  }

  ImRelay relay(CoreFixture fx, ImPort port) {
    ImRelay r = new ImRelay(port, accounts, fx.auth, fx.users, ImRelay.Texter.of(fx.chat), fx.clock,
        ImRelay.Settings.defaults()).spooled(fx.chat, fx.stage);
    fx.mo.im(r);
    return r;
  }

  /** An MO with its SMSC's ref: the same ref again is the SMSC repeating it. */
  void mo(String ref, String text) {
    f.mo.onMobileOriginated(new MobileOriginated(ref, PHONE, "10658", text, f.clock.instant(), Optional.empty()));
  }

  void mo(String text) {
    mo("r" + (++seq), text);
  }

  static void awaitSms(CoreFixture fx, String prefix) {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      fx.settle();
      assertThat(fx.sms.sentTo(PHONE)).extracting(s -> s.text()).anyMatch(t -> t.startsWith(prefix));
    });
  }

  /** The phone's texts to IM contacts, as stored. */
  List<Item> imTexts(CoreFixture fx) {
    return fx.store.inState(DeliveryState.PENDING, 100).stream()
        .filter(i -> i.message().target() instanceof ImContact).toList();
  }

  Delivery deliveryOf(CoreFixture fx, String body) {
    for (DeliveryState s : DeliveryState.values()) {
      for (Item i : fx.store.inState(s, 100)) {
        if (i.message().target() instanceof ImContact && i.message().body().equals(body)) {
          return i.delivery();
        }
      }
    }
    throw new AssertionError("no IM text " + body);
  }

  @Test
  @DisplayName("issue 16: texts written while the IM server is down are stored and answered at once, reach the contact"
      + " once when the session is back, in order; the phone hears nothing; receipts make them DELIVERED")
  void textsWrittenDuringAnOutageGoOnceWhenTheSessionIsBack() {
    int smsBefore = f.sms.sentTo(PHONE).size();
    im.down = true;
    mo("mo-1", "@bob one");
    mo("mo-2", "@bob two");
    mo("mo-1", "@bob one"); // the SMSC repeats an MO: the same message
    f.settle();
    assertThat(imTexts(f)).extracting(i -> i.message().body()).containsExactly("one", "two");
    assertThat(bobGot).isEmpty();
    assertThat(deliveryOf(f, "one").route()).contains(Route.IM);
    assertThat(deliveryOf(f, "one").smscIds()).as("never handed to the wire").isEmpty();

    im.back();
    await().atMost(Duration.ofSeconds(5)).until(() -> bobGot.size() == 2);
    assertThat(bobGot).containsExactly("one", "two");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(deliveryOf(f, "one").state()).isEqualTo(DeliveryState.DELIVERED);
      assertThat(deliveryOf(f, "two").state()).isEqualTo(DeliveryState.DELIVERED);
    });
    assertThat(deliveryOf(f, "one").smscIds()).contains("chatgate-d" + deliveryOf(f, "one").id());
    f.clock.advance(Duration.ofMinutes(5));
    f.settle();
    assertThat(bobGot).containsExactly("one", "two");
    assertThat(f.sms.sentTo(PHONE)).hasSize(smsBefore);
  }

  @Test
  @DisplayName("issue 16: an acknowledgement that comes late (the server paused) is not a failure: SENT, sent once")
  void aLateAcknowledgementIsRecordedAndNothingIsSentTwice() {
    int smsBefore = f.sms.sentTo(PHONE).size();
    im.holdAcks = true;
    mo("@bob paused");
    await().atMost(Duration.ofSeconds(5)).until(() -> deliveryOf(f, "paused").smscIds().isPresent());
    assertThat(bobGot).containsExactly("paused");
    // Retried meanwhile (as the poller would): the session sends nothing twice.
    f.clock.advance(Duration.ofMinutes(1));
    f.stage.poll();
    im.releaseAcks();
    await().atMost(Duration.ofSeconds(15)).until(() -> deliveryOf(f, "paused").state() == DeliveryState.SENT);
    assertThat(bobGot).containsExactly("paused");
    assertThat(f.sms.sentTo(PHONE)).hasSize(smsBefore);
  }

  /** The gateway dies; a new one starts on the same store (the IM server lives on), and the phone logs in again. */
  CoreFixture crashAndLogInAgain(java.util.function.Consumer<OutageImPort> server) throws Exception {
    CoreFixture after = new CoreFixture(f.store);
    after.clock.advance(Duration.ofMinutes(1)); // its ids come after the first gateway's
    after.started();
    OutageImPort fresh = new OutageImPort(builtin);
    server.accept(fresh);
    f.close();
    relay(after, fresh);
    after.mo.onMobileOriginated(new MobileOriginated("relogin", PHONE, "10658", "LOGIN alice alicepw",
        after.clock.instant(), Optional.empty()));
    return after;
  }

  @Test
  @DisplayName("issue 16 / ADR 0030: after a crash, a text never handed to the session goes once the phone logs in"
      + " again; one the server took before the crash is found in its archive: SENT, not sent twice, the phone not"
      + " told \"maybe not sent\"")
  void afterACrashATextTheServerTookIsSettledByItsArchive() throws Exception {
    im.holdAcks = true;
    mo("@bob in doubt");
    await().atMost(Duration.ofSeconds(5)).until(() -> deliveryOf(f, "in doubt").smscIds().isPresent());
    im.holdAcks = false;
    im.down = true;
    mo("@bob waiting");
    await().atMost(Duration.ofSeconds(5)).until(() -> deliveryOf(f, "waiting").attempts() > 0);
    CoreFixture after = crashAndLogInAgain(server -> {});
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> bobGot.contains("waiting"));
      await().atMost(Duration.ofSeconds(5)).until(() -> deliveryOf(after, "in doubt").state() == DeliveryState.SENT);
      assertThat(bobGot).containsExactly("in doubt", "waiting");
      await().atMost(Duration.ofSeconds(5)).until(() -> deliveryOf(after, "waiting").state().done());
      after.clock.advance(Duration.ofHours(1));
      after.settle();
      assertThat(bobGot).containsExactly("in doubt", "waiting");
      assertThat(after.sms.sentTo(PHONE)).noneMatch(s -> s.text().startsWith("Maybe not sent")
          || s.text().startsWith("Not sent"));
    } finally {
      after.close();
    }
  }

  @Test
  @DisplayName("issue 16 / ADR 0030: after a crash, a text lost on the wire (the server never got it) is not in its"
      + " archive: sent again with the same id once the phone logs in again, and reaches the contact once")
  void afterACrashATextLostOnTheWireIsSentAgainOnce() throws Exception {
    im.loseOnWire = true;
    mo("@bob lost on the wire");
    await().atMost(Duration.ofSeconds(5)).until(() -> deliveryOf(f, "lost on the wire").smscIds().isPresent());
    assertThat(bobGot).isEmpty();
    CoreFixture after = crashAndLogInAgain(server -> {});
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> bobGot.contains("lost on the wire"));
      await().atMost(Duration.ofSeconds(5)).until(() -> deliveryOf(after, "lost on the wire").state().done());
      assertThat(deliveryOf(after, "lost on the wire").smscIds()).contains(
          "chatgate-d" + deliveryOf(after, "lost on the wire").id());
      after.clock.advance(Duration.ofHours(1));
      after.settle();
      assertThat(bobGot).containsExactly("lost on the wire");
      assertThat(after.sms.sentTo(PHONE)).noneMatch(s -> s.text().startsWith("Maybe not sent"));
    } finally {
      after.close();
    }
  }

  @Test
  @DisplayName("issue 16: after a crash, with a server that keeps no archive, a text handed to the lost session is"
      + " not sent twice, and the phone is told once it may not have arrived")
  void afterACrashWithNoArchiveTextsInDoubtAreToldNotResent() throws Exception {
    im.loseOnWire = true;
    mo("@bob in doubt");
    await().atMost(Duration.ofSeconds(5)).until(() -> deliveryOf(f, "in doubt").smscIds().isPresent());
    CoreFixture after = crashAndLogInAgain(server -> server.noArchive = true);
    try {
      awaitSms(after, "Maybe not sent to Bob (connection lost): \u201cin doubt\u201d");
      assertThat(deliveryOf(after, "in doubt").state()).isEqualTo(DeliveryState.FAILED);
      // Told once, however often it is looked at again.
      after.clock.advance(Duration.ofHours(1));
      after.settle();
      assertThat(after.sms.sentTo(PHONE)).filteredOn(s -> s.text().startsWith("Maybe not sent")).hasSize(1);
      assertThat(bobGot).isEmpty();
    } finally {
      after.close();
    }
  }

  @Test
  @DisplayName("issue 16: LOGOUT while texts wait for the session: they do not go, and the phone is told so once each,"
      + " in its language")
  void logoutWhileTextsWaitTellsThePhone() {
    im.down = true;
    mo("@bob 等一下");
    f.settle();
    mo("退出");
    awaitSms(f, "未发送给Bob，您已先退出登录：\u201c等一下\u201d");
    im.back();
    f.clock.advance(Duration.ofMinutes(5));
    f.settle();
    assertThat(bobGot).isEmpty();
    assertThat(f.sms.sentTo(PHONE)).filteredOn(s -> s.text().contains("退出登录：")).hasSize(1);
  }

  @Test
  @DisplayName("issue 16: a text that waits longer than the retention for a login is failed and the phone is told")
  void aTextThatWaitsPastTheRetentionFails() {
    im.down = true;
    mo("@bob too late");
    f.settle();
    f.clock.advance(CoreFixture.RETENTION.plusMinutes(1));
    awaitSms(f, "Not sent to Bob, no login in time: \u201ctoo late\u201d");
    assertThat(deliveryOf(f, "too late").state()).isEqualTo(DeliveryState.FAILED);
    assertThat(bobGot).isEmpty();
  }
}
