package chatgate.core.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Kannel's dlr-url escapes, as Kannel 1.4.5's smsbox fills them for a delivery report (its
 * {@code urltrans_fill_escape_codes}, checked against the real smsbox by KannelParityIT). The
 * report's "text" ({@code %a %A %b %e %k %r %s %S}) is {@code ACK/}, {@code NACK/…} or the
 * SMSC's receipt; fields a report does not carry expand as Kannel's do ({@code %c} -1,
 * {@code %C} UTF-8, {@code %O} 00, {@code %B %f %u %v %V} nothing). {@code %%} is a '%'; an
 * escape Kannel does not know is left as written, as is a '%' at the end.
 */
public final class KannelEscapes {
  private KannelEscapes() {}

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd+HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  /**
   * One delivery report as Kannel's DLR message carries it.
   *
   * @param text ACK/, NACK/… or the receipt, one char per octet (ISO-8859-1)
   * @param smscMessageId {@code %F}: the SMSC's id as Kannel writes it ("" for a refusal)
   * @param smscId {@code %i}: the SMSC link's name (Kannel's smsc-id)
   * @param id {@code %I}: a UUID
   * @param service {@code %n}: the sendsms user
   * @param account {@code %o}: for a receipt the SMSC account, else ""
   * @param receiver {@code %p}: the number as the client wrote it
   * @param sender {@code %P}: the client's from, or the service number
   * @param dlrUrl {@code %R}: the dlr-url itself
   * @param metaData {@code %D}: Kannel's meta-data of the report
   */
  public record Dlr(int type, String text, String smscMessageId, String smscId, String id, String service,
      String account, String receiver, String sender, Instant at, String dlrUrl, String metaData) {}

  public static String expand(String pattern, Dlr d) {
    StringBuilder out = new StringBuilder(pattern.length() + 64);
    List<String> words = words(d.text());
    int nextArg = 1;
    int pos = 0;
    int n = pattern.length();
    while (pos < n) {
      char c = pattern.charAt(pos);
      if (c != '%' || pos + 1 >= n) {
        out.append(c);
        pos++;
        continue;
      }
      char k = pattern.charAt(pos + 1);
      pos += 2;
      switch (k) {
        case 'a' -> {
          for (int j = 0; j < words.size(); j++) {
            out.append(j > 0 ? "+" : "").append(octets(words.get(j)));
          }
        }
        case 'A', 'b' -> out.append(octets(d.text()));
        case 'B', 'f', 'u', 'v', 'V' -> { }
        case 'c', 'm', 'M' -> out.append("-1");
        case 'C' -> out.append("UTF-8");
        case 'd' -> out.append(d.type());
        case 'D' -> out.append(encode(d.metaData()));
        case 'e' -> out.append(hex(d.text()));
        case 'F' -> out.append(encode(d.smscMessageId()));
        case 'i' -> out.append(encode(d.smscId()));
        case 'I' -> out.append(d.id());
        case 'k' -> out.append(words.isEmpty() ? "" : octets(words.getFirst()));
        case 'n' -> out.append(encode(d.service()));
        case 'o' -> out.append(encode(d.account()));
        case 'O' -> out.append("00");
        case 'p' -> out.append(encode(d.receiver()));
        case 'P' -> out.append(encode(d.sender()));
        case 'q' -> out.append(plus(d.receiver()));
        case 'Q' -> out.append(plus(d.sender()));
        case 'r' -> {
          for (int j = nextArg; j < words.size(); j++) {
            out.append(j != nextArg ? "+" : "").append(octets(words.get(j)));
          }
        }
        case 'R' -> out.append(encode(d.dlrUrl()));
        case 's' -> {
          if (nextArg < words.size()) {
            out.append(octets(words.get(nextArg++)));
          }
        }
        case 'S' -> {
          if (nextArg < words.size()) {
            out.append(words.get(nextArg++).replace('*', '~')); // as Kannel: not encoded
          }
        }
        case 't' -> out.append(TIME.format(d.at()));
        case 'T' -> out.append(d.at().getEpochSecond());
        case '%' -> out.append('%');
        default -> out.append('%').append(k);
      }
    }
    return out.toString();
  }

  /** A number with a leading "00" as "+…" (Kannel's %q/%Q), encoded. */
  private static String plus(String number) {
    return number.startsWith("00") ? "%2B" + encode(number.substring(2)) : encode(number);
  }

  /** Kannel's octstr_split_words: runs of non-blanks. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && blank(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < text.length() && !blank(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(text.substring(start, i));
      }
    }
    return out;
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f';
  }

  /** Kannel's octstr_url_encode of UTF-8 text: RFC 2396's unreserved characters stay, a space is '+'. */
  public static String encode(String s) {
    return encode(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The same of text whose chars are octets (a receipt as the SMSC sent it). */
  static String octets(String s) {
    return encode(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_.!~*'()".indexOf(c) >= 0) {
        out.append((char) c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static String hex(String octets) {
    StringBuilder out = new StringBuilder(octets.length() * 2);
    for (byte b : octets.getBytes(StandardCharsets.ISO_8859_1)) {
      out.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
    return out.toString();
  }

  /**
   * The expanded URL as a request can carry it. Kannel sends what it expanded as it is; an escape
   * it leaves alone ({@code %x}), a {@code %%} or a '%' at the end make a URL that a strict client
   * (chatgate's) cannot send and a strict server refuses. Such a '%' is sent as {@code %25}, and a
   * character no URL may hold (a space, a quote, non-ASCII) percent-encoded in UTF-8: a server
   * decodes each to what it decodes Kannel's raw form to.
   */
  public static String sendable(String url) {
    StringBuilder out = null;
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      String fix = null;
      if (c == '%') {
        if (!(i + 2 < url.length() && hexDigit(url.charAt(i + 1)) && hexDigit(url.charAt(i + 2)))) {
          fix = "%25";
        }
      } else if (c <= 0x20 || c >= 0x7F || "\"#<>\\^`{|}".indexOf(c) >= 0) {
        int end = Character.isHighSurrogate(c) && i + 1 < url.length() ? i + 2 : i + 1;
        fix = encodeAll(url.substring(i, end));
        if (out == null) {
          out = new StringBuilder(url.length() + 16).append(url, 0, i);
        }
        out.append(fix);
        i = end - 1;
        continue;
      }
      if (fix != null && out == null) {
        out = new StringBuilder(url.length() + 16).append(url, 0, i);
      }
      if (out != null) {
        out.append(fix != null ? fix : String.valueOf(c));
      }
    }
    return out == null ? url : out.toString();
  }

  private static boolean hexDigit(char c) {
    return Character.digit(c, 16) >= 0 && c < 0x80;
  }

  private static String encodeAll(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
    return out.toString();
  }
}
