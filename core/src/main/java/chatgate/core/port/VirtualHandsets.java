package chatgate.core.port;

import chatgate.core.model.Msisdn;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The built-in SMSC simulator's virtual phones, for the demo page {@code /sim/}: what each
 * received, and an SMS sent from any number to the service number.
 */
public interface VirtualHandsets {

  /**
   * One SMS as a handset shows it (reassembled when it came in parts).
   *
   * @param from who sent it; for one the handset sent ({@code outgoing}), the number it went to
   */
  record HandsetSms(long seq, Msisdn handset, String from, String text, Optional<String> wapPushUrl, Instant at,
      boolean outgoing) {
    public HandsetSms {
      wapPushUrl = wapPushUrl == null ? Optional.empty() : wapPushUrl;
    }

    public HandsetSms(long seq, Msisdn handset, String from, String text, Optional<String> wapPushUrl, Instant at) {
      this(seq, handset, from, text, wapPushUrl, at, false);
    }
  }

  /** The service number the handsets text to. */
  String serviceNumber();

  /** Every handset that has sent or received an SMS, ordered by number. */
  List<Msisdn> handsets();

  /** What this handset received, newest first. */
  List<HandsetSms> inbox(Msisdn handset, int limit);

  /**
   * What this handset sent and received, newest first: the conversation it had with the gateway
   * (issue 18). Default: what it received.
   */
  default List<HandsetSms> conversation(Msisdn handset, int limit) {
    return inbox(handset, limit);
  }

  /** Sends an SMS from this handset to the service number; returns once the gateway has it. */
  void sendMo(Msisdn from, String text);
}
