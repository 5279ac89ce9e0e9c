package chatgate.core.port;

import chatgate.core.model.Msisdn;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Parts of concatenated MO SMS waiting for their siblings. A part is stored before the SMSC is
 * answered, so a crash between parts loses nothing; once the whole message has been handed on,
 * its parts are dropped and the key is remembered for a while, so a part the SMSC repeats late
 * does not start a new, broken message.
 */
public interface MoPartStore {

  /**
   * One part.
   *
   * @param key the message the part belongs to: sender, recipient, reference and total
   */
  record MoPart(String key, int seq, int total, Msisdn from, String to, String text, Optional<String> imsi,
      Instant receivedAt) {
    public MoPart {
      imsi = imsi == null ? Optional.empty() : imsi;
    }
  }

  /**
   * Stores the part (the same key and seq again changes nothing) and returns the parts of its key
   * stored so far, in seq order; an empty list when the key was completed recently (a late repeat).
   */
  List<MoPart> add(MoPart part);

  /** The parts stored for a key, in seq order. */
  List<MoPart> parts(String key);

  /** Drops the parts of a key handed on whole and remembers the key as completed at {@code at}. */
  void complete(String key, Instant at);

  /** Keys still waiting whose first part arrived before {@code before}. */
  List<String> waitingSince(Instant before);

  /** Forgets completed keys older than {@code before}. */
  void forgetCompleted(Instant before);
}
