package chatgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.cluster.peer.NatsServer;
import io.nats.client.KeyValue;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases with fencing on JetStream KV (issue 7), against a real nats-server. */
class LeaseIT {
  private NatsServer server;
  private NatsCluster nodeA;
  private NatsCluster nodeB;

  @BeforeEach
  void start() throws Exception {
    server = NatsServer.start();
    nodeA = NatsCluster.connect(new ClusterSettings(server.url(), "a", Duration.ofSeconds(30)));
    nodeB = NatsCluster.connect(new ClusterSettings(server.url(), "b", Duration.ofSeconds(30)));
  }

  @AfterEach
  void stop() throws Exception {
    nodeA.close();
    nodeB.close();
    server.close();
  }

  @Test
  void oneHolderAtATimeAndTheKeyIsFreeAgainWhenGivenUp() throws Exception {
    KeyValue kvA = nodeA.bucket("t_leases", Duration.ofSeconds(30));
    KeyValue kvB = nodeB.bucket("t_leases", Duration.ofSeconds(30));
    Lease held = Lease.tryAcquire(kvA, "smpp.bind.0", "a").orElseThrow();
    assertThat(Lease.tryAcquire(kvB, "smpp.bind.0", "b")).isEmpty();
    assertThat(Lease.holder(kvB, "smpp.bind.0")).contains("a");
    assertThat(held.renew()).isTrue();
    held.close();
    assertThat(Lease.tryAcquire(kvB, "smpp.bind.0", "b")).isPresent();
  }

  @Test
  void aHolderThatMissedItsRenewalsIsFencedOutAndTold() throws Exception {
    KeyValue kvA = nodeA.bucket("t_short", Duration.ofSeconds(2));
    KeyValue kvB = nodeB.bucket("t_short", Duration.ofSeconds(2));
    Lease stale = Lease.tryAcquire(kvA, "im.8613800000001", "a").orElseThrow();
    long token = stale.revision();
    // a stalls past the TTL (a long GC pause, a partition): b takes the key over.
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> Lease.tryAcquire(kvB, "im.8613800000001", "b").isPresent());
    assertThat(Lease.holder(kvA, "im.8613800000001")).contains("b");
    // a wakes up: its renewal against its old revision fails, and it is told.
    AtomicBoolean told = new AtomicBoolean();
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
    try {
      stale.keep(s, 50, () -> told.set(true));
      await().atMost(Duration.ofSeconds(5)).untilTrue(told);
    } finally {
      s.shutdownNow();
    }
    assertThat(stale.held()).isFalse();
    assertThat(stale.revision()).isEqualTo(token);
    stale.close(); // must not delete b's key
    assertThat(Lease.holder(kvB, "im.8613800000001")).contains("b");
  }

  @Test
  void nodesGetDistinctWorkerNumbersAndADeadNodesNumberIsFreedByTheTtl() throws Exception {
    Lease a = WorkerIds.acquire(nodeA);
    Lease b = WorkerIds.acquire(nodeB);
    assertThat(WorkerIds.number(a)).isEqualTo(1);
    assertThat(WorkerIds.number(b)).isEqualTo(2);
    a.close();
    assertThat(WorkerIds.number(WorkerIds.acquire(nodeA))).isEqualTo(1);
  }
}
