package chatgate.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.chat.SendResult;
import chatgate.core.memory.MemoryMessageStore;
import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.Route;
import chatgate.core.port.SmsInbound.DeliveryReport;
import chatgate.core.port.SmsPort.SubmitOutcome;
import chatgate.core.testing.CoreFixture;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeliveryStageTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  static final Msisdn B = Msisdn.of("+8613800000002");
  static final Msisdn C = Msisdn.of("+8613800000003");
  final CoreFixture f = new CoreFixture().started();

  @AfterEach
  void close() {
    f.close();
  }

  private Delivery sendAndSettle(Msisdn from, String to, String text) {
    SendResult r = f.chat.send(from, to, text, Origin.WEB, null);
    assertThat(r).isInstanceOf(SendResult.Sent.class);
    f.settle();
    SendResult.Sent s = (SendResult.Sent) r;
    return f.store.item(s.deliveries().get(0).id()).orElseThrow().delivery();
  }

  @Test
  @DisplayName("P2.4 a recipient with an open stream gets the message pushed live, with its reply token")
  void p2_4_streamingRecipientIsPushedLive() {
    f.presence.streamOpened(B, f.clock.instant());
    f.live.open(B);
    Delivery d = sendAndSettle(A, "+8613800000002", "hi B");
    // Written into the stream is not shown: it waits for the page's acknowledgement (issue 16).
    assertThat(d.state()).isEqualTo(DeliveryState.AWAITING_FETCH);
    assertThat(d.route()).contains(Route.LIVE_STREAM);
    assertThat(f.live.pushedTo(B)).singleElement().satisfies(p -> {
      assertThat(p.body()).isEqualTo("hi B");
      assertThat(p.replyToken()).isEqualTo(f.chat.replyToken(d.id()));
      assertThat(p.sender()).contains(A);
    });
    f.stage.acknowledged(B, List.of(d.id()));
    Delivery acked = f.store.item(d.id()).orElseThrow().delivery();
    assertThat(acked.state()).isEqualTo(DeliveryState.PUSHED);
    assertThat(acked.route()).contains(Route.LIVE_STREAM);
    f.clock.advance(Duration.ofMinutes(5));
    f.settle();
    assertThat(f.sms.sentTo(B)).isEmpty();
  }

  @Test
  @DisplayName("issue 16: a live push the page never acknowledges (tab closed, connection dead) goes by SMS (P2.5)")
  void aPushNotAcknowledgedFallsBackToSms() {
    f.presence.streamOpened(B, f.clock.instant());
    f.live.open(B);
    Delivery d = sendAndSettle(A, "+8613800000002", "into a dead stream");
    assertThat(d.state()).isEqualTo(DeliveryState.AWAITING_FETCH);
    f.clock.advance(CoreFixture.PUSH_ACK_WAIT.plusSeconds(1));
    f.settle();
    assertThat(f.sms.sentTo(B)).singleElement().satisfies(s -> assertThat(s.text()).contains("into a dead stream"));
    // Kept for B's next visit too, as any SMS to someone not on the page (P2.11).
    assertThat(f.store.unseen(B, f.clock.instant(), 10)).extracting(i -> i.delivery().id()).contains(d.id());
  }

  @Test
  void anAcknowledgementOfAnotherPhonesDeliveryChangesNothing() {
    f.presence.streamOpened(B, f.clock.instant());
    f.live.open(B);
    Delivery d = sendAndSettle(A, "+8613800000002", "for B only");
    f.stage.acknowledged(A, List.of(d.id()));
    assertThat(f.store.item(d.id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.AWAITING_FETCH);
  }

  @Test
  @DisplayName("P2.4 a recipient browsing refreshing pages sees it on the next fetch; no SMS")
  void p2_4_browsingRecipientGetsItOnTheNextPage() {
    f.presence.pageFetched(B, f.clock.instant());
    Delivery d = sendAndSettle(A, "+8613800000002", "hi B");
    assertThat(d.state()).isEqualTo(DeliveryState.AWAITING_FETCH);
    List<chatgate.core.port.MessageStore.Item> unseen = f.store.unseen(B, f.clock.instant(), 10);
    assertThat(unseen).extracting(i -> i.delivery().id()).containsExactly(d.id());
    f.stage.shown(unseen);
    assertThat(f.store.item(d.id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.PUSHED);
    f.clock.advance(Duration.ofMinutes(5));
    f.settle();
    assertThat(f.sms.sentTo(B)).isEmpty();
  }

  @Test
  @DisplayName("P2.4/P2.5 a refreshing page not fetched within wap_idle falls back to SMS")
  void p2_5_unfetchedPageFallsBackToSms() {
    f.presence.pageFetched(B, f.clock.instant());
    Delivery d = sendAndSettle(A, "+8613800000002", "are you there");
    assertThat(d.state()).isEqualTo(DeliveryState.AWAITING_FETCH);
    f.clock.advance(CoreFixture.WAP_IDLE.plusSeconds(1));
    f.settle();
    Delivery after = f.store.item(d.id()).orElseThrow().delivery();
    assertThat(after.state()).isEqualTo(DeliveryState.SENT);
    assertThat(after.route()).contains(Route.SMS);
    assertThat(f.sms.sentTo(B)).singleElement()
        .satisfies(s -> assertThat(s.text()).contains("are you there").contains("http://gw.test/r/" + f.chat.replyToken(d.id())));
  }

  @Test
  @DisplayName("P2.5 online but not browsing: SMS with the reply link, not kept")
  void p2_5_onlineNotBrowsingGetsSms() {
    f.presence.online(B, f.clock.instant());
    f.clock.advance(Duration.ofMinutes(2));
    Delivery d = sendAndSettle(A, "+8613800000002", "dinner?");
    assertThat(d.state()).isEqualTo(DeliveryState.SENT);
    assertThat(d.route()).contains(Route.SMS);
    assertThat(d.keepUntil()).isEmpty();
    assertThat(d.smscIds()).isPresent();
    assertThat(f.sms.sentTo(B)).singleElement().satisfies(s -> {
      assertThat(s.text()).isEqualTo("13800000001: dinner? http://gw.test/r/" + f.chat.replyToken(d.id()));
      assertThat(s.ref()).isEqualTo("d" + d.id());
    });
  }

  @Test
  @DisplayName("P2.6/P2.11 offline: SMS now, and kept for retention to show when they come online")
  void p2_6_offlineGetsSmsAndItIsKept() {
    Delivery d = sendAndSettle(A, "+8613800000002", "see you");
    assertThat(d.state()).isEqualTo(DeliveryState.SENT);
    assertThat(d.keepUntil()).contains(f.clock.instant().plus(CoreFixture.RETENTION));
    assertThat(f.sms.sentTo(B)).hasSize(1);
    f.clock.advance(Duration.ofHours(10));
    assertThat(f.store.unseen(B, f.clock.instant(), 10)).extracting(i -> i.message().body()).containsExactly("see you");
  }

  @Test
  @DisplayName("P2.11 a kept message is not shown after retention")
  void p2_11_keptMessageExpires() {
    sendAndSettle(A, "+8613800000002", "see you");
    f.clock.advance(CoreFixture.RETENTION.plusSeconds(1));
    assertThat(f.store.unseen(B, f.clock.instant(), 10)).isEmpty();
  }

  @Test
  @DisplayName("P2.10 a group message goes to each member by that member's own state")
  void p2_10_groupIsExpandedAndEachMemberRoutedOnItsOwn() {
    f.groups.create(new Group(GroupId.of("family"), "家人", Set.of(A, B, C)));
    f.presence.streamOpened(B, f.clock.instant());
    f.live.open(B);
    SendResult.Sent s = (SendResult.Sent) f.chat.send(A, "family", "晚饭好了", Origin.WEB, null);
    f.settle();
    assertThat(s.deliveries()).extracting(Delivery::recipient).containsExactlyInAnyOrder(B, C);
    assertThat(f.live.pushedTo(B)).singleElement().satisfies(p -> assertThat(p.group()).contains(GroupId.of("family")));
    assertThat(f.sms.sentTo(C)).singleElement().satisfies(sms -> assertThat(sms.text()).startsWith("[家人]13800000001: 晚饭好了 http://gw.test/r/"));
    assertThat(f.sms.sentTo(A)).isEmpty();
  }

  @Test
  void stopMeansKeptNotTexted() {
    f.users.save(f.users.ensure(B, Language.EN, f.clock.instant()).withSmsStopped(true));
    Delivery d = sendAndSettle(A, "+8613800000002", "hello");
    assertThat(d.state()).isEqualTo(DeliveryState.KEPT);
    assertThat(f.sms.sentTo(B)).isEmpty();
  }

  @Test
  void aWapPushHandsetGetsAServiceIndicationWithTheReplyLink() {
    f.users.save(f.users.ensure(B, Language.EN, f.clock.instant()).withWapPush(true));
    Delivery d = sendAndSettle(A, "+8613800000002", "hello");
    assertThat(d.route()).contains(Route.WAP_PUSH);
    assertThat(f.sms.sentTo(B)).singleElement().satisfies(s -> {
      assertThat(s.wapPushUrl()).contains("http://gw.test/r/" + f.chat.replyToken(d.id()));
      assertThat(s.text()).isEqualTo("13800000001: hello");
    });
  }

  @Test
  void temporaryFailuresAreRetriedWithBackoffThenSent() {
    f.sms.answerNext(new SubmitOutcome.Retry("ESME_RTHROTTLED", Duration.ZERO),
        new SubmitOutcome.Retry("ESME_RMSGQFUL", Duration.ofSeconds(60)));
    Delivery d = sendAndSettle(A, "+8613800000002", "hello");
    assertThat(d.state()).isEqualTo(DeliveryState.PENDING);
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.lastError()).contains("ESME_RTHROTTLED");
    Duration wait = Duration.between(f.clock.instant(), d.nextAttemptAt());
    assertThat(wait).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
    f.clock.advance(wait);
    f.settle();
    Delivery second = f.store.item(d.id()).orElseThrow().delivery();
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(Duration.between(f.clock.instant(), second.nextAttemptAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
    f.clock.advance(Duration.ofSeconds(61));
    f.settle();
    assertThat(f.store.item(d.id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SENT);
    assertThat(f.sms.sentTo(B)).hasSize(3).extracting(s -> s.ref()).containsOnly("d" + d.id());
  }

  @Test
  void permanentFailureIsRecordedAndNotRetried() {
    f.sms.answerNext(new SubmitOutcome.Failed("ESME_RINVDSTADR"));
    Delivery d = sendAndSettle(A, "+8613800000002", "hello");
    assertThat(d.state()).isEqualTo(DeliveryState.FAILED);
    assertThat(d.lastError()).contains("ESME_RINVDSTADR");
    f.clock.advance(Duration.ofHours(1));
    f.settle();
    assertThat(f.sms.sentTo(B)).hasSize(1);
  }

  @Test
  void tooManyAttemptsIsFailed() {
    for (int i = 0; i < 5; i++) {
      f.sms.answerNext(new SubmitOutcome.Retry("down", Duration.ZERO));
    }
    Delivery d = sendAndSettle(A, "+8613800000002", "hello");
    for (int i = 0; i < 6; i++) {
      f.clock.advance(Duration.ofMinutes(15));
      f.settle();
    }
    assertThat(f.store.item(d.id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.FAILED);
    assertThat(f.sms.sentTo(B)).hasSize(5);
  }

  @Test
  void deliveryReportsMarkDeliveredOnceAndUnknownOnesChangeNothing() {
    Delivery d = sendAndSettle(A, "+8613800000002", "hello");
    String smscId = d.smscIds().orElseThrow();
    f.mo.onDeliveryReport(new DeliveryReport("nope", true, "DELIVRD", f.clock.instant()));
    f.mo.onDeliveryReport(new DeliveryReport(smscId, true, "DELIVRD", f.clock.instant()));
    f.mo.onDeliveryReport(new DeliveryReport(smscId, false, "UNDELIV", f.clock.instant()));
    assertThat(f.store.item(d.id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.DELIVERED);
  }

  @Test
  @DisplayName("a restart mid-delivery loses nothing and sends nothing twice")
  void restartResumesFromTheStore() {
    MemoryMessageStore shared = new MemoryMessageStore();
    CoreFixture before = new CoreFixture(shared); // never started: accepted but not delivered, as if killed
    SendResult.Sent s = (SendResult.Sent) before.chat.send(A, "+8613800000002", "survive", Origin.WEB, null);
    before.close();
    try (CoreFixture after = new CoreFixture(shared)) {
      after.clock.set(before.clock.instant());
      after.started();
      assertThat(after.sms.sentTo(B)).singleElement().satisfies(sms -> assertThat(sms.text()).contains("survive"));
      assertThat(shared.item(s.deliveries().get(0).id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SENT);
      after.clock.advance(Duration.ofHours(1));
      after.settle();
      assertThat(after.sms.sentTo(B)).hasSize(1);
    }
  }

  @Test
  void systemMessagesGoBySmsEvenAfterStopAndEvenWhileBrowsing() {
    f.users.save(f.users.ensure(B, Language.EN, f.clock.instant()).withSmsStopped(true));
    f.presence.streamOpened(B, f.clock.instant());
    f.live.open(B);
    f.chat.notify(B, "chatgate: STOP confirmed", false, null);
    f.settle();
    assertThat(f.sms.sentTo(B)).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("chatgate: STOP confirmed"));
  }

  @Test
  void aStreamThatClosedUnderUsFallsBackToTheRefreshingPage() {
    // Presence still says streaming, but the web side has no open stream any more.
    f.presence.streamOpened(B, f.clock.instant());
    Delivery d = sendAndSettle(A, "+8613800000002", "hello");
    assertThat(d.state()).isEqualTo(DeliveryState.AWAITING_FETCH);
    assertThat(d.route()).contains(Route.LIVE_PAGE);
  }

  @Test
  @DisplayName("a delivery the poller finished before its own dispatch arrived is not sent again")
  void aLateDispatchAfterThePollerDoesNotSendTwice() {
    java.util.List<Runnable> late = new java.util.ArrayList<>();
    f.chat.dispatcher((m, ds) -> late.add(() -> f.stage.dispatch(m, ds)));
    f.chat.send(A, "+8613800000002", "once", Origin.WEB, null);
    f.settle(); // the poller finds it due and sends it
    assertThat(f.sms.sentTo(B)).hasSize(1);
    late.forEach(Runnable::run); // the accept-time dispatch arrives only now
    f.settle();
    assertThat(f.sms.sentTo(B)).hasSize(1);
  }

  @Test
  @DisplayName("SMS to one phone go out in the order they were accepted, even when the first must be retried")
  void smsToOnePhoneKeepTheirOrderAcrossARetry() {
    f.sms.answerNext(new SubmitOutcome.Retry("smpp link down", Duration.ofSeconds(10)));
    f.chat.send(A, "+8613800000002", "m1", Origin.WEB, null);
    f.settle(); // m1 failed and waits for its retry (first attempts in flight together are not serialised)
    for (int i = 2; i <= 4; i++) {
      f.chat.send(A, "+8613800000002", "m" + i, Origin.WEB, null);
    }
    f.chat.send(A, "+8613800000003", "to C", Origin.WEB, null);
    f.settle();
    // The first is waiting for its retry; the others to B wait behind it; C is not held up.
    assertThat(f.sms.sentTo(B)).extracting(s -> s.text().substring(0, s.text().indexOf(' ', 13)))
        .containsExactly("13800000001: m1");
    assertThat(f.sms.sentTo(C)).hasSize(1);
    f.clock.advance(Duration.ofSeconds(30));
    f.settle();
    assertThat(f.sms.sentTo(B)).extracting(s -> s.text().split(" ")[1])
        .containsExactly("m1", "m1", "m2", "m3", "m4");
  }
}
