package chatgate.cluster;

import chatgate.cluster.peer.NatsServer;
import chatgate.core.contract.LivePushContract;
import chatgate.core.model.Msisdn;
import chatgate.core.model.SentReport;
import chatgate.core.port.LivePush;
import chatgate.core.port.LivePush.PushItem;
import chatgate.core.testing.RecordingLivePush;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Live push across nodes keeps the {@link LivePush} contract against a real nats-server: node b's
 * delivery stage pushes, the pages' streams are open on node a.
 */
class NatsLivePushContractIT implements LivePushContract {
  private NatsServer server;
  private NatsCluster nodeA;
  private NatsCluster nodeB;
  private final RecordingLivePush streamsA = new RecordingLivePush();
  private NatsLivePush pushA;
  private NatsLivePush pushB;

  @BeforeEach
  void start() throws Exception {
    server = NatsServer.start();
    nodeA = NatsCluster.connect(new ClusterSettings(server.url(), "a", Duration.ofSeconds(30)));
    nodeB = NatsCluster.connect(new ClusterSettings(server.url(), "b", Duration.ofSeconds(30)));
    pushA = new NatsLivePush(nodeA, streamsA, Duration.ofSeconds(2));
    pushB = new NatsLivePush(nodeB, new RecordingLivePush(), Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() throws Exception {
    nodeA.close();
    nodeB.close();
    server.close();
  }

  @Override
  public LivePush push() {
    return pushB;
  }

  @Override
  public Stream open(Msisdn owner) throws Exception {
    // What b published before this stream opened has reached the server (and nobody) first: the
    // page opens after it, as the contract's "no stream" cases mean.
    nodeB.connection().flush(Duration.ofSeconds(2));
    streamsA.open(owner);
    pushA.firstOpened(owner); // as NatsPresence tells it when a's first stream of the owner opens
    nodeA.connection().flush(Duration.ofSeconds(2)); // the subscription is on the server before any push
    return new Stream() {
      @Override
      public List<PushItem> items() {
        return streamsA.pushedTo(owner);
      }

      @Override
      public List<SentReport> states() {
        return streamsA.statesTo(owner);
      }

      @Override
      public void close() throws Exception {
        streamsA.close(owner);
        pushA.lastClosed(owner);
        nodeA.connection().flush(Duration.ofSeconds(2));
      }
    };
  }
}
