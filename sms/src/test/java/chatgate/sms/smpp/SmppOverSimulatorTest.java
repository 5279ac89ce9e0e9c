package chatgate.sms.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.core.contract.SmsPortContract;
import chatgate.core.memory.MemoryMoPartStore;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsPort;
import chatgate.core.port.SmsPort.OutboundSms;
import chatgate.core.port.SmsPort.SubmitOutcome;
import chatgate.core.port.VirtualHandsets.HandsetSms;
import chatgate.core.sms.MoReassembler;
import chatgate.sms.sim.SmscSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SMPP adapter bound to the built-in SMSC simulator over TCP: the demo's own path, end to end. */
class SmppOverSimulatorTest implements SmsPortContract {
  static final chatgate.core.auth.Keys KEYS = chatgate.core.auth.Keys.random();
  SmscSimulator smsc;
  SmppSmsPort esme;
  final List<SmsInbound.MobileOriginated> mos = new CopyOnWriteArrayList<>();
  final List<SmsInbound.DeliveryReport> dlrs = new CopyOnWriteArrayList<>();

  static SmppSettings settings(int port, String password, boolean trx) {
    return new SmppSettings("127.0.0.1", port, "chatgate", password, "", trx, 200, 10, Duration.ofSeconds(30),
        Duration.ofMillis(200), MessageIds.of("hex"), -1, -1, 1, 1, "10658", 0, Duration.ofSeconds(10));
  }

  @BeforeEach
  void start() throws Exception {
    smsc = new SmscSimulator("127.0.0.1", 0, "chatgate", "sim", "10658", Clock.systemUTC()).start();
    esme = new SmppSmsPort(settings(smsc.port(), "sim", true), new NumberPlan("CN"), Clock.systemUTC(), KEYS);
    SmsInbound sink = new SmsInbound() {
      @Override
      public void onMobileOriginated(MobileOriginated mo) {
        mos.add(mo);
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {
        dlrs.add(report);
      }
    };
    esme.inbound(sink, new MoReassembler(new MemoryMoPartStore(), sink, Clock.systemUTC(), Duration.ofMinutes(2), KEYS));
    esme.start();
    await().atMost(Duration.ofSeconds(10)).until(esme::bound);
  }

  @AfterEach
  void stop() {
    esme.close();
    smsc.close();
  }

  @Override
  public SmsPort sms() {
    return esme;
  }

  @Override
  public List<String> received(Msisdn handset) {
    return smsc.inbox(handset, 100).reversed().stream().map(HandsetSms::text).toList();
  }

  @Test
  void everySegmentGetsAReceiptCorrelatedByItsMessageId() throws Exception {
    SubmitOutcome o = esme.submit(new OutboundSms("r1", A, "x".repeat(200), Optional.empty(), false))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<String> ids = ((SubmitOutcome.Accepted) o).smscIds();
    assertThat(ids).hasSize(2);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(dlrs).extracting(SmsInbound.DeliveryReport::smscId).containsExactlyInAnyOrderElementsOf(ids));
    assertThat(dlrs).allSatisfy(d -> {
      assertThat(d.delivered()).isTrue();
      assertThat(d.status()).isEqualTo("DELIVRD");
    });
  }

  @Test
  void aHandsetsShortAndLongMosReachTheGatewayWhole() {
    Msisdn phone = Msisdn.of("+8613900000001");
    smsc.sendMo(phone, "你好");
    String longText = "Long text from a phone, ".repeat(10);
    smsc.sendMo(phone, longText);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(mos).extracting(SmsInbound.MobileOriginated::text).containsExactly("你好", longText));
    assertThat(mos).allSatisfy(mo -> {
      assertThat(mo.from()).isEqualTo(phone);
      assertThat(mo.to()).isEqualTo("10658");
    });
  }

  @Test
  @org.junit.jupiter.api.DisplayName("issue 18: a handset's conversation holds what it sent and what it received, in order")
  void aHandsetsConversationHoldsBothWays() throws Exception {
    smsc.sendMo(A, "HELP");
    await().atMost(Duration.ofSeconds(10)).until(() -> mos.size() == 1);
    esme.submit(new OutboundSms("c1", A, "the commands", Optional.empty(), false)).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> smsc.inbox(A, 10).size() == 1);
    assertThat(smsc.conversation(A, 10)).extracting(HandsetSms::text, HandsetSms::outgoing, HandsetSms::from)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("the commands", false, "10658"),
            org.assertj.core.groups.Tuple.tuple("HELP", true, "10658"));
    assertThat(smsc.inbox(A, 10)).extracting(HandsetSms::text).containsExactly("the commands");
  }

  @Test
  void aWapPushArrivesWithTheReplyLink() throws Exception {
    SubmitOutcome o = esme.submit(new OutboundSms("w1", B, "Li: see you at 8",
        Optional.of("http://gw.example/r/AbC123"), false)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(o).isInstanceOf(SubmitOutcome.Accepted.class);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(smsc.inbox(B, 10)).singleElement().satisfies(s ->
            assertThat(s.wapPushUrl()).contains("http://gw.example/r/AbC123")));
  }

  @Test
  void aBadPasswordNeverBindsAndSubmitsAreRetriedLater() throws Exception {
    SmppSmsPort wrong = new SmppSmsPort(settings(smsc.port(), "guess", true), new NumberPlan("CN"), Clock.systemUTC(), KEYS);
    wrong.start();
    try {
      SubmitOutcome o = wrong.submit(new OutboundSms("b1", A, "hi", Optional.empty(), false))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(o).isInstanceOf(SubmitOutcome.Retry.class);
      assertThat(wrong.bound()).isFalse();
    } finally {
      wrong.close();
    }
  }

  @Test
  void transmitterPlusReceiverBindsCarryMtAndMo() throws Exception {
    SmppSmsPort pair = new SmppSmsPort(settings(smsc.port(), "sim", false), new NumberPlan("CN"), Clock.systemUTC(), KEYS);
    List<SmsInbound.MobileOriginated> got = new CopyOnWriteArrayList<>();
    SmsInbound sink = new SmsInbound() {
      @Override
      public void onMobileOriginated(MobileOriginated mo) {
        got.add(mo);
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {}
    };
    pair.inbound(sink, new MoReassembler(new MemoryMoPartStore(), sink, Clock.systemUTC(), Duration.ofMinutes(2), KEYS));
    esme.close();
    pair.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(pair::bound);
      assertThat(pair.submit(new OutboundSms("p1", A, "via tx", Optional.empty(), false))
          .toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitOutcome.Accepted.class);
      smsc.sendMo(Msisdn.of("+8613900000002"), "via rx");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(got).extracting(SmsInbound.MobileOriginated::text).containsExactly("via rx"));
    } finally {
      pair.close();
    }
  }
}
