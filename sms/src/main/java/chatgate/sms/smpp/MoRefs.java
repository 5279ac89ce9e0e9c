package chatgate.sms.smpp;

import chatgate.core.auth.Keys;
import chatgate.core.auth.Tokens;
import chatgate.core.model.Msisdn;
import java.time.Instant;

/**
 * De-duplication refs of single MOs (ADR 0016). A single MO carries no id an SMSC keeps across
 * its repeats, so the ref is made from what identifies a repeat: the sender, the
 * user_message_reference where given, else the text, and a time slot. It is a keyed MAC of
 * those (the key lives outside the database), never a plain hash, and never shows the number:
 * refs are logged and stored as the origin of the reply. A text that is (or looks like) a login
 * gets a random ref instead: nothing may be derived from a password.
 */
final class MoRefs {
  /** Seconds in which the same text from the same sender is taken as the SMSC's repeat. */
  static final long SLOT_SECONDS = 30;
  /** A user_message_reference names one MO for this long (it wraps at 65,536). */
  static final long UMR_SLOT_SECONDS = 3600;
  private static final int MAC_BYTES = 12;

  private final Keys keys;

  MoRefs(Keys keys) {
    this.keys = keys;
  }

  /** The ref of an MO without user_message_reference: sender, text and a 30-second slot. */
  String ofText(Msisdn from, String text, Instant at) {
    return "smpp:" + keys.macB64(Keys.Purpose.MO_REF,
        "text|" + from.e164() + "|" + at.getEpochSecond() / SLOT_SECONDS + "|" + text, MAC_BYTES);
  }

  /** The ref of an MO with user_message_reference: sender, that reference and the hour. */
  String ofUmr(Msisdn from, int umr, Instant at) {
    return "smpp:u" + keys.macB64(Keys.Purpose.MO_REF,
        "umr|" + from.e164() + "|" + umr + "|" + at.getEpochSecond() / UMR_SLOT_SECONDS, MAC_BYTES);
  }

  /** A login's ref: random, so no repeat of it is recognised (it logs in again: harmless). */
  static String ofLogin() {
    return "smpp:login:" + Tokens.random(16);
  }
}
