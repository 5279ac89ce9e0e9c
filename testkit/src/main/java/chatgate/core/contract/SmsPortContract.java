package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsPort;
import chatgate.core.port.SmsPort.OutboundSms;
import chatgate.core.port.SmsPort.SubmitOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SmsPort} adapter does, observed at the far end (a virtual handset, or the
 * SMSC peer): each test's implementation says what a handset received.
 */
public interface SmsPortContract {
  SmsPort sms();

  /** The texts the handset with this number has received, oldest first, reassembled. */
  List<String> received(Msisdn handset) throws Exception;

  Msisdn A = Msisdn.of("+8613800000011");
  Msisdn B = Msisdn.of("+8613800000012");

  private SubmitOutcome submit(OutboundSms sms) throws Exception {
    return sms().submit(sms).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  default void aShortGsmTextArrivesAsSent() throws Exception {
    SubmitOutcome o = submit(new OutboundSms("c1", A, "Hello [world] {€5} ~^|\\", Optional.empty(), false));
    assertThat(o).isInstanceOf(SubmitOutcome.Accepted.class);
    assertThat(((SubmitOutcome.Accepted) o).smscIds()).hasSize(1);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(received(A)).contains("Hello [world] {€5} ~^|\\"));
  }

  @Test
  default void theGateIsPassedBeforeTheSmsGoesOutAndAFailingGateSendsNothing() throws Exception {
    java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
    SubmitOutcome o = submit(new OutboundSms("g1", A, "through the gate", Optional.empty(), false, opened::incrementAndGet));
    assertThat(o).isInstanceOf(SubmitOutcome.Accepted.class);
    assertThat(opened).hasValue(1);
    SubmitOutcome refused = submit(new OutboundSms("g2", B, "gate shut", Optional.empty(), false, () -> {
      throw new IllegalStateException("store down");
    }));
    assertThat(refused).isInstanceOf(SubmitOutcome.Retry.class);
    // A canary to the same handset after it: once it arrived, the refused one would have too.
    assertThat(submit(new OutboundSms("g3", B, "canary after the gate", Optional.empty(), false)))
        .isInstanceOf(SubmitOutcome.Accepted.class);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(received(B)).contains("canary after the gate"));
    assertThat(received(B)).doesNotContain("gate shut");
  }

  @Test
  default void chineseTextArrivesAsSent() throws Exception {
    SubmitOutcome o = submit(new OutboundSms("c2", B, "李雷：晚上八点见 😀", Optional.empty(), false));
    assertThat(o).isInstanceOf(SubmitOutcome.Accepted.class);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(received(B)).contains("李雷：晚上八点见 😀"));
  }

  @Test
  default void aLongTextIsSentInSegmentsAndArrivesWhole() throws Exception {
    String text = "0123456789".repeat(40);
    SubmitOutcome o = submit(new OutboundSms("c3", A, text, Optional.empty(), false));
    assertThat(o).isInstanceOf(SubmitOutcome.Accepted.class);
    assertThat(((SubmitOutcome.Accepted) o).smscIds()).hasSize(3);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(received(A)).contains(text));
  }
}
