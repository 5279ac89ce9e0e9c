package chatgate.cluster;

import chatgate.cluster.peer.NatsServer;
import chatgate.core.contract.ImSessionOwnersContract;
import chatgate.core.port.ImSessionOwners;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** IM session ownership over NATS keeps the one-node {@link ImSessionOwners} contract (a real nats-server). */
class NatsImOwnersContractIT implements ImSessionOwnersContract {
  private NatsServer server;
  private NatsCluster node;
  private NatsImOwners owners;

  @BeforeEach
  void start() throws Exception {
    server = NatsServer.start();
    node = NatsCluster.connect(new ClusterSettings(server.url(), "a", Duration.ofSeconds(30)));
    owners = new NatsImOwners(node, Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() throws Exception {
    owners.close();
    node.close();
    server.close();
  }

  @Override
  public ImSessionOwners owners() {
    return owners;
  }
}
