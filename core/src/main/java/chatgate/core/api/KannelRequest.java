package chatgate.core.api;

import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.SmsPort.MtOptions;
import chatgate.core.sms.Gsm7;
import chatgate.core.sms.Segmenter;
import chatgate.core.sms.SmsEncoding;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A sendsms request's parameters read as Kannel 1.4.5's smsbox reads them (its
 * smsbox_req_sendsms and smsbox_req_handle, checked against the real one by KannelParityIT): the
 * same checks in the same order with the same answers ("… field misformed, rejected"); numbers
 * that are not phone numbers dropped (all of them: refused); {@code text} decoded in its
 * {@code charset} with '?' for what does not decode; {@code coding=0} sent in GSM 7-bit with '?'
 * for what it lacks; a text longer than {@code maxSegments} parts cut to that many. chatgate's
 * own refusals: {@code coding=1} and {@code udh} (it sends text), control characters (issue 15).
 * Without {@code coding} chatgate picks UCS-2 for a text GSM cannot carry, where Kannel sends '?'.
 */
public final class KannelRequest {
  private KannelRequest() {}

  /** A parameter's first value, as octets (the text is decoded here, in its charset). */
  @FunctionalInterface
  public interface Params {
    Optional<byte[]> get(String name);
  }

  public sealed interface Parsed {}

  public record Ok(SendsmsRequest request) implements Parsed {}

  /** Kannel's answer to a request it refuses: 400 with its words, unless said otherwise. */
  public record Refused(int status, String body) implements Parsed {
    Refused(String body) {
      this(400, body);
    }
  }

  /** Characters Kannel's default {@code sendsms-chars} allows in a number. */
  private static final String NUMBER_CHARS = "0123456789 +-";
  /** Kannel's ACCOUNT_MAX_LEN. */
  private static final int ACCOUNT_MAX = 64;

  /**
   * @param post a POST (Kannel words a missing {@code to} differently)
   * @param service the sendsms user
   */
  public static Parsed parse(Params p, boolean post, String service, NumberPlan numbers, int maxSegments,
      Instant now) {
    Optional<String> to = str(p, "to");
    if (to.isEmpty()) {
      return new Refused(post ? "Missing receiver(s) number(s), rejected" : "Missing receiver number, rejected");
    }
    if (to.get().isEmpty()) {
      return new Refused("Empty receiver number not allowed, rejected");
    }
    if (str(p, "udh").filter(u -> !u.isEmpty()).isPresent()) {
      return new Refused("UDH is not supported, rejected");
    }
    List<SendsmsRequest.Recipient> recipients = recipients(to.get(), numbers);
    if (recipients.isEmpty()) {
      return new Refused("Number(s) has/have been denied by white- and/or black-lists.");
    }
    String from = str(p, "from").orElse("");
    String account = str(p, "account").orElse("");
    if (account.getBytes(StandardCharsets.UTF_8).length > ACCOUNT_MAX || account.chars().anyMatch(c -> "[]\n\r"
        .indexOf(c) >= 0)) {
      return new Refused("Account field misformed or too long, rejected");
    }
    String dlrUrl = str(p, "dlr-url").or(() -> str(p, "dlrurl")).orElse("");
    if (!dlrUrl.isEmpty() && !dlrUrl.regionMatches(true, 0, "http://", 0, 7)
        && !dlrUrl.regionMatches(true, 0, "https://", 0, 8)) {
      return new Refused("DLR-URL field misformed, rejected");
    }
    int dlrMask = number(p, "dlr-mask").orElseGet(() -> number(p, "dlrmask").orElse(-1));
    Map<String, int[]> ranges = new LinkedHashMap<>();
    ranges.put("DLR-Mask", new int[] {dlrMask, -1, 66});
    int mclass = number(p, "mclass").orElse(-1);
    ranges.put("MClass", new int[] {mclass, -1, 3});
    int pid = number(p, "pid").orElse(-1);
    ranges.put("PID", new int[] {pid, -1, 255});
    int rpi = number(p, "rpi").orElse(-1);
    ranges.put("RPI", new int[] {rpi, -1, 2});
    int altDcs = number(p, "alt-dcs").orElse(-1);
    ranges.put("Alt-DCS", new int[] {altDcs, -1, 1});
    int mwi = number(p, "mwi").orElse(-1);
    ranges.put("MWI", new int[] {mwi, -1, 7});
    int coding = number(p, "coding").orElse(-1);
    ranges.put("Coding", new int[] {coding, -1, 2});
    ranges.put("Compress", new int[] {number(p, "compress").orElse(-1), -1, 1});
    int validity = number(p, "validity").orElse(-1);
    ranges.put("Validity", new int[] {validity, -1, Integer.MAX_VALUE});
    int deferred = number(p, "deferred").orElse(-1);
    ranges.put("Deferred", new int[] {deferred, -1, Integer.MAX_VALUE});
    int priority = number(p, "priority").orElse(-1);
    ranges.put("Priority", new int[] {priority == -1 ? 0 : priority, 0, 3});
    for (Map.Entry<String, int[]> r : ranges.entrySet()) {
      int[] v = r.getValue();
      if (v[0] < v[1] || v[0] > v[2]) {
        return new Refused(r.getKey() + " field misformed, rejected");
      }
    }
    if (coding == 1) {
      return new Refused("8-bit (coding=1) messages are not supported, rejected");
    }
    Optional<String> decoded = text(p.get("text").orElse(new byte[0]), str(p, "charset").orElse(""), coding == 2);
    if (decoded.isEmpty()) {
      return new Refused("Charset or body misformed, rejected");
    }
    String text = decoded.get();
    if (SendsmsService.hasControls(text)) {
      return new Refused("Text contains control characters");
    }
    if (coding == 0) {
      text = gsm(text);
    }
    text = cut(text, coding == 2, maxSegments);
    MtOptions mt = new MtOptions(from, coding == 2, mclass, mwi, altDcs, pid, rpi, priority,
        validity == -1 ? 0 : now.getEpochSecond() + validity * 60L,
        deferred == -1 ? 0 : now.getEpochSecond() + deferred * 60L);
    return new Ok(new SendsmsRequest(service, recipients, text, from, mt,
        dlrUrl.isEmpty() ? Optional.empty() : Optional.of(dlrUrl), Math.max(0, dlrMask)));
  }

  /**
   * The numbers of {@code to} (separated by blanks) the gateway can send to, each once, as
   * written; one with a character Kannel does not allow in a number, or that is not a phone
   * number, is dropped.
   */
  static List<SendsmsRequest.Recipient> recipients(String to, NumberPlan numbers) {
    List<SendsmsRequest.Recipient> out = new ArrayList<>();
    List<Msisdn> seen = new ArrayList<>();
    for (String raw : KannelEscapes.words(to)) {
      if (!raw.chars().allMatch(c -> NUMBER_CHARS.indexOf(c) >= 0)) {
        continue;
      }
      Optional<Msisdn> m = numbers.parse(raw);
      if (m.isPresent() && !seen.contains(m.get())) {
        seen.add(m.get());
        out.add(new SendsmsRequest.Recipient(raw, m.get()));
      }
    }
    return out;
  }

  /**
   * The text in its charset (UTF-8 by default; UTF-16BE with coding=2), each octet that does not
   * decode as '?' and a sequence cut off at the end left out (as Kannel's iconv does); empty for a
   * charset nobody knows.
   */
  static Optional<String> text(byte[] octets, String charset, boolean ucs2) {
    Charset cs;
    try {
      String name = charset.strip().toUpperCase(Locale.ROOT);
      cs = name.isEmpty() ? (ucs2 ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_8)
          : name.equals("UCS-2") || name.equals("UCS-2BE") || name.equals("UCS2") ? StandardCharsets.UTF_16BE
          : Charset.forName(name);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE).replaceWith("?");
    CharBuffer out = CharBuffer.allocate((int) (octets.length * (double) d.maxCharsPerByte()) + 16);
    // Not the end of the input: a sequence cut off at the end stays undecoded and is dropped, as iconv drops it.
    CoderResult r = d.decode(ByteBuffer.wrap(octets), out, false);
    if (r.isError()) {
      return Optional.empty();
    }
    return Optional.of(out.flip().toString());
  }

  /** The text in GSM 7-bit: each character it has no septet for (a surrogate pair is one) as '?'. */
  static String gsm(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append('?');
        i++;
      } else {
        out.append(Gsm7.cost(c) < 0 ? '?' : c);
      }
    }
    return out.toString();
  }

  /** The first {@code max} parts of the text (Kannel's max-messages): what does not fit is not sent. */
  static String cut(String text, boolean ucs2, int max) {
    SmsEncoding enc = ucs2 ? SmsEncoding.UCS2 : SmsEncoding.of(text);
    List<String> parts = Segmenter.split(text, enc);
    return parts.size() <= max ? text : String.join("", parts.subList(0, max));
  }

  private static Optional<String> str(Params p, String name) {
    return p.get(name).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /** C's {@code sscanf("%d")}: blanks, a sign, digits, whatever follows ignored; empty if no digit. */
  static Optional<Integer> number(Params p, String name) {
    Optional<String> v = str(p, name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String s = v.get();
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    long n = 0;
    int digits = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && digits < 11) {
      n = n * 10 + (s.charAt(i++) - '0');
      digits++;
    }
    if (digits == 0) {
      return Optional.empty();
    }
    n = negative ? -n : n;
    return Optional.of((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n)));
  }
}
