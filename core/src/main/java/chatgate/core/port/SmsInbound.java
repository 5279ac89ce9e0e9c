package chatgate.core.port;

import chatgate.core.model.Msisdn;
import java.time.Instant;
import java.util.Optional;

/**
 * What an SMS adapter hands to the core: mobile-originated messages and delivery reports. The
 * adapter answers the SMSC (deliver_sm_resp) only after the returned call has come back, which
 * means the message is stored.
 */
public interface SmsInbound {

  /**
   * A mobile-originated SMS, reassembled if it came in parts.
   *
   * @param ref a key that is the same when the SMSC repeats the message (for de-duplication)
   * @param to the address it was sent to (the service number)
   * @param imsi the subscriber identity, where the SMSC supplied it (P1.6)
   */
  record MobileOriginated(String ref, Msisdn from, String to, String text, Instant receivedAt, Optional<String> imsi) {
    public MobileOriginated {
      imsi = imsi == null ? Optional.empty() : imsi;
    }
  }

  /**
   * A delivery receipt for an SMS the gateway sent, by the SMSC's message id.
   *
   * @param handset the phone the SMS was for (the receipt's source address), where given
   * @param text the first characters of the SMS as the SMSC quotes them ({@code text:}), where given;
   *     these two let a receipt settle an SMS whose submit a crash left in doubt
   * @param receipt the receipt's whole text, one char per octet (ISO-8859-1), where it had one: what a
   *     Kannel client reads in its dlr-url's {@code %A}
   */
  record DeliveryReport(String smscId, boolean delivered, String status, Instant at, Optional<Msisdn> handset,
      Optional<String> text, Optional<String> receipt) {
    public DeliveryReport {
      handset = handset == null ? Optional.empty() : handset;
      text = text == null ? Optional.empty() : text;
      receipt = receipt == null ? Optional.empty() : receipt;
    }

    public DeliveryReport(String smscId, boolean delivered, String status, Instant at, Optional<Msisdn> handset,
        Optional<String> text) {
      this(smscId, delivered, status, at, handset, text, Optional.empty());
    }

    public DeliveryReport(String smscId, boolean delivered, String status, Instant at) {
      this(smscId, delivered, status, at, Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * Thrown by {@link #onDeliveryReport} when the receipt came before the outcome of its own
   * submit was recorded: the adapter answers with a temporary error so the SMSC repeats it.
   */
  final class TooEarly extends RuntimeException {
    public TooEarly(String message) {
      super(message, null, false, false);
    }
  }

  /** Stores and handles the MO. Throws if it could not be stored (the SMSC should retry). */
  void onMobileOriginated(MobileOriginated mo);

  /** Records a receipt; an unknown or repeated one changes nothing. */
  void onDeliveryReport(DeliveryReport report);
}
