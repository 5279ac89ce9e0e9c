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
   */
  record OutboundSms(String ref, Msisdn to, String text, Optional<String> wapPushUrl, boolean secret) {
    public OutboundSms {
      wapPushUrl = wapPushUrl == null ? Optional.empty() : wapPushUrl;
    }
  }

  /** What the SMSC said. */
  sealed interface SubmitOutcome {
    /** Accepted; one SMSC message id per segment. */
    record Accepted(List<String> smscIds) implements SubmitOutcome {}

    /** A temporary refusal (throttled, queue full, link down, timeout): try again later. */
    record Retry(String reason, Duration notBefore) implements SubmitOutcome {}

    /** A permanent refusal (bad destination, bad length): do not try again. */
    record Failed(String reason) implements SubmitOutcome {}
  }

  CompletionStage<SubmitOutcome> submit(OutboundSms sms);
}
