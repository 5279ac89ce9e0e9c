package chatgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.cluster.peer.NatsServer;
import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsPort.OutboundSms;
import chatgate.core.port.SmsPort.SubmitOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SMPP binds leased among nodes, MT handed to a bind holder (issue 7), against a real nats-server. */
class NatsSmsRelayIT {
  NatsServer server;
  NatsCluster clusterA;
  NatsCluster clusterB;
  NatsSmsRelay a;
  NatsSmsRelay b;
  /** What each node's link (standing in for an SMPP bind) submitted, by node. */
  final List<String> submitted = new CopyOnWriteArrayList<>();

  final class FakeLink implements NatsSmsRelay.Link {
    final String node;
    volatile boolean open;

    FakeLink(String node) {
      this.node = node;
    }

    @Override
    public CompletionStage<SubmitOutcome> submit(OutboundSms sms) {
      submitted.add(node + ":" + sms.text());
      return CompletableFuture.completedFuture(sms.text().startsWith("bad")
          ? new SubmitOutcome.Failed("ESME_RINVDSTADR")
          : new SubmitOutcome.Accepted(List.of(node + "-1", node + "-2")));
    }

    @Override
    public void start() {
      open = true;
    }

    @Override
    public boolean bound() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = NatsServer.start();
    clusterA = NatsCluster.connect(new ClusterSettings(server.url(), "a", Duration.ofSeconds(30)));
    clusterB = NatsCluster.connect(new ClusterSettings(server.url(), "b", Duration.ofSeconds(30)));
    a = new NatsSmsRelay(clusterA, 1, () -> new FakeLink("a"), Duration.ofSeconds(5)).start();
    b = new NatsSmsRelay(clusterB, 1, () -> new FakeLink("b"), Duration.ofSeconds(5)).start();
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    clusterA.close();
    clusterB.close();
    server.close();
  }

  private static OutboundSms sms(String text) {
    return new OutboundSms("d1", Msisdn.of("+8613800000002"), text, Optional.empty(), false);
  }

  @Test
  void oneBindForTwoNodesTheOtherHandsItsMtToTheHolder() throws Exception {
    assertThat(a.holdsBind()).isTrue();
    assertThat(b.holdsBind()).isFalse();
    SubmitOutcome viaA = b.submit(sms("你好 from b")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(viaA).isEqualTo(new SubmitOutcome.Accepted(List.of("a-1", "a-2")));
    assertThat(b.submit(sms("bad number")).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(new SubmitOutcome.Failed("ESME_RINVDSTADR"));
    assertThat(submitted).containsExactly("a:你好 from b", "a:bad number");
  }

  @Test
  void whenTheHolderDiesTheOtherTakesTheBindWithinTheTtl() throws Exception {
    clusterA.close(); // a dies: no renewals, no answers
    SubmitOutcome meanwhile = b.submit(sms("while nobody binds")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(meanwhile).isInstanceOf(SubmitOutcome.Retry.class);
    await().atMost(NatsSmsRelay.TTL.plusSeconds(10)).until(b::holdsBind);
    assertThat(b.submit(sms("after")).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(new SubmitOutcome.Accepted(List.of("b-1", "b-2")));
  }
}
