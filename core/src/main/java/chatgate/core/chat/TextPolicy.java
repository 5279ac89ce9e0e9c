package chatgate.core.chat;

import chatgate.core.chat.SendResult.Problem;
import chatgate.core.chat.SendResult.Rejected;
import java.util.Optional;

/**
 * What a chat text may hold. Line ends are normalised, invisible control and bidi-override
 * characters dropped, and a text that arrived broken (lone surrogates, U+FFFD from a bad
 * decoding) is refused rather than passed on garbled.
 */
public final class TextPolicy {
  private TextPolicy() {}

  /** A text checked for sending: the body to store, or why it is refused. */
  record Checked(String body, Optional<Rejected> refused) {}

  /** Cleaned, then refused if it shows a bad encoding, is empty, or is longer than {@code maxChars}. */
  static Checked check(String raw, int maxChars) {
    Optional<String> cleaned = clean(raw);
    if (cleaned.isEmpty()) {
      return new Checked("", Optional.of(new Rejected(Problem.BAD_TEXT, "")));
    }
    String body = cleaned.get();
    if (body.isEmpty()) {
      return new Checked(body, Optional.of(new Rejected(Problem.EMPTY, "")));
    }
    if (length(body) > maxChars) {
      return new Checked(body, Optional.of(new Rejected(Problem.TOO_LONG, Integer.toString(maxChars))));
    }
    return new Checked(body, Optional.empty());
  }

  /** The cleaned text, or empty if it holds characters that show a bad encoding. */
  public static Optional<String> clean(String raw) {
    if (raw == null) {
      return Optional.of("");
    }
    StringBuilder b = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
          b.append(c).append(raw.charAt(++i));
          continue;
        }
        return Optional.empty();
      }
      if (Character.isLowSurrogate(c) || c == '\uFFFD') {
        return Optional.empty();
      }
      if (c == '\r') {
        if (i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
          continue;
        }
        b.append('\n');
      } else if (c == '\t') {
        b.append(' ');
      } else if (c == '\n') {
        b.append(c);
      } else if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
        // other C0/C1 controls: invisible, and some SMSCs choke on them
      } else if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\uFEFF') {
        // bidi overrides and BOM: used to disguise text, never needed in a chat line
      } else {
        b.append(c);
      }
    }
    return Optional.of(b.toString().strip());
  }

  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }
}
