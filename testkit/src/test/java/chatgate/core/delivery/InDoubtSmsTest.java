package chatgate.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chatgate.core.chat.SendResult;
import chatgate.core.memory.MemoryMessageStore;
import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.port.MessageStore;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsInbound.DeliveryReport;
import chatgate.core.port.SmsPort.SubmitOutcome;
import chatgate.core.testing.CoreFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SMPP has no idempotent submit: a crash between the submit_sm and the record of its answer
 * leaves the SMS in doubt. Each SMS is marked SUBMITTING first; after the crash a receipt that
 * matches it (phone and quoted text) settles it, and only without one is it sent again (ADR 0011).
 */
class InDoubtSmsTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  static final Msisdn B = Msisdn.of("+8613800000002");
  static final Duration WAIT = Duration.ofSeconds(60);

  final MemoryMessageStore shared = new MemoryMessageStore();
  CoreFixture before;
  CoreFixture after;

  @AfterEach
  void close() {
    if (before != null) {
      before.close();
    }
    if (after != null) {
      after.close();
    }
  }

  /** Sends one chat message whose submit gets no answer, then "crashes": returns the delivery left behind. */
  private Delivery crashMidSubmit(String text, int segmentLength) throws InterruptedException {
    return crashMidSubmit(text, segmentLength, shared);
  }

  /** As above, the restarted stage reading and writing through {@code afterStore} (over the same data). */
  private Delivery crashMidSubmit(String text, int segmentLength, MessageStore afterStore) throws InterruptedException {
    before = new CoreFixture(shared, WAIT);
    before.sms.segmentLength(segmentLength);
    before.sms.holdNext(1);
    before.stage.start();
    SendResult.Sent s = (SendResult.Sent) before.chat.send(A, "+8613800000002", text, Origin.WEB, null);
    long id = s.deliveries().get(0).id();
    await().atMost(Duration.ofSeconds(5)).until(() -> !before.sms.sentTo(B).isEmpty());
    assertThat(before.sms.sentTo(B)).hasSize(1);
    before.close(); // the answer never comes: as if killed between submit_sm and its record
    after = new CoreFixture(afterStore, WAIT);
    after.sms.segmentLength(segmentLength);
    after.clock.set(before.clock.instant().plusSeconds(3));
    after.started();
    return shared.item(id).orElseThrow().delivery();
  }

  /**
   * {@code n} SMS to B that quote alike, none answered, then the stage "crashes" (after a further
   * {@code settleMs} for any that could still start): only one of them reached the port.
   */
  private long[] burstToBThenCrash(int n, long settleMs) throws InterruptedException {
    before = new CoreFixture(shared, WAIT);
    before.sms.holdNext(n);
    before.stage.start();
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = ((SendResult.Sent) before.chat.send(A, "+8613800000002", "ok ok ok ok ok ok ok ok #" + i, Origin.WEB, null))
          .deliveries().get(0).id();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !before.sms.held().isEmpty());
    Thread.sleep(settleMs);
    assertThat(before.sms.sentTo(B)).hasSize(1);
    before.close();
    return ids;
  }

  /**
   * Three SMS to B that quote alike are in doubt after a crash: returns their deliveries. One node
   * marks one SMS per phone at a time, so one went out from this stage and the other two are
   * marked as the bind holders of a cluster leave what they had on the wire (markSubmitting).
   */
  private long[] crashWithThreeAlike() throws InterruptedException {
    long[] ids = burstToBThenCrash(3, 50); // the others wait for the phone's turn
    Instant at = before.clock.instant();
    for (long id : ids) {
      if (shared.item(id).orElseThrow().delivery().state() == DeliveryState.PENDING) { // not the one that got the turn
        shared.markSubmitting(id, chatgate.core.model.Route.SMS, at, at.plus(WAIT));
      }
    }
    for (long id : ids) {
      assertThat(shared.item(id).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SUBMITTING);
    }
    after = new CoreFixture(shared, WAIT);
    after.clock.set(before.clock.instant().plusSeconds(3));
    after.started();
    return ids;
  }

  /** What an SMSC quotes of the first SMS sent before the crash. */
  private String quote() {
    return firstSent().substring(0, 20);
  }

  private String firstSent() {
    return before.sms.sentTo(B).get(0).text();
  }

  private DeliveryReport receipt(String smscId, String quoted) {
    return new DeliveryReport(smscId, true, "DELIVRD", after.clock.instant(), Optional.of(B), Optional.of(quoted));
  }

  private Delivery now(Delivery d) {
    return shared.item(d.id()).orElseThrow().delivery();
  }

  @Test
  @DisplayName("a crash mid-submit leaves the SMS SUBMITTING; the restarted stage does not send it at once")
  void inDoubtWaitsForAReceipt() throws InterruptedException {
    Delivery d = crashMidSubmit("hello after the crash", Integer.MAX_VALUE);
    assertThat(d.state()).isEqualTo(DeliveryState.SUBMITTING);
    assertThat(d.nextAttemptAt()).isAfter(after.clock.instant());
    assertThat(after.sms.sentTo(B)).isEmpty();
  }

  @Test
  @DisplayName("a receipt quoting the SMS settles it: DELIVERED with the SMSC's id, and never sent again")
  void aMatchingReceiptSettlesIt() throws InterruptedException {
    Delivery d = crashMidSubmit("hello after the crash", Integer.MAX_VALUE);
    after.mo.onDeliveryReport(receipt("7f01", firstSent().substring(0, 20)));
    assertThat(now(d).state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(now(d).smscIds()).contains("7f01");
    after.mo.onDeliveryReport(receipt("7f01", firstSent().substring(0, 20))); // repeated: nothing changes
    after.clock.advance(WAIT.multipliedBy(3));
    after.settle();
    assertThat(after.sms.sentTo(B)).isEmpty();
    assertThat(now(d).state()).isEqualTo(DeliveryState.DELIVERED);
  }

  @Test
  @DisplayName("the SMSC's quote is compared by its ASCII letters and digits: '?' for what its alphabet lacks")
  void quotesAreComparedLeniently() throws InterruptedException {
    Delivery d = crashMidSubmit("晚上 see you at 8", Integer.MAX_VALUE);
    String sent = firstSent();
    String quoted = sent.replaceAll("[^\\x20-\\x7e]", "?");
    after.mo.onDeliveryReport(receipt("7f02", quoted.substring(0, Math.min(20, quoted.length()))));
    assertThat(now(d).state()).isEqualTo(DeliveryState.DELIVERED);
  }

  @Test
  @DisplayName("without a matching receipt within in_doubt_wait it is sent again, once")
  void noReceiptMeansSentAgainOnce() throws InterruptedException {
    Delivery d = crashMidSubmit("hello after the crash", Integer.MAX_VALUE);
    after.mo.onDeliveryReport(receipt("9999", "something else entir")); // another SMS to B: not this one
    assertThat(now(d).state()).isEqualTo(DeliveryState.SUBMITTING);
    after.clock.advance(WAIT.plusSeconds(1));
    after.settle();
    assertThat(after.sms.sentTo(B)).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo(firstSent()));
    assertThat(now(d).state()).isEqualTo(DeliveryState.SENT);
    after.clock.advance(WAIT.multipliedBy(3));
    after.settle();
    assertThat(after.sms.sentTo(B)).hasSize(1);
  }

  @Test
  @DisplayName("a long SMS is settled only when every segment has its receipt")
  void everySegmentNeedsItsReceipt() throws InterruptedException {
    Delivery d = crashMidSubmit("the first part of a long text, and then the second part of it", 30);
    List<String> segments = after.sms.segmentTexts(before.sms.sentTo(B).get(0));
    assertThat(segments).hasSizeGreaterThan(1);
    after.mo.onDeliveryReport(receipt("a1", segments.get(1).substring(0, 20)));
    assertThat(now(d).state()).isEqualTo(DeliveryState.SUBMITTING);
    assertThat(now(d).smscIds()).contains("a1");
    for (int i = 0; i < segments.size(); i++) {
      if (i != 1) {
        after.mo.onDeliveryReport(receipt("a" + (i + 10), segments.get(i).substring(0, Math.min(20, segments.get(i).length()))));
      }
    }
    assertThat(now(d).state()).isEqualTo(DeliveryState.DELIVERED);
    after.clock.advance(WAIT.multipliedBy(2));
    after.settle();
    assertThat(after.sms.sentTo(B)).isEmpty();
  }

  @Test
  @DisplayName("SMS that quote alike are settled together once each has its receipt; one short means all are sent again")
  void smsThatQuoteAlikeAreSettledTogether() throws InterruptedException {
    long[] ids = crashWithThreeAlike();
    String quote = quote();
    after.mo.onDeliveryReport(receipt("c1", quote));
    after.mo.onDeliveryReport(receipt("c2", quote));
    for (long id : ids) {
      assertThat(shared.item(id).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SUBMITTING);
    }
    after.mo.onDeliveryReport(receipt("c3", quote));
    for (long id : ids) {
      assertThat(shared.item(id).orElseThrow().delivery().state()).isEqualTo(DeliveryState.DELIVERED);
    }
    after.clock.advance(WAIT.multipliedBy(2));
    after.settle();
    assertThat(after.sms.sentTo(B)).isEmpty();
  }

  @Test
  @DisplayName("two of three SMS that quote alike got receipts: all three are sent again (a duplicate, never a loss)")
  void aShortClassIsSentAgain() throws InterruptedException {
    crashWithThreeAlike();
    String quote = quote();
    after.mo.onDeliveryReport(receipt("c1", quote));
    after.mo.onDeliveryReport(receipt("c2", quote));
    after.clock.advance(WAIT.plusSeconds(1));
    after.settle();
    assertThat(after.sms.sentTo(B)).hasSize(3);
  }

  @Test
  @DisplayName("an SMS the port reports in doubt (a bind holder died with it) stays SUBMITTING: settled by a receipt, else sent again after the wait")
  void anInDoubtOutcomeWaitsForAReceipt() {
    after = new CoreFixture(shared, WAIT).started();
    after.sms.answerNext(new SubmitOutcome.InDoubt("the bind holder did not answer"),
        new SubmitOutcome.InDoubt("the bind holder did not answer"));
    long settled = ((SendResult.Sent) after.chat.send(A, "+8613800000002", "first one", Origin.WEB, null))
        .deliveries().get(0).id();
    after.settle();
    long resent = ((SendResult.Sent) after.chat.send(A, "+8613800000002", "second one", Origin.WEB, null))
        .deliveries().get(0).id();
    after.settle();
    assertThat(shared.item(settled).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SUBMITTING);
    assertThat(shared.item(resent).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SUBMITTING);
    String quote = after.sms.sentTo(B).get(0).text().substring(0, 20);
    after.mo.onDeliveryReport(receipt("h1", quote));
    after.clock.advance(WAIT.plusSeconds(1));
    after.settle();
    assertThat(after.sms.sentTo(B)).hasSize(3); // each once, and the second again
    assertThat(shared.item(resent).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SENT);
  }

  @Test
  @DisplayName("an SMS handed over by another node is marked SUBMITTING by the bind holder's gate, just before it goes")
  void theHolderGateMarksTheDeliveryById() {
    after = new CoreFixture(shared, WAIT);
    long id = ((SendResult.Sent) after.chat.send(A, "+8613800000002", "handed over", Origin.WEB, null))
        .deliveries().get(0).id(); // not started: as if waiting on the handing node
    var gate = after.stage.holderGate(new chatgate.core.port.SmsPort.OutboundSms("d" + id, B, "x", Optional.empty(), false));
    assertThat(shared.item(id).orElseThrow().delivery().state()).isEqualTo(DeliveryState.PENDING);
    gate.opening();
    Delivery d = shared.item(id).orElseThrow().delivery();
    assertThat(d.state()).isEqualTo(DeliveryState.SUBMITTING);
    assertThat(d.route()).contains(chatgate.core.model.Route.SMS);
    assertThat(d.nextAttemptAt()).isEqualTo(after.clock.instant().plus(WAIT));
    assertThat(after.stage.holderGate(new chatgate.core.port.SmsPort.OutboundSms("mo:1", B, "x", Optional.empty(), false)))
        .isSameAs(chatgate.core.port.SmsPort.SendGate.OPEN);
  }

  @Test
  @DisplayName("a receipt a few ms ahead of its submit's answer waits for it and is then matched by id")
  void aReceiptJustAheadOfItsSubmitAnswerWaitsForIt() throws Exception {
    after = new CoreFixture(shared, WAIT);
    after.sms.holdNext(1);
    after.stage.start();
    long id = ((SendResult.Sent) after.chat.send(A, "+8613800000002", "fast receipt", Origin.WEB, null))
        .deliveries().get(0).id();
    await().atMost(Duration.ofSeconds(5)).until(() -> !after.sms.held().isEmpty());
    String text = after.sms.sentTo(B).get(0).text();
    Thread answer = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      after.sms.held().get(0).complete(new SubmitOutcome.Accepted(List.of("f1")));
    });
    after.mo.onDeliveryReport(receipt("f1", text.substring(0, 20)));
    answer.join();
    assertThat(shared.item(id).orElseThrow().delivery().state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(shared.item(id).orElseThrow().delivery().smscIds()).contains("f1");
  }

  @Test
  @DisplayName("a receipt that overtakes its own submit's answer is refused for now (the SMSC repeats it), then matched by id")
  void aReceiptBeforeItsSubmitAnswerIsTooEarly() throws InterruptedException {
    after = new CoreFixture(shared, WAIT);
    after.sms.holdNext(1);
    after.stage.start();
    SendResult.Sent s = (SendResult.Sent) after.chat.send(A, "+8613800000002", "racing receipt", Origin.WEB, null);
    long id = s.deliveries().get(0).id();
    await().atMost(Duration.ofSeconds(5)).until(() -> !after.sms.held().isEmpty());
    String text = after.sms.sentTo(B).get(0).text();
    assertThatThrownBy(() -> after.mo.onDeliveryReport(receipt("b7", text.substring(0, 20))))
        .isInstanceOf(SmsInbound.TooEarly.class);
    assertThat(shared.item(id).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SUBMITTING);
    after.sms.held().get(0).complete(new SubmitOutcome.Accepted(List.of("b7")));
    after.settle();
    after.mo.onDeliveryReport(receipt("b7", text.substring(0, 20)));
    assertThat(shared.item(id).orElseThrow().delivery().state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(after.sms.sentTo(B)).hasSize(1);
  }

  @Test
  @DisplayName("without the marker (in_doubt_wait 0s) an SMS is never SUBMITTING: a crash sends it again at once")
  void withoutTheMarkerACrashResends() throws InterruptedException {
    before = new CoreFixture(shared, Duration.ZERO);
    before.sms.holdNext(1);
    before.stage.start();
    SendResult.Sent s = (SendResult.Sent) before.chat.send(A, "+8613800000002", "no marker", Origin.WEB, null);
    await().atMost(Duration.ofSeconds(5)).until(() -> !before.sms.sentTo(B).isEmpty());
    before.close();
    assertThat(shared.item(s.deliveries().get(0).id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.PENDING);
    after = new CoreFixture(shared, Duration.ZERO);
    after.clock.set(Instant.from(before.clock.instant()));
    after.started();
    assertThat(after.sms.sentTo(B)).hasSize(1);
  }

  @Test
  @DisplayName("a receipt whose own SMS is recorded SENT between its lookup by id and the look at SMS in doubt"
      + " settles that SMS, not an older one in doubt that quotes alike")
  void aReceiptRecordedMeanwhileIsNotTakenForOneInDoubt() throws Exception {
    java.util.Set<String> staleOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // The receipt's first lookup by id runs just before its SMS's outcome is committed.
    MessageStore racing = (MessageStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("deliveryBySmscId") && staleOnce.remove((String) args[0])) {
            return Optional.empty();
          }
          try {
            return method.invoke(shared, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    Delivery inDoubt = crashMidSubmit("ok ok ok ok ok ok ok ok #0", Integer.MAX_VALUE, racing);
    after.sms.holdNext(1);
    long younger = ((SendResult.Sent) after.chat.send(A, "+8613800000002", "ok ok ok ok ok ok ok ok #1", Origin.WEB,
        null)).deliveries().get(0).id();
    await().atMost(Duration.ofSeconds(5)).until(() -> !after.sms.held().isEmpty());
    String text = after.sms.sentTo(B).get(0).text();
    assertThat(text.substring(0, 20)).isEqualTo(quote()); // the two quote alike
    after.sms.held().get(0).complete(new SubmitOutcome.Accepted(List.of("c9")));
    after.settle();
    staleOnce.add("c9");
    after.mo.onDeliveryReport(receipt("c9", text.substring(0, 20)));
    assertThat(shared.item(younger).orElseThrow().delivery().state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(now(inDoubt).state()).isEqualTo(DeliveryState.SUBMITTING);
    assertThat(now(inDoubt).smscIds().orElse("")).doesNotContain("c9");
  }

  @Test
  @DisplayName("one SMS per phone between its marker and its outcome: a crash during a burst to one phone leaves one in"
      + " doubt, its receipt settles it, the rest go once")
  void aBurstToOnePhoneLeavesOneInDoubt() throws InterruptedException {
    long[] ids = burstToBThenCrash(5, 100);
    long inDoubt = java.util.Arrays.stream(ids)
        .filter(id -> shared.item(id).orElseThrow().delivery().state() == DeliveryState.SUBMITTING).count();
    assertThat(inDoubt).isEqualTo(1);
    after = new CoreFixture(shared, WAIT);
    after.clock.set(before.clock.instant().plusSeconds(3));
    after.started();
    after.mo.onDeliveryReport(receipt("d1", quote()));
    after.clock.advance(WAIT.multipliedBy(2));
    after.settle();
    // The one on the wire was settled by its receipt; the four never marked went once each.
    assertThat(after.sms.sentTo(B)).hasSize(4);
    assertThat(after.sms.sentTo(B)).extracting(chatgate.core.port.SmsPort.OutboundSms::text).doesNotContain(firstSent());
    for (long id : ids) {
      assertThat(shared.item(id).orElseThrow().delivery().state()).isIn(DeliveryState.DELIVERED, DeliveryState.SENT);
    }
  }

  @Test
  @DisplayName("a receipt that arrives while its submit's answer is being committed waits for that commit and is"
      + " matched by id, without a look at SMS in doubt")
  void aReceiptWaitsForTheCommitOfItsAnswer() throws Exception {
    java.util.concurrent.CountDownLatch commitStarted = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch commit = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger inDoubtLooks = new java.util.concurrent.atomic.AtomicInteger();
    MessageStore slowCommit = (MessageStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("update") && ((List<?>) args[0]).stream()
              .anyMatch(d -> ((Delivery) d).state() == DeliveryState.SENT)) {
            commitStarted.countDown();
            commit.await(); // the SENT record with its SMSC id is slow to commit
          }
          if (method.getName().equals("submittingTo")) {
            inDoubtLooks.incrementAndGet();
          }
          try {
            return method.invoke(shared, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    after = new CoreFixture(slowCommit, WAIT).started();
    after.sms.answerNext(new SubmitOutcome.Accepted(List.of("e5")));
    long id = ((SendResult.Sent) after.chat.send(A, "+8613800000002", "quick receipt", Origin.WEB, null))
        .deliveries().get(0).id();
    assertThat(commitStarted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String text = after.sms.sentTo(B).get(0).text();
    var receipt = java.util.concurrent.CompletableFuture.runAsync(() ->
        after.mo.onDeliveryReport(receipt("e5", text.substring(0, 20))));
    Thread.sleep(100);
    assertThat(receipt).isNotDone(); // waiting for the commit, not refused and not taken for another SMS
    commit.countDown();
    receipt.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(shared.item(id).orElseThrow().delivery().state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(inDoubtLooks).hasValue(0);
  }
}
