package chatgate.core.api;

import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsPort.MtOptions;
import java.util.List;
import java.util.Optional;

/**
 * A sendsms request as Kannel's smsbox would send it ({@link KannelRequest} reads it): the text as
 * it goes (decoded, its coding applied, cut to the most parts an SMS may have), to each number as
 * the client wrote it, with the client's submit_sm options and dlr-url.
 *
 * @param service the sendsms user (Kannel's {@code %n})
 * @param sender the client's {@code from}, or "" for the service number
 * @param dlrMask the dlr-mask, 0 when none or not a number
 */
public record SendsmsRequest(String service, List<Recipient> to, String text, String sender, MtOptions mt,
    Optional<String> dlrUrl, int dlrMask) {
  public SendsmsRequest {
    to = List.copyOf(to);
  }

  /** One number: as the client wrote it (its DLR's {@code %p}) and as the gateway sends to it. */
  public record Recipient(String asWritten, Msisdn msisdn) {}

  /** A request with nothing but numbers and a text (tests, and the simplest clients). */
  public static SendsmsRequest of(List<Msisdn> to, String text) {
    return new SendsmsRequest("", to.stream().map(m -> new Recipient(m.e164(), m)).toList(), text, "",
        MtOptions.NONE, Optional.empty(), 0);
  }

  public SendsmsRequest withDlr(String url, int mask) {
    return new SendsmsRequest(service, to, text, sender, mt, Optional.of(url), mask);
  }
}
