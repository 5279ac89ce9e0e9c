package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.core.model.GroupId;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.SentReport;
import chatgate.core.model.SentState;
import chatgate.core.port.LivePush;
import chatgate.core.port.LivePush.PushItem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LivePush} does (P2.4, issue 16): a push is taken only by an open stream of
 * its recipient, every field and the order arrive intact, a closed stream takes nothing, and a
 * sent message's state reaches the sender's streams. An implementation may deliver across nodes,
 * so arrivals are awaited; "nothing arrived" is asserted only after a canary that did.
 */
public interface LivePushContract {
  /** The side the delivery stage pushes through. */
  LivePush push();

  /** Opens a stream of {@code owner}, as a page would (on whichever node the implementation puts it). */
  Stream open(Msisdn owner) throws Exception;

  /** A page's open stream as the test reads it. */
  interface Stream {
    /** Everything this stream has been given so far, in order. */
    List<PushItem> items();

    List<SentReport> states();

    /** The page went away; once this returns, the stream takes nothing more. */
    void close() throws Exception;
  }

  Msisdn ALICE = Msisdn.of("+8613800000001");
  Msisdn BOB = Msisdn.of("+8613800000002");
  Duration WAIT = Duration.ofSeconds(5);

  static PushItem item(long deliveryId, String body) {
    return new PushItem(deliveryId, new MessageId(1000 + deliveryId), Optional.of(ALICE), "Alice <&> 爱丽丝",
        Optional.of(new GroupId("team")), body, "tok-" + deliveryId, Instant.parse("2026-11-25T10:00:00Z"));
  }

  static SentReport report(long messageId, SentState.Phase phase) {
    return new SentReport(new MessageId(messageId), BOB, Instant.parse("2026-11-25T10:00:00Z"),
        List.of(new SentReport.Copy(BOB, "Bob 鲍勃", new SentState(phase, SentState.Reason.NONE),
            Instant.parse("2026-11-25T10:01:00Z"))));
  }

  @Test
  default void withNoStreamAPushIsNotTaken() {
    assertThat(push().push(BOB, item(1, "hi"))).isFalse();
  }

  @Test
  default void p2_4_anOpenStreamTakesEveryFieldInOrder() throws Exception {
    Stream bob = open(BOB);
    PushItem first = item(1, "你好 <b>bob</b> & \"x\"");
    PushItem second = item(2, "second");
    assertThat(push().push(BOB, first)).isTrue();
    assertThat(push().push(BOB, second)).isTrue();
    await().atMost(WAIT).until(() -> bob.items().size() == 2);
    assertThat(bob.items()).containsExactly(first, second);
  }

  @Test
  default void onlyTheRecipientsStreamsTakeIt() throws Exception {
    Stream alice = open(ALICE);
    assertThat(push().push(BOB, item(1, "for bob"))).isFalse();
    PushItem canary = item(2, "canary");
    assertThat(push().push(ALICE, canary)).isTrue();
    await().atMost(WAIT).until(() -> !alice.items().isEmpty());
    assertThat(alice.items()).containsExactly(canary);
  }

  @Test
  default void everyOpenStreamOfTheRecipientTakesIt() throws Exception {
    Stream phone = open(BOB);
    Stream desktop = open(BOB);
    PushItem sent = item(1, "to both");
    assertThat(push().push(BOB, sent)).isTrue();
    await().atMost(WAIT).until(() -> phone.items().size() == 1 && desktop.items().size() == 1);
    assertThat(phone.items()).containsExactly(sent);
    assertThat(desktop.items()).containsExactly(sent);
  }

  @Test
  default void aClosedStreamTakesNothing() throws Exception {
    Stream bob = open(BOB);
    assertThat(push().push(BOB, item(1, "before"))).isTrue();
    bob.close();
    assertThat(push().push(BOB, item(2, "after"))).isFalse();
  }

  @Test
  default void aSentStateReachesTheSendersStreamsInOrder() throws Exception {
    Stream alice = open(ALICE);
    SentReport sent = report(43, SentState.Phase.SENT);
    SentReport delivered = report(43, SentState.Phase.DELIVERED);
    push().pushState(ALICE, sent);
    push().pushState(ALICE, delivered);
    await().atMost(WAIT).until(() -> alice.states().size() == 2);
    assertThat(alice.states()).containsExactly(sent, delivered);
    assertThat(alice.items()).isEmpty();
  }

  @Test
  default void aSentStateWithNoStreamIsDroppedQuietly() throws Exception {
    push().pushState(BOB, report(44, SentState.Phase.SENT)); // nobody listens: no error, nothing kept
    Stream bob = open(BOB);
    SentReport canary = report(45, SentState.Phase.DELIVERED);
    push().pushState(BOB, canary);
    await().atMost(WAIT).until(() -> !bob.states().isEmpty());
    assertThat(bob.states()).containsExactly(canary);
  }
}
