package chatgate.sms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.contract.SmsPortContract;
import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsPort;
import chatgate.core.port.SmsPort.OutboundSms;
import chatgate.core.port.SmsPort.SubmitOutcome;
import chatgate.core.port.VirtualHandsets.HandsetSms;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VirtualHandsetsSmsTest implements SmsPortContract {
  final VirtualHandsetsSms sim = new VirtualHandsetsSms("10658", Clock.systemUTC());

  @Override
  public SmsPort sms() {
    return sim;
  }

  @Override
  public List<String> received(Msisdn handset) {
    return sim.inbox(handset, 100).stream().map(HandsetSms::text).toList();
  }

  @Test
  void theSameRefIsOneSms() throws Exception {
    OutboundSms s = new OutboundSms("d42", A, "once", Optional.empty(), false);
    SubmitOutcome first = sim.submit(s).toCompletableFuture().get();
    SubmitOutcome again = sim.submit(s).toCompletableFuture().get();
    assertThat(again).isEqualTo(first);
    assertThat(received(A)).containsExactly("once");
  }

  @Test
  void aHandsetTextsTheServiceNumber() {
    List<SmsInbound.MobileOriginated> got = new ArrayList<>();
    sim.inbound(new SmsInbound() {
      @Override
      public void onMobileOriginated(MobileOriginated mo) {
        got.add(mo);
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {}
    });
    sim.sendMo(B, "@+8613800000011 hi");
    assertThat(got).singleElement().satisfies(mo -> {
      assertThat(mo.from()).isEqualTo(B);
      assertThat(mo.to()).isEqualTo("10658");
      assertThat(mo.text()).isEqualTo("@+8613800000011 hi");
    });
    assertThat(sim.handsets()).contains(B);
  }

  @Test
  void aWapPushShowsItsLink() throws Exception {
    sim.submit(new OutboundSms("w1", A, "Li: hi", Optional.of("http://gw/r/abc"), false)).toCompletableFuture().get();
    assertThat(sim.inbox(A, 1)).singleElement().satisfies(s -> assertThat(s.wapPushUrl()).contains("http://gw/r/abc"));
  }
}
