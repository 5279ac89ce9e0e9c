package chatgate.core.sms;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text into the parts of a concatenated SMS: 160/153 septets in GSM 7-bit, 70/67
 * UTF-16 units in UCS-2 (3GPP TS 23.040 §9.2.3.24.1), never splitting an escape pair or a
 * surrogate pair. The SMS adapter encodes each part; the core uses the count to keep texts short.
 */
public final class Segmenter {
  private Segmenter() {}

  /** The parts of the text; one part if it fits a single SMS. An empty text is one empty part. */
  public static List<String> split(String text) {
    return split(text, SmsEncoding.of(text));
  }

  public static List<String> split(String text, SmsEncoding enc) {
    if (units(text, enc) <= enc.single) {
      return List.of(text);
    }
    List<String> parts = new ArrayList<>();
    int start = 0;
    int used = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int step = 1;
      int cost;
      if (enc == SmsEncoding.GSM7) {
        cost = Gsm7.cost(c);
        if (cost < 0) {
          throw new IllegalArgumentException("not encodable in GSM 7-bit at index " + i);
        }
      } else {
        boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        step = pair ? 2 : 1;
        cost = step;
      }
      if (used + cost > enc.perPart) {
        parts.add(text.substring(start, i));
        start = i;
        used = 0;
      }
      used += cost;
      i += step;
    }
    parts.add(text.substring(start));
    return parts;
  }

  /** Units (septets or UTF-16 code units) the text takes in this encoding. */
  public static int units(String text, SmsEncoding enc) {
    return enc == SmsEncoding.GSM7 ? Gsm7.septets(text) : text.length();
  }

  /** How many SMS the text costs. */
  public static int count(String text) {
    return split(text).size();
  }

  /** True if the text fits in one SMS. */
  public static boolean fitsOne(String text) {
    SmsEncoding enc = SmsEncoding.of(text);
    return units(text, enc) <= enc.single;
  }
}
