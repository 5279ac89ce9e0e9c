package chatgate.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.memory.MemoryDlrCallbacks;
import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsInbound.DeliveryReport;
import chatgate.core.port.SmsPort.SubmitOutcome;
import chatgate.core.testing.CoreFixture;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SendsmsServiceTest {
  static final Msisdn A = Msisdn.of("+8613800000061");
  static final Msisdn B = Msisdn.of("+8613800000062");
  final CoreFixture f = new CoreFixture().started();
  final List<String> called = new CopyOnWriteArrayList<>();
  final SendsmsService service = new SendsmsService(f.chat, new MemoryDlrCallbacks(), called::add, f.clock, "10658", 3);

  {
    f.stage.listener(service);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void anSmsGoesAsGivenBySmsEvenToSomeoneBrowsing() {
    f.presence.streamOpened(A, f.clock.instant());
    var o = service.submit(List.of(A, B), "Your code is 1234", Optional.empty(), 0, Optional.empty());
    assertThat(o).isInstanceOf(SendsmsService.Outcome.Accepted.class);
    f.settle();
    assertThat(f.sms.sentTo(A)).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("Your code is 1234"));
    assertThat(f.sms.sentTo(B)).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("Your code is 1234"));
  }

  @Test
  void aRecipientWhoSentStopGetsNothing() {
    f.users.save(f.users.ensure(A, chatgate.core.model.Language.EN, f.clock.instant()).withSmsStopped(true));
    service.submit(List.of(A), "promo", Optional.empty(), 0, Optional.empty());
    f.settle();
    assertThat(f.sms.sentTo(A)).isEmpty();
  }

  @Test
  void theDlrUrlIsCalledForTheStatesTheMaskAsksFor() {
    service.submit(List.of(A), "hi", Optional.of("http://client/dlr?type=%d&id=%F&to=%p&from=%P&st=%A&x=%%"), 1 + 8,
        Optional.empty());
    f.settle();
    assertThat(called).singleElement().asString().startsWith("http://client/dlr?type=8&id=").contains("&to=%2B8613800000061")
        .contains("&from=10658").endsWith("&x=%");
    String smscId = called.getFirst().replaceAll(".*id=([^&]*)&.*", "$1");
    f.stage.onDeliveryReport(new DeliveryReport(smscId, true, "DELIVRD", f.clock.instant()));
    assertThat(called).hasSize(2);
    assertThat(called.get(1)).startsWith("http://client/dlr?type=1&id=" + smscId).contains("st=DELIVRD");
  }

  @Test
  void aMessageWithoutCallbackIsLookedUpOnceForSentAndDelivered() {
    java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
    MemoryDlrCallbacks stored = new MemoryDlrCallbacks();
    chatgate.core.port.DlrCallbacks counting = new chatgate.core.port.DlrCallbacks() {
      @Override
      public void save(Callback c) {
        stored.save(c);
      }

      @Override
      public Optional<Callback> find(MessageId message) {
        lookups.incrementAndGet();
        return stored.find(message);
      }
    };
    SendsmsService counted = new SendsmsService(f.chat, counting, called::add, f.clock, "10658", 3);
    f.stage.listener(counted);
    var a = (SendsmsService.Outcome.Accepted) counted.submit(List.of(A), "no dlr-url", Optional.empty(), 0,
        Optional.empty());
    var b = (SendsmsService.Outcome.Accepted) counted.submit(List.of(B), "with one",
        Optional.of("http://client/dlr?type=%d"), 1 + 8, Optional.empty());
    f.settle();
    assertThat(lookups).hasValue(2); // SENT of each
    String smscIdA = f.store.deliveriesOf(a.messages().getFirst()).getFirst().smscIds().orElseThrow();
    String smscIdB = f.store.deliveriesOf(b.messages().getFirst()).getFirst().smscIds().orElseThrow();
    f.stage.onDeliveryReport(new DeliveryReport(smscIdA, true, "DELIVRD", f.clock.instant()));
    f.stage.onDeliveryReport(new DeliveryReport(smscIdB, true, "DELIVRD", f.clock.instant()));
    assertThat(lookups).hasValue(3); // DELIVERED of B only: A is known to have none
    assertThat(called).containsExactly("http://client/dlr?type=8", "http://client/dlr?type=1");
  }

  @Test
  void aRefusedSubmitIsReportedAsRejectedBySmsc() {
    f.sms.answerNext(new SubmitOutcome.Failed("smsc status 0xb"));
    service.submit(List.of(B), "bad", Optional.of("http://client/dlr?type=%d"), 31, Optional.empty());
    f.settle();
    assertThat(called).containsExactly("http://client/dlr?type=16");
  }

  @Test
  void badRequestsAreRefusedWithKannelsWords() {
    assertThat(service.submit(List.of(), "x", Optional.empty(), 0, Optional.empty()))
        .isEqualTo(new SendsmsService.Outcome.Refused("Missing receiver number"));
    assertThat(service.submit(List.of(A), "", Optional.empty(), 0, Optional.empty()))
        .isEqualTo(new SendsmsService.Outcome.Refused("Missing text"));
    assertThat(service.submit(List.of(A), "x".repeat(161 * 3), Optional.empty(), 0, Optional.empty()))
        .isInstanceOf(SendsmsService.Outcome.Refused.class);
  }

  @Test
  @org.junit.jupiter.api.DisplayName("issue 15: C0/C1 controls and DEL are refused; CR, LF and TAB go as given")
  void controlCharactersAreRefused() {
    for (String bad : List.of("a\u0000b", "\u001b[2J", "ring\u0007", "del\u007f", "nel\u0085", "csi\u009b", "\u000c")) {
      assertThat(service.submit(List.of(A), bad, Optional.empty(), 0, Optional.empty())).as(bad)
          .isEqualTo(new SendsmsService.Outcome.Refused("Text contains control characters"));
    }
    f.settle();
    assertThat(f.sms.sentTo(A)).isEmpty();
    assertThat(service.submit(List.of(A), "line 1\r\nline 2\tend", Optional.empty(), 0, Optional.empty()))
        .isInstanceOf(SendsmsService.Outcome.Accepted.class);
    f.settle();
    assertThat(f.sms.sentTo(A)).extracting(s -> s.text()).containsExactly("line 1\r\nline 2\tend");
  }

  @Test
  void escapesAreExpanded() {
    Delivery d = Delivery.pending(1, new MessageId(2), A, "tok", f.clock.instant())
        .withState(DeliveryState.SENT, f.clock.instant()).withSmscIds("ab12,cd34");
    assertThat(SendsmsService.expand("u?a=%d&b=%F&c=%p&d=%P&e=%T&f=%A&g=%q", 8, d, "10658", "ACK ok", 1700000000))
        .isEqualTo("u?a=8&b=ab12&c=%2B8613800000061&d=10658&e=1700000000&f=ACK+ok&g=%q");
  }
}
