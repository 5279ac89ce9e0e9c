package chatgate.cluster;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connection to NATS and the JetStream KV buckets the cluster shares. Buckets are
 * file-backed so a NATS restart keeps leases and presence; every bucket keeps one revision per
 * key (the revision is the fencing token of a lease).
 */
public final class NatsCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NatsCluster.class);
  public static final String PRESENCE_BUCKET = "chatgate_presence";
  public static final String NODES_BUCKET = "chatgate_nodes";

  private final Connection nc;
  private final ClusterSettings settings;

  private NatsCluster(Connection nc, ClusterSettings settings) {
    this.nc = nc;
    this.settings = settings;
  }

  /** Connects (retrying for ever once connected: a NATS restart is waited out, not fatal). */
  public static NatsCluster connect(ClusterSettings s) throws IOException, InterruptedException {
    Options o = Options.builder()
        .server(s.natsUrl())
        .connectionName("chatgate-" + s.nodeId())
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(500))
        .connectionTimeout(Duration.ofSeconds(5))
        .connectionListener((conn, event) -> {
          if (event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.RECONNECTED) {
            log.info("NATS {}", event.name().toLowerCase(Locale.ROOT));
          }
        })
        .build();
    return new NatsCluster(Nats.connect(o), s);
  }

  public Connection connection() {
    return nc;
  }

  public ClusterSettings settings() {
    return settings;
  }

  public boolean connected() {
    return nc.getStatus() == Connection.Status.CONNECTED;
  }

  /** The bucket, made with this TTL if it does not exist yet (an existing one is used as it is). */
  public KeyValue bucket(String name, Duration ttl) throws IOException {
    try {
      var kvm = nc.keyValueManagement();
      if (!kvm.getBucketNames().contains(name)) {
        try {
          kvm.create(KeyValueConfiguration.builder().name(name).maxHistoryPerKey(1).ttl(ttl)
              .storageType(StorageType.File).build());
        } catch (JetStreamApiException raced) {
          // another node made it first
        }
      }
      return nc.keyValue(name);
    } catch (JetStreamApiException e) {
      throw new IOException("cannot open KV bucket " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      nc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
