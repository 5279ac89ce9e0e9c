package chatgate.sms.smpp;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Makes the SMSC's message ids comparable: the id in submit_sm_resp and the one in a delivery
 * receipt may be written in different bases (Kannel's {@code msg-id-type}), with leading zeros
 * or in another case. Both are brought to one canonical form, lower-case hex of the number, or
 * the lower-cased text when the id is not a number in the expected base.
 *
 * <p>{@code msg_id_type}: {@code hex} (both hex), {@code dec} (both decimal), {@code hex-dec}
 * (submit_sm_resp hex, receipt text decimal), {@code dec-hex} (the other way round).
 */
public record MessageIds(int submitRadix, int receiptRadix) {

  public static MessageIds of(String msgIdType) {
    return switch (msgIdType.toLowerCase(Locale.ROOT)) {
      case "hex" -> new MessageIds(16, 16);
      case "dec" -> new MessageIds(10, 10);
      case "hex-dec" -> new MessageIds(16, 10);
      case "dec-hex" -> new MessageIds(10, 16);
      default -> throw new IllegalArgumentException("msg_id_type must be hex, dec, hex-dec or dec-hex: " + msgIdType);
    };
  }

  /** An id from submit_sm_resp, or from the receipted_message_id TLV (SMPP 3.4: the same form). */
  public String fromSubmit(String id) {
    return canonical(id, submitRadix);
  }

  /** An id from the text of a delivery receipt ({@code id:…}). */
  public String fromReceiptText(String id) {
    return canonical(id, receiptRadix);
  }

  static String canonical(String id, int radix) {
    String t = id.trim();
    if (t.isEmpty()) {
      return t;
    }
    try {
      return new BigInteger(t, radix).toString(16);
    } catch (NumberFormatException e) {
      return t.toLowerCase(Locale.ROOT);
    }
  }
}
