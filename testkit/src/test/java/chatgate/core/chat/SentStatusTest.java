package chatgate.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.Route;
import chatgate.core.model.SentReport;
import chatgate.core.model.SentState;
import chatgate.core.model.SentState.Phase;
import chatgate.core.model.SentState.Reason;
import chatgate.core.port.SmsInbound.DeliveryReport;
import chatgate.core.port.SmsPort.SubmitOutcome;
import chatgate.core.testing.CoreFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16: the state of every message a user sent, as the sender sees it, through the core
 * (the delivery stage moving real deliveries), for every state and every reason.
 */
class SentStatusTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  static final Msisdn B = Msisdn.of("+8613800000002");
  static final Msisdn C = Msisdn.of("+8613800000003");
  static final Msisdn D = Msisdn.of("+8613800000004");
  final CoreFixture f = new CoreFixture().started();
  final SentStatus status = new SentStatus(f.store, f.chat::label);

  @AfterEach
  void close() {
    f.close();
  }

  private SendResult.Sent send(Msisdn from, String to, String text) {
    SendResult r = f.chat.send(from, to, text, Origin.WEB, null);
    assertThat(r).isInstanceOf(SendResult.Sent.class);
    f.settle();
    return (SendResult.Sent) r;
  }

  private SentReport latest(Msisdn sender) {
    return status.recent(sender, Optional.empty(), 1).getFirst();
  }

  private SentState stateOfLatest(Msisdn sender) {
    return latest(sender).overall();
  }

  private Delivery delivery(SendResult.Sent s) {
    return f.store.item(s.deliveries().getFirst().id()).orElseThrow().delivery();
  }

  private void receipt(SendResult.Sent s, boolean delivered, String stat) {
    String smscId = delivery(s).smscIds().orElseThrow();
    f.stage.onDeliveryReport(new DeliveryReport(smscId, delivered, stat, f.clock.instant()));
  }

  // ---- through the stage, one state after another ----

  @Test
  @DisplayName("issue 16: an SMS is sent, then delivered by its receipt; the sender sees each")
  void sentBySmsThenDelivered() {
    SendResult.Sent s = send(A, "13800000002", "by SMS");
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.SENT, Reason.NONE));
    receipt(s, true, "DELIVRD");
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.DELIVERED, Reason.NONE));
    assertThat(latest(A).copies()).singleElement().satisfies(c -> {
      assertThat(c.recipient()).isEqualTo(B);
      assertThat(c.label()).isEqualTo("13800000002");
    });
  }

  @DisplayName("issue 16: a receipt that says the SMS did not arrive fails it, with the reason in the sender's terms")
  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("receipts")
  void aNegativeReceiptFailsItWithItsReason(String stat, Reason reason) {
    SendResult.Sent s = send(A, "13800000002", "lost");
    receipt(s, false, stat);
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.FAILED, reason));
  }

  static Stream<Arguments> receipts() {
    return Stream.of(Arguments.of("UNDELIV", Reason.UNREACHABLE), Arguments.of("EXPIRED", Reason.UNREACHABLE),
        Arguments.of("DELETED", Reason.UNREACHABLE), Arguments.of("UNKNOWN", Reason.UNREACHABLE),
        Arguments.of("REJECTD", Reason.REJECTED));
  }

  @Test
  @DisplayName("issue 16: to a phone that sent STOP, a chat message is not sent by SMS, and the sender is told why")
  void aRecipientWhoSentStopIsNotTexted() {
    f.users.save(f.chat.enroll(B, chatgate.core.model.Language.EN).withSmsStopped(true));
    send(A, "13800000002", "after STOP");
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.NOT_SENT, Reason.STOP));
    assertThat(f.sms.sentTo(B)).isEmpty();
    // B opens the page one day: the kept message is seen.
    f.stage.shown(f.store.unseen(B, f.clock.instant(), 10));
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.SEEN, Reason.NONE));
  }

  @Test
  @DisplayName("issue 16: pushed to the recipient's open page it is on their page, and seen once the page acknowledges it")
  void onTheirOpenPageThenSeen() {
    f.presence.streamOpened(B, f.clock.instant());
    f.live.open(B);
    SendResult.Sent s = send(A, "13800000002", "live");
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.ON_PAGE, Reason.NONE));
    f.stage.acknowledged(B, List.of(s.deliveries().getFirst().id()));
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.SEEN, Reason.NONE));
  }

  @Test
  @DisplayName("issue 16: for a recipient browsing pages that refresh, it waits for their page, then is seen when fetched")
  void waitingForTheirPageThenSeen() {
    f.presence.pageFetched(B, f.clock.instant());
    send(A, "13800000002", "next fetch");
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.ON_PAGE, Reason.NONE));
    f.stage.shown(f.store.unseen(B, f.clock.instant(), 10));
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.SEEN, Reason.NONE));
  }

  @Test
  @DisplayName("issue 16: an SMS sent and later read on the recipient's page is seen")
  void anSmsReadLaterOnThePageIsSeen() {
    SendResult.Sent s = send(A, "13800000002", "read it later");
    receipt(s, true, "DELIVRD");
    f.stage.shown(f.store.unseen(B, f.clock.instant(), 10));
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.SEEN, Reason.NONE));
  }

  @Test
  @DisplayName("issue 16: queued while the SMSC is busy (retrying), then failed when the link stays down")
  void queuedRetryingThenTheLinkStaysDown() {
    f.sms.answerNext(new SubmitOutcome.Retry("smpp link down", Duration.ZERO));
    send(A, "13800000002", "link down");
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.QUEUED, Reason.RETRYING));
    for (int i = 0; i < 4; i++) {
      f.sms.answerNext(new SubmitOutcome.Retry("smpp link down", Duration.ZERO));
      f.clock.advance(Duration.ofMinutes(11));
      f.settle();
    }
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.FAILED, Reason.LINK_DOWN));
  }

  @Test
  @DisplayName("issue 16: an SMSC that refuses the destination fails it as a bad number; another refusal as refused")
  void theSmscRefuses() {
    f.sms.answerNext(new SubmitOutcome.Failed("smsc status 0xb"));
    send(A, "13800000002", "bad number");
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.FAILED, Reason.BAD_NUMBER));
    f.sms.answerNext(new SubmitOutcome.Failed("smsc status 0x45"));
    send(A, "13800000003", "refused");
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.FAILED, Reason.REFUSED));
  }

  @Test
  @DisplayName("issue 16: a message never delivered within the retention expires")
  void expiredAfterTheRetention() {
    for (int i = 0; i < 2; i++) {
      f.sms.answerNext(new SubmitOutcome.Retry("smpp window full", Duration.ZERO));
    }
    send(A, "13800000002", "too late");
    f.clock.advance(CoreFixture.RETENTION.plusMinutes(1));
    f.settle();
    assertThat(stateOfLatest(A)).isEqualTo(new SentState(Phase.FAILED, Reason.EXPIRED));
  }

  @Test
  @DisplayName("issue 16: a group message sums up its members' copies: delivered 1/3, one failed, one still on its way")
  void aGroupMessageIsSummedUp() {
    f.groups.create(new Group(GroupId.of("family"), "Family", Set.of(A, B, C, D)));
    f.users.save(f.chat.enroll(C, chatgate.core.model.Language.EN).withSmsStopped(true));
    f.presence.pageFetched(D, f.clock.instant());
    SendResult.Sent s = send(A, "family", "dinner");
    Delivery toB = s.deliveries().stream().filter(d -> d.recipient().equals(B)).findFirst().orElseThrow();
    String smscId = f.store.item(toB.id()).orElseThrow().delivery().smscIds().orElseThrow();
    f.stage.onDeliveryReport(new DeliveryReport(smscId, true, "DELIVRD", f.clock.instant()));
    SentReport r = latest(A);
    assertThat(r.group()).isTrue();
    assertThat(r.total()).isEqualTo(3);
    assertThat(r.reached()).isEqualTo(1);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.underWay()).isEqualTo(1);
    assertThat(r.copies()).extracting(c -> c.recipient() + " " + c.state().phase() + " " + c.state().reason())
        .containsExactlyInAnyOrder(B + " DELIVERED NONE", C + " NOT_SENT STOP", D + " ON_PAGE NONE");
    // The line shows the least advanced member who may still get it.
    assertThat(r.overall()).isEqualTo(new SentState(Phase.ON_PAGE, Reason.NONE));
  }

  @Test
  void recentIsNewestFirstAndPerPartner() {
    send(A, "13800000002", "one");
    send(A, "13800000003", "two");
    send(B, "13800000001", "not A's");
    assertThat(status.recent(A, Optional.empty(), 5)).extracting(r -> r.target().id())
        .containsExactly(C.e164(), B.e164());
    assertThat(status.byMessage(A, B, 5)).hasSize(1);
    assertThat(status.recent(D, Optional.empty(), 5)).isEmpty();
  }

  // ---- live: the sender's open pages are told ----

  @Test
  @DisplayName("issue 16: each state is pushed to the sender's open page as it is reached: sent by SMS, then delivered")
  void eachStateIsPushedToTheSendersOpenPage() {
    f.presence.streamOpened(A, f.clock.instant());
    f.live.open(A);
    SendResult.Sent s = send(A, "13800000002", "follow me");
    receipt(s, true, "DELIVRD");
    assertThat(f.live.statesTo(A)).extracting(r -> r.overall().phase()).containsExactly(Phase.SENT, Phase.DELIVERED);
    assertThat(f.live.statesTo(A)).allSatisfy(r -> assertThat(r.messageId()).isEqualTo(s.message().id()));
  }

  @Test
  void aSenderWithNoOpenPageIsNotPushedAnything() {
    SendResult.Sent s = send(A, "13800000002", "nobody watching");
    receipt(s, true, "DELIVRD");
    assertThat(f.live.statesTo(A)).isEmpty();
  }

  @Test
  @DisplayName("issue 16: a group member's copy changing pushes the whole group's summary")
  void aGroupStatePushCarriesEveryMember() {
    f.groups.create(new Group(GroupId.of("team"), "Team", Set.of(A, B, C)));
    f.presence.streamOpened(A, f.clock.instant());
    f.live.open(A);
    send(A, "team", "standup");
    assertThat(f.live.statesTo(A).getLast().copies()).hasSize(2);
  }

  // ---- the mapping itself, state by state ----

  static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

  private static Delivery d(DeliveryState s) {
    return Delivery.pending(1, new MessageId(1), B, "h", T).withState(s, T);
  }

  static Stream<Arguments> states() {
    return Stream.of(
        Arguments.of(d(DeliveryState.PENDING), Phase.QUEUED, Reason.NONE),
        Arguments.of(d(DeliveryState.PENDING).withAttempt(T, "smpp window full"), Phase.QUEUED, Reason.RETRYING),
        Arguments.of(d(DeliveryState.SUBMITTING).withRoute(Route.SMS), Phase.QUEUED, Reason.NONE),
        Arguments.of(d(DeliveryState.AWAITING_FETCH).withRoute(Route.LIVE_PAGE), Phase.ON_PAGE, Reason.NONE),
        Arguments.of(d(DeliveryState.AWAITING_FETCH).withRoute(Route.LIVE_STREAM), Phase.ON_PAGE, Reason.NONE),
        Arguments.of(d(DeliveryState.PUSHED).withSeenAt(T), Phase.SEEN, Reason.NONE),
        Arguments.of(d(DeliveryState.SENT).withRoute(Route.SMS), Phase.SENT, Reason.NONE),
        Arguments.of(d(DeliveryState.SENT).withRoute(Route.WAP_PUSH), Phase.SENT, Reason.NONE),
        Arguments.of(d(DeliveryState.SENT).withSeenAt(T), Phase.SEEN, Reason.NONE),
        Arguments.of(d(DeliveryState.DELIVERED), Phase.DELIVERED, Reason.NONE),
        Arguments.of(d(DeliveryState.DELIVERED).withSeenAt(T), Phase.SEEN, Reason.NONE),
        Arguments.of(d(DeliveryState.KEPT).withError("recipient sent STOP"), Phase.NOT_SENT, Reason.STOP),
        Arguments.of(d(DeliveryState.KEPT).withError("destination not allowed"), Phase.NOT_SENT, Reason.NOT_ALLOWED),
        Arguments.of(d(DeliveryState.KEPT), Phase.NOT_SENT, Reason.NONE),
        Arguments.of(d(DeliveryState.KEPT).withSeenAt(T), Phase.SEEN, Reason.NONE),
        Arguments.of(d(DeliveryState.FAILED).withError("recipient sent STOP"), Phase.FAILED, Reason.STOP),
        Arguments.of(d(DeliveryState.FAILED).withError("destination not allowed"), Phase.FAILED, Reason.NOT_ALLOWED),
        Arguments.of(d(DeliveryState.FAILED).withError("DLR UNDELIV"), Phase.FAILED, Reason.UNREACHABLE),
        Arguments.of(d(DeliveryState.FAILED).withError("DLR REJECTD"), Phase.FAILED, Reason.REJECTED),
        Arguments.of(d(DeliveryState.FAILED).withError("smsc status 0xb"), Phase.FAILED, Reason.BAD_NUMBER),
        Arguments.of(d(DeliveryState.FAILED).withError("smsc status 0x58 (throttled)"), Phase.FAILED, Reason.REFUSED),
        Arguments.of(d(DeliveryState.FAILED).withError("cannot encode: x"), Phase.FAILED, Reason.REFUSED),
        Arguments.of(d(DeliveryState.FAILED).withError("expired"), Phase.FAILED, Reason.EXPIRED),
        Arguments.of(d(DeliveryState.FAILED).withError("smpp link down"), Phase.FAILED, Reason.LINK_DOWN),
        Arguments.of(d(DeliveryState.FAILED).withError("smpp response timeout"), Phase.FAILED, Reason.LINK_DOWN),
        Arguments.of(d(DeliveryState.FAILED).withError("something new"), Phase.FAILED, Reason.OTHER),
        // A failure stays a failure even if the recipient opened the page afterwards.
        Arguments.of(d(DeliveryState.FAILED).withError("DLR UNDELIV").withSeenAt(T), Phase.FAILED, Reason.UNREACHABLE));
  }

  @DisplayName("issue 16: every delivery state and error reads as the sender sees it")
  @ParameterizedTest(name = "{0}")
  @MethodSource("states")
  void everyStateAndReason(Delivery d, Phase phase, Reason reason) {
    assertThat(SentState.of(d)).isEqualTo(new SentState(phase, reason));
  }

  @Test
  void everyDeliveryStateIsCoveredByTheTable() {
    assertThat(states().map(a -> ((Delivery) a.get()[0]).state()).distinct())
        .containsExactlyInAnyOrder(DeliveryState.values());
  }

  @Test
  void aMessageToNobodyElseIsQueuedWithNoCopies() {
    Message m = new Message(new MessageId(9), Optional.of(A), GroupId.of("solo"), "x", Origin.WEB, Optional.empty(),
        false, T);
    SentReport r = status.report(m, List.of());
    assertThat(r.total()).isZero();
    assertThat(r.overall().phase()).isEqualTo(Phase.QUEUED);
  }
}
