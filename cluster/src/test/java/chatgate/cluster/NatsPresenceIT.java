package chatgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.cluster.peer.NatsServer;
import chatgate.core.contract.PresenceRegistryContract;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Presence;
import chatgate.core.port.PresenceRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Presence on JetStream KV (issue 7): the registry contract on one node, and what one node sees
 * of another's users, against a real nats-server started by the test.
 */
class NatsPresenceIT implements PresenceRegistryContract {
  private NatsServer server;
  private NatsCluster nodeA;
  private NatsCluster nodeB;
  private NatsPresence a;
  private NatsPresence b;
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @BeforeEach
  void start() throws Exception {
    server = NatsServer.start();
    nodeA = NatsCluster.connect(new ClusterSettings(server.url(), "a", Duration.ofSeconds(30)));
    nodeB = NatsCluster.connect(new ClusterSettings(server.url(), "b", Duration.ofSeconds(30)));
    a = new NatsPresence(nodeA, WAP_IDLE, ONLINE_IDLE, clock);
    b = new NatsPresence(nodeB, WAP_IDLE, ONLINE_IDLE, clock);
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    nodeA.close();
    nodeB.close();
    server.close();
  }

  @Override
  public PresenceRegistry presence() {
    return a;
  }

  @Test
  void p2_8_aPageFetchOnOneNodeIsSeenOnAnother() {
    a.pageFetched(A, NOW);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> b.presence(A, NOW.plusSeconds(1)).equals(new Presence(true, true, false)));
    assertThat(b.onlineUsers(NOW)).containsExactly(A);
    assertThat(b.presence(A, NOW.plusSeconds(61)).browsing()).isFalse();
  }

  @Test
  void p2_4_aStreamOpenOnOneNodeCountsOnAnotherUntilItCloses() {
    a.streamOpened(A, NOW);
    await().atMost(Duration.ofSeconds(5)).until(() -> b.presence(A, NOW).streaming());
    a.streamClosed(A, NOW.plusSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> !b.presence(A, NOW.plusSeconds(6)).streaming());
    assertThat(b.presence(A, NOW.plusSeconds(6)).browsing()).isTrue();
  }

  @Test
  void aDeadNodesStreamsStopCountingWithinThreeHeartbeats() throws Exception {
    a.streamOpened(A, NOW);
    await().atMost(Duration.ofSeconds(5)).until(() -> b.presence(A, NOW).streaming());
    // Node a dies with the stream open: nobody closes it, nobody heartbeats it.
    a.close();
    nodeA.close();
    Instant died = Instant.now();
    await().atMost(Duration.ofSeconds(25)).until(() -> !b.presence(A, NOW).streaming());
    assertThat(Duration.between(died, Instant.now())).isLessThan(Duration.ofSeconds(21));
    // What a saw is still history: A was browsing at NOW.
    assertThat(b.presence(A, NOW).online()).isTrue();
    a = new NatsPresence(nodeB, WAP_IDLE, ONLINE_IDLE, clock); // closed again in stop()
  }

  @Test
  void logoutOnOneNodeIsOfflineEverywhere() {
    a.pageFetched(A, NOW);
    b.online(B, NOW);
    await().atMost(Duration.ofSeconds(5)).until(() -> b.presence(A, NOW).online() && a.presence(B, NOW).online());
    b.offline(A);
    assertThat(b.presence(A, NOW)).isEqualTo(Presence.OFFLINE);
    await().atMost(Duration.ofSeconds(5)).until(() -> a.presence(A, NOW).equals(Presence.OFFLINE));
    assertThat(a.onlineUsers(NOW)).containsExactly(B);
  }

  @Test
  void streamsOnTwoNodesAddUp() {
    Msisdn c = Msisdn.of("+8613800000003");
    a.streamOpened(c, NOW);
    b.streamOpened(c, NOW);
    await().atMost(Duration.ofSeconds(5)).until(() -> a.presence(c, NOW).streaming() && b.presence(c, NOW).streaming());
    b.streamClosed(c, NOW.plusSeconds(1));
    // a's stream is still open: everyone still sees c streaming.
    assertThat(b.presence(c, NOW.plusSeconds(2)).streaming()).isTrue();
  }
}
