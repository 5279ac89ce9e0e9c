package chatgate.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.memory.MemoryDlrCallbacks;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.port.DlrCallbacks;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsInbound.DeliveryReport;
import chatgate.core.port.SmsPort.MtOptions;
import chatgate.core.port.SmsPort.SubmitOutcome;
import chatgate.core.testing.CoreFixture;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SendsmsServiceTest {
  static final Msisdn A = Msisdn.of("+8613800000061");
  static final Msisdn B = Msisdn.of("+8613800000062");
  static final SendsmsService.Settings SETTINGS = new SendsmsService.Settings("10658", 3, "peer", "gw");
  final CoreFixture f = new CoreFixture().started();
  final List<String> called = new CopyOnWriteArrayList<>();
  final SendsmsService service = new SendsmsService(f.chat, new MemoryDlrCallbacks(), called::add, f.clock, SETTINGS,
      id -> true);

  {
    f.stage.listener(service);
  }

  @AfterEach
  void close() {
    f.close();
  }

  static SendsmsRequest to(Msisdn m, String text) {
    return SendsmsRequest.of(List.of(m), text);
  }

  @Test
  void anSmsGoesAsGivenBySmsEvenToSomeoneBrowsing() {
    f.presence.streamOpened(A, f.clock.instant());
    var o = service.submit(SendsmsRequest.of(List.of(A, B), "Your code is 1234"));
    assertThat(o).isInstanceOf(SendsmsService.Outcome.Accepted.class);
    f.settle();
    assertThat(f.sms.sentTo(A)).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("Your code is 1234"));
    assertThat(f.sms.sentTo(B)).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("Your code is 1234"));
  }

  @Test
  void aRecipientWhoSentStopGetsNothing() {
    f.users.save(f.users.ensure(A, chatgate.core.model.Language.EN, f.clock.instant()).withSmsStopped(true));
    service.submit(to(A, "promo"));
    f.settle();
    assertThat(f.sms.sentTo(A)).isEmpty();
  }

  @Test
  @DisplayName("issue 16: the dlr-url hears ACK/ then the whole receipt, with the number as written and the from")
  void theDlrUrlIsCalledForTheStatesTheMaskAsksFor() {
    SendsmsRequest r = new SendsmsRequest("rapidpro", List.of(new SendsmsRequest.Recipient("008613800000061", A)),
        "hi", "ACME", new MtOptions("ACME", false, -1, -1, -1, -1, -1, -1, 0, 0),
        Optional.of("http://client/dlr?type=%d&id=%F&to=%p&q=%q&from=%P&st=%A&n=%n&i=%i&o=%o&x=%x&y=%%"), 1 + 8);
    var ok = (SendsmsService.Outcome.Accepted) service.submit(r);
    f.settle();
    assertThat(called).singleElement().asString().startsWith("http://client/dlr?type=8&id=")
        .contains("&to=008613800000061&q=%2B8613800000061&from=ACME&st=ACK%2F&n=rapidpro&i=peer&o=&x=%25x&y=%25");
    String smscId = smscIdOf(ok.messages().getFirst());
    String receipt = "id:" + smscId + " sub:001 dlvrd:001 submit date:2612071702 done date:2612071702 stat:DELIVRD"
        + " err:000 text:hi";
    service.receipts(stage()).onDeliveryReport(new DeliveryReport(smscId, true, "DELIVRD", f.clock.instant(),
        Optional.empty(), Optional.empty(), Optional.of(receipt)));
    assertThat(called).hasSize(2);
    assertThat(called.get(1)).startsWith("http://client/dlr?type=1&id=" + KannelDlrs.decimal(smscId))
        .contains("&st=" + KannelEscapes.encode(receipt) + "&").contains("&o=gw&");
  }

  String smscIdOf(MessageId m) {
    return f.store.deliveriesOf(m).getFirst().smscIds().orElseThrow();
  }

  /** Receipts straight to the delivery stage, as the MO service hands them on. */
  SmsInbound stage() {
    return new SmsInbound() {
      @Override
      public void onMobileOriginated(MobileOriginated mo) {}

      @Override
      public void onDeliveryReport(DeliveryReport report) {
        f.stage.onDeliveryReport(report);
      }
    };
  }

  @Test
  @DisplayName("issue 16: the client's from, coding and validity reach the SMS port with its SMS only")
  void theClientsOptionsGoWithItsSmsOnly() {
    java.util.List<chatgate.core.port.SmsPort.OutboundSms> seen = new CopyOnWriteArrayList<>();
    var port = service.port(new chatgate.core.port.SmsPort() {
      @Override
      public java.util.concurrent.CompletionStage<SubmitOutcome> submit(OutboundSms sms) {
        seen.add(sms);
        return java.util.concurrent.CompletableFuture.completedFuture(new SubmitOutcome.Accepted(List.of("1")));
      }
    });
    MtOptions asked = new MtOptions("ACME", true, 1, -1, -1, 65, 1, 3, 1_800_000_000L, 0);
    var ok = (SendsmsService.Outcome.Accepted) service.submit(new SendsmsRequest("rapidpro",
        List.of(new SendsmsRequest.Recipient("+8613800000061", A)), "hi", "ACME", asked, Optional.empty(), 0));
    long delivery = f.store.deliveriesOf(ok.messages().getFirst()).getFirst().id();
    port.submit(new chatgate.core.port.SmsPort.OutboundSms("d" + delivery, A, "hi", Optional.empty(), false));
    port.submit(new chatgate.core.port.SmsPort.OutboundSms("d" + (delivery + 1000), B, "other", Optional.empty(), false));
    assertThat(seen).extracting(chatgate.core.port.SmsPort.OutboundSms::options).containsExactly(asked, MtOptions.NONE);
  }

  @Test
  @DisplayName("issue 16: an SMS this node stored is known in memory; one stored elsewhere or before is looked up")
  void onlySmsStoredElsewhereAreLookedUp() {
    AtomicInteger lookups = new AtomicInteger();
    MemoryDlrCallbacks stored = new MemoryDlrCallbacks();
    DlrCallbacks counting = new DlrCallbacks() {
      @Override
      public void save(Callback c) {
        stored.save(c);
      }

      @Override
      public Optional<Callback> find(MessageId message) {
        lookups.incrementAndGet();
        return stored.find(message);
      }

      @Override
      public Optional<Callback> findByDelivery(long deliveryId) {
        lookups.incrementAndGet();
        return stored.findByDelivery(deliveryId);
      }
    };
    SendsmsService here = new SendsmsService(f.chat, counting, called::add, f.clock, SETTINGS, id -> true);
    f.stage.listener(here);
    var a = (SendsmsService.Outcome.Accepted) here.submit(to(A, "no dlr-url"));
    var b = (SendsmsService.Outcome.Accepted) here.submit(to(B, "with one").withDlr("http://client/dlr?type=%d", 1 + 8));
    f.settle();
    f.stage.onDeliveryReport(new DeliveryReport(smscIdOf(a.messages().getFirst()), true, "DELIVRD", f.clock.instant()));
    f.stage.onDeliveryReport(new DeliveryReport(smscIdOf(b.messages().getFirst()), true, "DELIVRD", f.clock.instant()));
    assertThat(lookups).hasValue(0);
    assertThat(called).containsExactly("http://client/dlr?type=8", "http://client/dlr?type=1");
    // Another node (or this one before a restart) stored it: the store says.
    SendsmsService elsewhere = new SendsmsService(f.chat, counting, called::add, f.clock, SETTINGS, id -> false);
    f.stage.listener(elsewhere);
    here.submit(to(A, "again").withDlr("http://client/dlr?again=%d", 8));
    f.settle();
    assertThat(lookups).hasValue(1);
    assertThat(called).last().isEqualTo("http://client/dlr?again=8");
  }

  @Test
  @DisplayName("issue 16: an SMSC refusal is NACK/0x0000000b/Invalid Destination Address, type 16")
  void aRefusedSubmitIsReportedAsRejectedBySmsc() {
    f.sms.answerNext(new SubmitOutcome.Failed("smsc status 0xb"));
    service.submit(to(B, "bad").withDlr("http://client/dlr?type=%d&a=%A&f=%F", 31));
    f.settle();
    assertThat(called).containsExactly("http://client/dlr?type=16&a=NACK%2F0x0000000b%2FInvalid+Destination+Address&f=");
  }

  @Test
  @DisplayName("issue 15: C0/C1 controls and DEL are refused; CR, LF and TAB go as given")
  void controlCharactersAreRefused() {
    for (String bad : List.of("a\u0000b", "\u001b[2J", "ring\u0007", "del\u007f", "nel\u0085", "csi\u009b", "\u000c")) {
      assertThat(service.submit(to(A, bad))).as(bad)
          .isEqualTo(new SendsmsService.Outcome.Refused("Text contains control characters"));
    }
    f.settle();
    assertThat(f.sms.sentTo(A)).isEmpty();
    assertThat(service.submit(to(A, "line 1\r\nline 2\tend"))).isInstanceOf(SendsmsService.Outcome.Accepted.class);
    f.settle();
    assertThat(f.sms.sentTo(A)).extracting(s -> s.text()).containsExactly("line 1\r\nline 2\tend");
  }

  @Test
  @DisplayName("issue 16: an empty text is sent, as Kannel sends it")
  void anEmptyTextIsSent() {
    assertThat(service.submit(to(A, ""))).isInstanceOf(SendsmsService.Outcome.Accepted.class);
    f.settle();
    assertThat(f.sms.sentTo(A)).extracting(s -> s.text()).containsExactly("");
  }
}
