package chatgate.core.sms;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.memory.MemoryMoPartStore;
import chatgate.core.model.Msisdn;
import chatgate.core.port.MoPartStore.MoPart;
import chatgate.core.port.SmsInbound;
import chatgate.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MoReassemblerTest {
  static final chatgate.core.auth.Keys KEYS = chatgate.core.auth.Keys.random();
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  final MemoryMoPartStore store = new MemoryMoPartStore();
  final List<SmsInbound.MobileOriginated> got = new ArrayList<>();
  final SmsInbound sink = new SmsInbound() {
    @Override
    public void onMobileOriginated(MobileOriginated mo) {
      got.add(mo);
    }

    @Override
    public void onDeliveryReport(DeliveryReport report) {}
  };
  final MoReassembler r = new MoReassembler(store, sink, clock, Duration.ofMinutes(2), KEYS);
  final Msisdn from = Msisdn.of("+8613900000001");

  MoPart part(int ref, int seq, int total, String text) {
    return new MoPart(MoReassembler.key(from.e164(), "10658", ref, total), seq, total, from, "10658", text,
        seq == 2 ? Optional.of("460001234567890") : Optional.empty(), clock.instant());
  }

  @Test
  void partsOutOfOrderMakeOneMessageWithTheImsiOfAnyPart() {
    r.onPart(part(7, 3, 3, "three"));
    r.onPart(part(7, 1, 3, "one "));
    assertThat(got).isEmpty();
    r.onPart(part(7, 2, 3, "two "));
    assertThat(got).singleElement().satisfies(mo -> {
      assertThat(mo.text()).isEqualTo("one two three");
      assertThat(mo.from()).isEqualTo(from);
      assertThat(mo.imsi()).contains("460001234567890");
    });
  }

  @Test
  void aRepeatedPartAfterCompletionIsNotANewMessage() {
    r.onPart(part(8, 1, 2, "a"));
    r.onPart(part(8, 2, 2, "b"));
    r.onPart(part(8, 2, 2, "b"));
    assertThat(got).hasSize(1);
  }

  @Test
  void aMissingPartIsGivenUpAfterTheTimeoutWithWhatArrived() {
    r.onPart(part(9, 1, 3, "start "));
    r.onPart(part(9, 3, 3, " end"));
    clock.advance(Duration.ofMinutes(1));
    assertThat(r.sweep()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(r.sweep()).isEqualTo(1);
    assertThat(got).singleElement().extracting(SmsInbound.MobileOriginated::text).isEqualTo("start … end");
    assertThat(r.sweep()).isZero();
  }

  @Test
  void aReferenceReusedLaterIsANewMessageWithItsOwnRef() {
    r.onPart(part(1, 1, 2, "a"));
    r.onPart(part(1, 2, 2, "b"));
    clock.advance(Duration.ofMinutes(10));
    r.sweep();
    r.onPart(part(1, 1, 2, "c"));
    r.onPart(part(1, 2, 2, "d"));
    assertThat(got).extracting(SmsInbound.MobileOriginated::text).containsExactly("ab", "cd");
    assertThat(got.get(0).ref()).isNotEqualTo(got.get(1).ref());
  }

  @Test
  void aSinkThatFailsLeavesThePartsForTheSweep() {
    List<Boolean> fail = new ArrayList<>(List.of(true));
    MoReassembler flaky = new MoReassembler(store, new SmsInbound() {
      @Override
      public void onMobileOriginated(MobileOriginated mo) {
        if (fail.getFirst()) {
          throw new IllegalStateException("store down");
        }
        got.add(mo);
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {}
    }, clock, Duration.ofMinutes(2), KEYS);
    flaky.onPart(part(5, 1, 2, "x"));
    try {
      flaky.onPart(part(5, 2, 2, "y"));
    } catch (IllegalStateException expected) {
      // the SMSC is answered with an error and will repeat the part
    }
    fail.set(0, false);
    assertThat(flaky.sweep()).isEqualTo(1);
    assertThat(got).extracting(SmsInbound.MobileOriginated::text).containsExactly("xy");
  }
}
