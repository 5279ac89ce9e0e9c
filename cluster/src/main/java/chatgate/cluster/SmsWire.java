package chatgate.cluster;

import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsPort;
import chatgate.core.port.SmsPort.OutboundSms;
import chatgate.core.port.SmsPort.SubmitOutcome;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The wire form of an MT handed to the node holding an SMPP bind, and of its outcome
 * ({@link NatsSmsRelay}). Nodes of two releases run side by side in a rolling restart: a field
 * added here must be optional for the older reader.
 */
final class SmsWire {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SmsWire() {}

  /**
   * @param mt a sendsms client's submit_sm options, {@link chatgate.core.port.SmsPort.MtOptions#encode encoded};
   *     left out when there are none, so a node of the release before reads every other MT as it did
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record WireSms(String ref, String to, String text, String wapPushUrl, boolean secret, String mt) {}

  record WireOutcome(String kind, List<String> smscIds, String reason, long notBeforeMs) {}

  static byte[] request(OutboundSms sms) {
    try {
      return JSON.writeValueAsBytes(new WireSms(sms.ref(), sms.to().e164(), sms.text(), sms.wapPushUrl().orElse(null),
          sms.secret(), sms.options().isNone() ? null : sms.options().encode()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The MT handed over, with the gate the holder opens just before its submit_sm. */
  static OutboundSms sms(byte[] body, Function<OutboundSms, SmsPort.SendGate> gates) throws IOException {
    WireSms w = JSON.readValue(body, WireSms.class);
    OutboundSms bare = new OutboundSms(w.ref(), Msisdn.of(w.to()), w.text(), Optional.ofNullable(w.wapPushUrl()),
        w.secret());
    return new OutboundSms(bare.ref(), bare.to(), bare.text(), bare.wapPushUrl(), bare.secret(),
        gates.apply(bare), SmsPort.MtOptions.decode(w.mt()));
  }

  static byte[] reply(SubmitOutcome o) throws IOException {
    return JSON.writeValueAsBytes(switch (o) {
      case SubmitOutcome.Accepted a -> new WireOutcome("accepted", a.smscIds(), null, 0);
      case SubmitOutcome.Retry r -> new WireOutcome("retry", List.of(), r.reason(), r.notBefore().toMillis());
      case SubmitOutcome.Failed f -> new WireOutcome("failed", List.of(), f.reason(), 0);
      case SubmitOutcome.InDoubt u -> new WireOutcome("in_doubt", List.of(), u.reason(), 0);
    });
  }

  static SubmitOutcome outcome(byte[] reply) throws IOException {
    WireOutcome w = JSON.readValue(reply, WireOutcome.class);
    return switch (w.kind()) {
      case "accepted" -> new SubmitOutcome.Accepted(List.copyOf(w.smscIds()));
      case "failed" -> new SubmitOutcome.Failed(w.reason());
      case "in_doubt" -> new SubmitOutcome.InDoubt(w.reason());
      default -> new SubmitOutcome.Retry(w.reason(), Duration.ofMillis(w.notBeforeMs()));
    };
  }
}
