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
}
