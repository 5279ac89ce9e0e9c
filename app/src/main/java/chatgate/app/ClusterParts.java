package chatgate.app;

import chatgate.app.config.Config;
import chatgate.cluster.ClusterSettings;
import chatgate.cluster.Lease;
import chatgate.cluster.NatsCluster;
import chatgate.cluster.NatsImOwners;
import chatgate.cluster.NatsLivePush;
import chatgate.cluster.NatsPresence;
import chatgate.cluster.WorkerIds;
import chatgate.core.port.LivePush;
import chatgate.store.JdbcStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node of a cluster adds to the single-node wiring ({@code [cluster]}): the NATS
 * connection, a leased Snowflake worker number, presence shared through JetStream KV, live push
 * by subject, and deliveries claimed per node in the shared store (ADR 0010).
 */
final class ClusterParts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterParts.class);
  /** A node answers a push for a user it holds a stream of within this, or the stage falls back. */
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(2);

  final NatsCluster nats;
  final Lease worker;
  final NatsPresence presence;
  final NatsLivePush live;
  final NatsImOwners imOwners;
  private final ScheduledExecutorService leases =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cluster-leases").daemon().factory());

  private ClusterParts(NatsCluster nats, Lease worker, NatsPresence presence, NatsLivePush live,
      NatsImOwners imOwners) {
    this.imOwners = imOwners;
    this.nats = nats;
    this.worker = worker;
    this.presence = presence;
    this.live = live;
  }

  static ClusterParts join(Config c, Clock clock, LivePush localStreams, JdbcStore store) {
    ClusterSettings s = new ClusterSettings(c.cluster().natsUrl(), c.cluster().nodeId(), c.cluster().claimHold());
    NatsCluster nats;
    try {
      nats = NatsCluster.connect(s);
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach NATS at " + s.natsUrl() + " ([cluster] nats_url): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS", e);
    }
    try {
      Lease worker = WorkerIds.acquire(nats);
      NatsPresence presence = new NatsPresence(nats, c.chat().wapIdle(), c.chat().onlineIdle(), clock);
      NatsLivePush live = new NatsLivePush(nats, localStreams, PUSH_TIMEOUT);
      presence.streamWatcher(live);
      store.shareDeliveries(s.nodeId(), s.claimHold());
      NatsImOwners imOwners = new NatsImOwners(nats, PUSH_TIMEOUT);
      ClusterParts parts = new ClusterParts(nats, worker, presence, live, imOwners);
      worker.keep(parts.leases, WorkerIds.RENEW_MS, () -> {
        // Another node has our Snowflake number: going on could give two messages one id.
        log.error("node {} lost its worker number {}: stopping so ids cannot collide", s.nodeId(),
            WorkerIds.number(worker));
        Runtime.getRuntime().halt(75);
      });
      log.info("node {} joined the cluster at {} with worker number {}", s.nodeId(), s.natsUrl(),
          WorkerIds.number(worker));
      return parts;
    } catch (IOException | RuntimeException e) {
      nats.close();
      throw new IllegalStateException("cannot join the cluster at " + s.natsUrl() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    leases.shutdownNow();
    imOwners.close(); // other nodes then tell this node's IM phones to log in again
    presence.close();
    worker.close();
    nats.close();
  }
}
