package chatgate.sms.codec;

import java.util.Optional;

/**
 * A received short message split into its user data header and body (3GPP TS 23.040 §9.2.3.24):
 * the concatenation element (8- or 16-bit reference) and the application port element, if any.
 * A header that runs past the message is malformed and refused.
 */
public record UserData(Optional<Concat> concat, Optional<Integer> destinationPort, int bodyOffset) {

  /** Part {@code seq} of {@code total}, under reference {@code ref}. */
  public record Concat(int ref, int total, int seq) {}

  public static UserData parse(int esmClass, byte[] sm) {
    if ((esmClass & SmsCodec.ESM_UDHI) == 0 || sm.length == 0) {
      return new UserData(Optional.empty(), Optional.empty(), 0);
    }
    int udhl = sm[0] & 0xFF;
    if (1 + udhl > sm.length) {
      throw new IllegalArgumentException("user data header length " + udhl + " exceeds the message (" + sm.length + " octets)");
    }
    Concat concat = null;
    Integer port = null;
    int i = 1;
    int end = 1 + udhl;
    while (i < end) {
      if (i + 1 >= end) {
        throw new IllegalArgumentException("truncated information element in the user data header");
      }
      int iei = sm[i] & 0xFF;
      int len = sm[i + 1] & 0xFF;
      int v = i + 2;
      if (v + len > end) {
        throw new IllegalArgumentException("information element 0x" + Integer.toHexString(iei) + " runs past the header");
      }
      switch (iei) {
        case 0x00 -> {
          if (len == 3) {
            concat = concat(sm[v] & 0xFF, sm[v + 1] & 0xFF, sm[v + 2] & 0xFF);
          }
        }
        case 0x08 -> {
          if (len == 4) {
            concat = concat(((sm[v] & 0xFF) << 8) | (sm[v + 1] & 0xFF), sm[v + 2] & 0xFF, sm[v + 3] & 0xFF);
          }
        }
        case 0x05 -> {
          if (len == 4) {
            port = ((sm[v] & 0xFF) << 8) | (sm[v + 1] & 0xFF);
          }
        }
        case 0x04 -> {
          if (len == 2) {
            port = sm[v] & 0xFF;
          }
        }
        default -> {
          // other elements (national language shift, text formatting…) are skipped
        }
      }
      i = v + len;
    }
    return new UserData(Optional.ofNullable(concat), Optional.ofNullable(port), end);
  }

  private static Concat concat(int ref, int total, int seq) {
    if (total == 0 || seq == 0 || seq > total) {
      return null; // TS 23.040: such an element is ignored; the part is taken as a whole message
    }
    return new Concat(ref, total, seq);
  }
}
