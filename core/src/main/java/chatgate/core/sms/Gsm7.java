package chatgate.core.sms;

import java.util.Arrays;

/**
 * The GSM 03.38 default alphabet and its extension table (3GPP TS 23.038 §6.2.1): which
 * characters a 7-bit SMS can carry and what each costs. Packing to octets is the SMS
 * adapter's business; this class only knows characters and septets.
 */
public final class Gsm7 {
  /** Escape to the extension table. */
  public static final int ESC = 0x1B;

  /** Basic table, indexed by septet value; ESC's slot holds a placeholder. */
  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  /** Extension table: character and its septet after ESC. */
  private static final char[] EXT_CHARS = {'\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€'};

  private static final int[] EXT_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};

  private static final int[] BASIC_INDEX = new int[0x10000];
  private static final int[] EXT_INDEX = new int[0x10000];

  static {
    if (BASIC.length() != 128) {
      throw new IllegalStateException("GSM basic table has " + BASIC.length() + " entries");
    }
    Arrays.fill(BASIC_INDEX, -1);
    Arrays.fill(EXT_INDEX, -1);
    for (int i = 0; i < 128; i++) {
      if (i != ESC) {
        BASIC_INDEX[BASIC.charAt(i)] = i;
      }
    }
    for (int i = 0; i < EXT_CHARS.length; i++) {
      EXT_INDEX[EXT_CHARS[i]] = EXT_CODES[i];
    }
  }

  private Gsm7() {}

  /** Septet of a basic-table character, or -1. */
  public static int basic(char c) {
    return BASIC_INDEX[c];
  }

  /** Septet (after ESC) of an extension-table character, or -1. */
  public static int extension(char c) {
    return EXT_INDEX[c];
  }

  /** The character of a basic-table septet (ESC maps to itself). */
  public static char basicChar(int septet) {
    return BASIC.charAt(septet & 0x7F);
  }

  /** The character of an extension septet, or -1 when undefined (shown as the basic char). */
  public static int extensionChar(int septet) {
    for (int i = 0; i < EXT_CODES.length; i++) {
      if (EXT_CODES[i] == septet) {
        return EXT_CHARS[i];
      }
    }
    return -1;
  }

  /** Septets for one character: 1, 2 (extension), or -1 if not representable. */
  public static int cost(char c) {
    if (BASIC_INDEX[c] >= 0) {
      return 1;
    }
    return EXT_INDEX[c] >= 0 ? 2 : -1;
  }

  /** True if every character is in the default alphabet or its extension. */
  public static boolean canEncode(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      if (cost(text.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Septets the text takes, or -1 if it cannot be encoded. */
  public static int septets(CharSequence text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      int c = cost(text.charAt(i));
      if (c < 0) {
        return -1;
      }
      n += c;
    }
    return n;
  }
}
