package chatgate.core.port;

import chatgate.core.model.Msisdn;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The SMS channel (P1.10, P2.5, P2.6): the built-in simulator's virtual handsets or an SMPP
 * link to an SMSC. The delivery stage submits; the adapter answers with the SMSC's outcome.
 */
public interface SmsPort {

  /**
   * One mobile-terminated message.
   *
   * @param ref idempotency key (unique per delivery); an adapter may see the same ref again after
   *     a crash and should not send twice what it knows it sent
   * @param wapPushUrl send as a WAP Push Service Indication with this href instead of text
   * @param secret the text is a secret (login code): never log it
   * @param gate called by the adapter just before it writes the first segment to the SMSC; if it
   *     throws, the adapter sends nothing and answers {@link SubmitOutcome.Retry}
   */
  record OutboundSms(String ref, Msisdn to, String text, Optional<String> wapPushUrl, boolean secret, SendGate gate) {
    public OutboundSms {
      wapPushUrl = wapPushUrl == null ? Optional.empty() : wapPushUrl;
      gate = gate == null ? SendGate.OPEN : gate;
    }

    public OutboundSms(String ref, Msisdn to, String text, Optional<String> wapPushUrl, boolean secret) {
      this(ref, to, text, wapPushUrl, secret, SendGate.OPEN);
    }
  }

  /**
   * What must happen, durably, before an SMS goes on the wire: the delivery stage marks it
   * SUBMITTING here, so that after a crash only SMS that may really have reached the SMSC are in
   * doubt (ADR 0011). An adapter that cannot call it that late (a relay to another node) calls it
   * before handing the SMS on.
   */
  @FunctionalInterface
  interface SendGate {
    SendGate OPEN = () -> {};

    void opening();
  }

  /** What the SMSC said. */
  sealed interface SubmitOutcome {
    /** Accepted; one SMSC message id per segment. */
    record Accepted(List<String> smscIds) implements SubmitOutcome {}

    /** A temporary refusal (throttled, queue full, link down, timeout): try again later. */
    record Retry(String reason, Duration notBefore) implements SubmitOutcome {}

    /** A permanent refusal (bad destination, bad length): do not try again. */
    record Failed(String reason) implements SubmitOutcome {}

    /**
     * No answer, and the SMS may have reached the SMSC (a node that held the bind died with it):
     * left SUBMITTING for a receipt to settle, sent again only after the in-doubt wait (ADR 0011).
     */
    record InDoubt(String reason) implements SubmitOutcome {}
  }

  CompletionStage<SubmitOutcome> submit(OutboundSms sms);

  /**
   * The text of each segment {@link #submit} sends for this SMS, as an SMSC would quote it in a
   * receipt's {@code text:} field ({@code ""} where it cannot, as for binary WAP Push parts).
   */
  default List<String> segmentTexts(OutboundSms sms) {
    return List.of(sms.wapPushUrl().isPresent() ? "" : sms.text());
  }
}
