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

  /** One SMS as a handset shows it (reassembled when it came in parts). */
  record HandsetSms(long seq, Msisdn handset, String from, String text, Optional<String> wapPushUrl, Instant at) {
    public HandsetSms {
      wapPushUrl = wapPushUrl == null ? Optional.empty() : wapPushUrl;
    }
  }

  /** The service number the handsets text to. */
  String serviceNumber();

  /** Every handset that has sent or received an SMS, ordered by number. */
  List<Msisdn> handsets();

  /** What this handset received, newest first. */
  List<HandsetSms> inbox(Msisdn handset, int limit);

  /** Sends an SMS from this handset to the service number; returns once the gateway has it. */
  void sendMo(Msisdn from, String text);
}
