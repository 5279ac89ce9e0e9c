package chatgate.cluster;

import io.nats.client.KeyValue;
import java.io.IOException;
import java.time.Duration;

/**
 * Each node needs its own Snowflake worker number (1–1022; 0 is a single node's, 1023 the admin
 * tool's) so ids never collide. A node leases the lowest free number in the nodes bucket and
 * renews it; a dead node's number is free again after the bucket's TTL.
 */
public final class WorkerIds {
  public static final Duration TTL = Duration.ofSeconds(30);
  public static final long RENEW_MS = 5_000;
  private static final int FIRST = 1;
  private static final int LAST = 1022;

  private WorkerIds() {}

  public static Lease acquire(NatsCluster cluster) throws IOException {
    KeyValue kv = cluster.bucket(NatsCluster.NODES_BUCKET, TTL);
    for (int n = FIRST; n <= LAST; n++) {
      var lease = Lease.tryAcquire(kv, "worker." + n, cluster.settings().nodeId());
      if (lease.isPresent()) {
        return lease.get();
      }
    }
    throw new IOException("all Snowflake worker numbers 1.." + LAST + " are leased: too many nodes");
  }

  /** The number in a worker lease's key. */
  public static int number(Lease lease) {
    return Integer.parseInt(lease.key().substring("worker.".length()));
  }
}
