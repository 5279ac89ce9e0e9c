package chatgate.sms.codec;

import chatgate.core.sms.Gsm7;
import chatgate.core.sms.Segmenter;
import chatgate.core.sms.SmsEncoding;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The octets of SMS text on an SMPP link (3GPP TS 23.038, 23.040; SMPP 3.4 §5.2.19): GSM 03.38
 * unpacked, one septet per octet (how SMSCs take {@code data_coding=0}), with the extension table
 * behind ESC; UCS-2 as UTF-16BE ({@code data_coding=8}). Long texts become concatenated segments
 * with an 8-bit-reference UDH. Never {@code String.getBytes()}: that is how £ and € get lost.
 */
public final class SmsCodec {
  public static final int DC_DEFAULT = 0x00;
  public static final int DC_IA5 = 0x01;
  public static final int DC_BINARY = 0x04;
  public static final int DC_LATIN1 = 0x03;
  public static final int DC_UCS2 = 0x08;
  /** esm_class bit: the short message starts with a user data header. */
  public static final int ESM_UDHI = 0x40;

  private SmsCodec() {}

  /** One segment as it goes in a submit_sm: data_coding, esm_class and the short_message octets (UDH included). */
  public record Segment(int dataCoding, int esmClass, byte[] shortMessage) {}

  /**
   * The segments of a text: GSM 7-bit when every character fits, else UCS-2; a single SMS when
   * it fits (160/70), else parts of 153/67 with UDH {@code 05 00 03 ref total seq}.
   *
   * @param ref the concatenation reference (0–255), the same for every part of this text
   */
  public static List<Segment> encode(String text, int ref) {
    return encode(text, ref, false);
  }

  /** {@link #encode(String, int)}, in UCS-2 even when GSM 7-bit would carry the text (a client's {@code coding=2}). */
  public static List<Segment> encode(String text, int ref, boolean ucs2) {
    SmsEncoding enc = ucs2 ? SmsEncoding.UCS2 : SmsEncoding.of(text);
    List<String> parts = Segmenter.split(text, enc);
    int dc = enc == SmsEncoding.GSM7 ? DC_DEFAULT : DC_UCS2;
    if (parts.size() == 1) {
      return List.of(new Segment(dc, 0, bytes(parts.getFirst(), enc)));
    }
    if (parts.size() > 255) {
      throw new IllegalArgumentException("text needs " + parts.size() + " segments, at most 255");
    }
    List<Segment> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      byte[] body = bytes(parts.get(i), enc);
      byte[] sm = new byte[6 + body.length];
      sm[0] = 0x05;
      sm[1] = 0x00;
      sm[2] = 0x03;
      sm[3] = (byte) ref;
      sm[4] = (byte) parts.size();
      sm[5] = (byte) (i + 1);
      System.arraycopy(body, 0, sm, 6, body.length);
      out.add(new Segment(dc, ESM_UDHI, sm));
    }
    return out;
  }

  private static byte[] bytes(String text, SmsEncoding enc) {
    return enc == SmsEncoding.GSM7 ? gsm7(text) : text.getBytes(StandardCharsets.UTF_16BE);
  }

  /** GSM 03.38 unpacked: a septet per octet, extension characters as ESC + septet. */
  public static byte[] gsm7(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int b = Gsm7.basic(c);
      if (b >= 0) {
        out.write(b);
        continue;
      }
      int e = Gsm7.extension(c);
      if (e < 0) {
        throw new IllegalArgumentException("not in the GSM 7-bit alphabet at index " + i);
      }
      out.write(Gsm7.ESC);
      out.write(e);
    }
    return out.toByteArray();
  }

  /**
   * Text from GSM 03.38 unpacked octets. An unknown extension septet is shown as its basic
   * character (TS 23.038 says so); a trailing lone ESC is dropped; the high bit is ignored.
   */
  public static String decodeGsm7(byte[] b, int from, int to) {
    StringBuilder s = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      int septet = b[i] & 0x7F;
      if (septet == Gsm7.ESC) {
        if (i + 1 >= to) {
          break;
        }
        int next = b[++i] & 0x7F;
        int ext = Gsm7.extensionChar(next);
        s.append(ext >= 0 ? (char) ext : Gsm7.basicChar(next));
      } else {
        s.append(Gsm7.basicChar(septet));
      }
    }
    return s.toString();
  }

  /**
   * The text of an MO body in its data_coding. UCS-2 with an odd octet count loses the last
   * octet (a broken handset or SMSC); 8-bit binary is not text and is refused.
   */
  public static String decode(int dataCoding, byte[] b, int from, int to) {
    int coding = effectiveCoding(dataCoding);
    return switch (coding) {
      case DC_DEFAULT -> decodeGsm7(b, from, to);
      case DC_IA5 -> new String(b, from, to - from, StandardCharsets.US_ASCII);
      case DC_LATIN1 -> new String(b, from, to - from, StandardCharsets.ISO_8859_1);
      case DC_UCS2 -> new String(b, from, (to - from) & ~1, StandardCharsets.UTF_16BE);
      default -> throw new IllegalArgumentException("data_coding 0x" + Integer.toHexString(dataCoding) + " is not text");
    };
  }

  /** Maps the message-class and coding-group forms of data_coding (0xF0–0xF7, 0x10–0x1F…) to the alphabet. */
  static int effectiveCoding(int dc) {
    dc &= 0xFF;
    if ((dc & 0xF0) == 0xF0) {
      return (dc & 0x04) != 0 ? DC_BINARY : DC_DEFAULT;
    }
    if ((dc & 0xC0) == 0x00 && (dc & 0x10) != 0) {
      // General data coding group with a message class: bits 3..2 give the alphabet.
      return switch ((dc >> 2) & 0x03) {
        case 0 -> DC_DEFAULT;
        case 1 -> DC_BINARY;
        case 2 -> DC_UCS2;
        default -> DC_BINARY;
      };
    }
    return switch (dc) {
      case DC_DEFAULT, DC_IA5, DC_LATIN1, DC_UCS2 -> dc;
      case 0x02, DC_BINARY -> DC_BINARY;
      default -> dc;
    };
  }
}
