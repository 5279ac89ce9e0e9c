package chatgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.cluster.peer.NatsServer;
import chatgate.core.model.GroupId;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.port.LivePush.PushItem;
import chatgate.core.testing.RecordingLivePush;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Live push by subject across nodes (issue 7, P2.4), against a real nats-server. */
class NatsLivePushIT {
  private static final Msisdn BOB = Msisdn.of("+8613800000002");
  private static final Msisdn ALICE = Msisdn.of("+8613800000001");
  private NatsServer server;
  private NatsCluster nodeA;
  private NatsCluster nodeB;
  private final RecordingLivePush streamsA = new RecordingLivePush();
  private final RecordingLivePush streamsB = new RecordingLivePush();
  private NatsLivePush pushA;
  private NatsLivePush pushB;

  @BeforeEach
  void start() throws Exception {
    server = NatsServer.start();
    nodeA = NatsCluster.connect(new ClusterSettings(server.url(), "a", Duration.ofSeconds(30)));
    nodeB = NatsCluster.connect(new ClusterSettings(server.url(), "b", Duration.ofSeconds(30)));
    pushA = new NatsLivePush(nodeA, streamsA, Duration.ofSeconds(2));
    pushB = new NatsLivePush(nodeB, streamsB, Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() throws Exception {
    nodeA.close();
    nodeB.close();
    server.close();
  }

  private static PushItem item(String body) {
    return new PushItem(7L, new MessageId(42L), Optional.of(ALICE), "Alice <&>", Optional.of(new GroupId("team")),
        body, "tok-1", Instant.parse("2026-11-25T10:00:00Z"));
  }

  @Test
  void p2_4_aMessageReachesTheStreamOnAnotherNodeWithEveryField() {
    streamsA.open(BOB);
    pushA.firstOpened(BOB); // a holds Bob's open page and listens on his subject
    await().atMost(Duration.ofSeconds(2)).until(() -> {
      nodeA.connection().flush(Duration.ofSeconds(1));
      return true;
    });
    PushItem sent = item("你好 <b>bob</b>");
    assertThat(pushB.push(BOB, sent)).isTrue();
    assertThat(streamsA.pushedTo(BOB)).containsExactly(sent);
    assertThat(streamsB.pushedTo(BOB)).isEmpty();
  }

  @Test
  void withNoStreamAnywhereThePushSaysNotTaken() {
    assertThat(pushB.push(BOB, item("hi"))).isFalse();
  }

  @Test
  void aClosedStreamStopsListening() throws Exception {
    streamsA.open(BOB);
    pushA.firstOpened(BOB);
    nodeA.connection().flush(Duration.ofSeconds(1));
    assertThat(pushB.push(BOB, item("one"))).isTrue();
    streamsA.close(BOB);
    pushA.lastClosed(BOB);
    nodeA.connection().flush(Duration.ofSeconds(1));
    assertThat(pushA.subscribed()).isZero();
    assertThat(pushB.push(BOB, item("two"))).isFalse();
    assertThat(streamsA.pushedTo(BOB)).hasSize(1);
  }

  @Test
  void aNodesOwnStreamIsPushedWithoutNats() throws Exception {
    streamsB.open(BOB);
    nodeB.close(); // no NATS at all: the local stream still takes it
    assertThat(pushB.push(BOB, item("local"))).isTrue();
  }

  private static chatgate.core.model.SentReport report(chatgate.core.model.Target to) {
    return new chatgate.core.model.SentReport(new MessageId(43L), to, Instant.parse("2026-11-25T10:00:00Z"),
        java.util.List.of(
            new chatgate.core.model.SentReport.Copy(BOB, "Bob <&> 鲍勃", new chatgate.core.model.SentState(
                chatgate.core.model.SentState.Phase.DELIVERED, chatgate.core.model.SentState.Reason.NONE),
                Instant.parse("2026-11-25T10:01:00Z")),
            new chatgate.core.model.SentReport.Copy(Msisdn.of("+8613800000003"), "13800000003",
                new chatgate.core.model.SentState(chatgate.core.model.SentState.Phase.FAILED,
                    chatgate.core.model.SentState.Reason.STOP), Instant.parse("2026-11-25T10:02:00Z"))));
  }

  @Test
  @DisplayName("issue 16: a sent message's state reaches the sender's stream on another node with every field")
  void aSentStateReachesTheSendersStreamOnAnotherNode() throws Exception {
    streamsA.open(ALICE);
    pushA.firstOpened(ALICE); // a holds Alice's open page
    nodeA.connection().flush(Duration.ofSeconds(1));
    chatgate.core.model.SentReport group = report(new GroupId("team"));
    chatgate.core.model.SentReport one = report(BOB);
    pushB.pushState(ALICE, group); // b's delivery stage saw the receipt
    pushB.pushState(ALICE, one);
    await().atMost(Duration.ofSeconds(5)).until(() -> streamsA.statesTo(ALICE).size() == 2);
    assertThat(streamsA.statesTo(ALICE)).containsExactly(group, one);
    assertThat(streamsB.statesTo(ALICE)).isEmpty();
  }

  @Test
  void aSentStateForANodesOwnStreamStaysOnThatNode() throws Exception {
    streamsB.open(ALICE);
    pushB.firstOpened(ALICE);
    nodeB.close(); // no NATS at all: the local stream still gets it
    pushB.pushState(ALICE, report(BOB));
    assertThat(streamsB.statesTo(ALICE)).containsExactly(report(BOB));
  }

  @Test
  void aSentStateWithNoStreamAnywhereIsDropped() throws Exception {
    pushB.pushState(ALICE, report(BOB)); // nobody listens: no error, nothing to wait for
    nodeB.connection().flush(Duration.ofSeconds(1)); // it reached the server before the page opened
    streamsA.open(ALICE);
    pushA.firstOpened(ALICE);
    nodeA.connection().flush(Duration.ofSeconds(1));
    pushB.pushState(ALICE, report(new GroupId("team")));
    await().atMost(Duration.ofSeconds(5)).until(() -> streamsA.statesTo(ALICE).size() == 1);
    assertThat(streamsA.statesTo(ALICE).getFirst().target()).isEqualTo(new GroupId("team"));
  }
}
