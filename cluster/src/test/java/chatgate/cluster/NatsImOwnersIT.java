package chatgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.cluster.peer.NatsServer;
import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsInbound.MobileOriginated;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IM session ownership across nodes (issue 7): leases and MO hand-over, against a real nats-server. */
class NatsImOwnersIT {
  static final Msisdn PHONE = Msisdn.of("+8613800000001");
  static final Msisdn OTHER = Msisdn.of("+8613800000009");
  NatsServer server;
  NatsCluster clusterA;
  NatsCluster clusterB;
  NatsImOwners a;
  NatsImOwners b;
  final List<MobileOriginated> handledOnA = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = NatsServer.start();
    clusterA = NatsCluster.connect(new ClusterSettings(server.url(), "a", Duration.ofSeconds(30)));
    clusterB = NatsCluster.connect(new ClusterSettings(server.url(), "b", Duration.ofSeconds(30)));
    a = new NatsImOwners(clusterA, Duration.ofSeconds(2));
    b = new NatsImOwners(clusterB, Duration.ofSeconds(2));
    a.receiver(new SmsInbound() {
      @Override
      public void onMobileOriginated(MobileOriginated mo) {
        handledOnA.add(mo);
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {}
    });
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    clusterA.close();
    clusterB.close();
    server.close();
  }

  private static MobileOriginated mo(Msisdn from, String text) {
    return new MobileOriginated("ref-" + text, from, "10658", text, Instant.parse("2026-11-25T10:00:00Z"),
        Optional.of("460001234567890"));
  }

  @Test
  void anMoForAPhoneHeldOnAnotherNodeIsHandledThereWhole() throws Exception {
    a.holding(PHONE);
    clusterA.connection().flush(Duration.ofSeconds(1));
    assertThat(b.heldAnywhere(PHONE)).isTrue();
    MobileOriginated sent = mo(PHONE, "@bob 你好");
    assertThat(b.handOver(sent)).isTrue();
    assertThat(handledOnA).containsExactly(sent);
    // Nobody holds OTHER: handled where it arrived, at once (no responders).
    assertThat(b.handOver(mo(OTHER, "HELP"))).isFalse();
    assertThat(b.heldAnywhere(OTHER)).isFalse();
    // The holder itself never hands over.
    assertThat(a.handOver(mo(PHONE, "WHO"))).isFalse();
  }

  @Test
  @org.junit.jupiter.api.DisplayName("ADR 0022: a stored IM text another node's stage works on is submitted through the"
      + " node holding the phone's session, and its outcome comes back")
  void anImTextIsSubmittedThroughTheHolder() throws Exception {
    List<chatgate.core.port.ImSubmitter.Submission> onA = new CopyOnWriteArrayList<>();
    a.submitter(s -> {
      onA.add(s);
      return java.util.concurrent.CompletableFuture.completedFuture(s.handedBefore()
          ? new chatgate.core.port.ImSubmitter.Outcome.InDoubt() : new chatgate.core.port.ImSubmitter.Outcome.Sent());
    });
    a.holding(PHONE);
    clusterA.connection().flush(Duration.ofSeconds(1));
    var s = new chatgate.core.port.ImSubmitter.Submission(42, PHONE,
        new chatgate.core.model.ImContact("alice@localhost", "bob@localhost"), "你好 bob", "chatgate-d42", false,
        java.time.Instant.ofEpochMilli(1_796_000_000_000L));
    assertThat(b.submit(s).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOf(chatgate.core.port.ImSubmitter.Outcome.Sent.class);
    assertThat(onA).containsExactly(s);
    var again = new chatgate.core.port.ImSubmitter.Submission(42, PHONE, s.to(), s.text(), s.stanzaId(), true, s.since());
    assertThat(b.submit(again).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOf(chatgate.core.port.ImSubmitter.Outcome.InDoubt.class);
    // Nobody holds OTHER (no lease): no session, at once; the text waits for the phone's login.
    var toOther = new chatgate.core.port.ImSubmitter.Submission(43, OTHER, s.to(), "x", "chatgate-d43", false, null);
    assertThat(b.submit(toOther).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOf(chatgate.core.port.ImSubmitter.Outcome.NoSession.class);
  }

  @Test
  void aReleasedPhoneIsNoLongerHandedOver() throws Exception {
    a.holding(PHONE);
    a.released(PHONE);
    clusterA.connection().flush(Duration.ofSeconds(1));
    assertThat(b.heldAnywhere(PHONE)).isFalse();
    assertThat(b.handOver(mo(PHONE, "WHO"))).isFalse();
    assertThat(handledOnA).isEmpty();
  }

  @Test
  void aDeadHoldersLeaseLapsesWithinItsTtl() throws Exception {
    a.holding(PHONE);
    assertThat(b.heldAnywhere(PHONE)).isTrue();
    // a dies: no release, no renewals.
    clusterA.close();
    Instant died = Instant.now();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> !b.heldAnywhere(PHONE));
    assertThat(Duration.between(died, Instant.now())).isLessThanOrEqualTo(NatsImOwners.TTL.plusSeconds(2));
    assertThat(b.handOver(mo(PHONE, "WHO"))).isFalse();
  }
}
