package chatgate.sms.wap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * WAP Push Service Indication (WAP-167 SI 1.0) over SMS, so a WAP 1.x phone that cannot read a
 * long link in plain text still gets the chat reply link as a one-click push. Three layers, each a
 * pure function: the SI document in WBXML 1.2, the connectionless WSP Push PDU around it, and the
 * SMS parts (port-addressed UDH, concatenated when it does not fit one SMS).
 */
public final class WapPushSi {
  /** WSP port of the push client (2948) and of the push initiator (9200), big-endian. */
  private static final byte[] PORTS = {0x0B, (byte) 0x84, 0x23, (byte) 0xF0};
  /** 140 octets of user data minus the 7-octet single-part UDH. */
  static final int MAX_SINGLE = 133;
  /** 140 octets of user data minus the 12-octet UDH with ports and concatenation. */
  static final int MAX_SEGMENT = 128;
  static final int MAX_PARTS = 255;

  // WBXML 1.2 global tokens.
  private static final int END = 0x01;
  private static final int STR_I = 0x03;
  private static final int OPAQUE = 0xC3;
  // SI 1.0 code page 0: tags (with the content / attribute flags applied) and attribute starts.
  private static final int TAG_SI_CONTENT = 0x45;
  private static final int TAG_INDICATION_ATTRS_CONTENT = 0xC6;
  private static final int ATTR_ACTION_SIGNAL_MEDIUM = 0x07;
  private static final int ATTR_CREATED = 0x0A;
  private static final int ATTR_SI_ID = 0x11;

  /** href attribute-start tokens, longest prefix first so the first match is the best one. */
  private static final List<HrefPrefix> HREF_PREFIXES = List.of(
      new HrefPrefix("https://www.", 0x0F),
      new HrefPrefix("https://", 0x0E),
      new HrefPrefix("http://www.", 0x0D),
      new HrefPrefix("http://", 0x0C));
  private static final int ATTR_HREF = 0x0B;

  private record HrefPrefix(String prefix, int token) {}

  private WapPushSi() {}

  /**
   * One SMS of the push: its user data header (the whole UDH, starting with the UDHL octet) and
   * the payload octets that follow it. Arrays are copied in and out so a part cannot change
   * after it is made; equality is by content.
   */
  public record Part(byte[] udh, byte[] payload) {
    public Part {
      udh = udh.clone();
      payload = payload.clone();
    }

    @Override
    public byte[] udh() {
      return udh.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    /** The TP-UD to submit (with UDHI set): UDH then payload. */
    public byte[] userData() {
      byte[] ud = Arrays.copyOf(udh, udh.length + payload.length);
      System.arraycopy(payload, 0, ud, udh.length, payload.length);
      return ud;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Part p && Arrays.equals(udh, p.udh) && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(udh) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      HexFormat hex = HexFormat.of();
      return "Part[udh=" + hex.formatHex(udh) + ", payload=" + hex.formatHex(payload) + "]";
    }
  }

  /**
   * The connectionless WSP Push PDU: TID 0x01, PDU type Push (0x06), headers length 1, content
   * type application/vnd.wap.sic (0xAE), then the SI in WBXML. This minimal form is what
   * Kannel and gnokii send and what WAP 1.x handsets accept.
   */
  public static byte[] wspPush(String href, String text, String siId, Instant created) {
    byte[] si = siWbxml(href, text, siId, created);
    byte[] pdu = new byte[4 + si.length];
    pdu[0] = 0x01;
    pdu[1] = 0x06;
    pdu[2] = 0x01;
    pdu[3] = (byte) 0xAE;
    System.arraycopy(si, 0, pdu, 4, si.length);
    return pdu;
  }

  /**
   * The SI document in WBXML 1.2 (SI 1.0 public id, UTF-8, empty string table): one indication
   * with href, si-id, action signal-medium and created, whose content is {@code text}. Strings
   * are inline UTF-8, never split or truncated; fitting the SMS budget is the caller's choice.
   *
   * @throws IllegalArgumentException if href is not http(s), a string holds NUL (it would end
   *     the inline string early) or an unpaired surrogate, or created is outside years 0-9999
   */
  public static byte[] siWbxml(String href, String text, String siId, Instant created) {
    Objects.requireNonNull(href, "href");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(siId, "siId");
    Objects.requireNonNull(created, "created");
    if (!href.regionMatches(true, 0, "http://", 0, 7) && !href.regionMatches(true, 0, "https://", 0, 8)) {
      throw new IllegalArgumentException("href must be an http:// or https:// URL: " + href);
    }
    var out = new ByteArrayOutputStream(64 + href.length() + 3 * text.length());
    out.writeBytes(new byte[] {0x02, 0x05, 0x6A, 0x00}); // WBXML 1.2, SI 1.0, UTF-8, no strtbl
    out.write(TAG_SI_CONTENT);
    out.write(TAG_INDICATION_ATTRS_CONTENT);
    writeHref(out, href);
    out.write(ATTR_SI_ID);
    writeInline(out, "si-id", siId);
    out.write(ATTR_ACTION_SIGNAL_MEDIUM);
    out.write(ATTR_CREATED);
    byte[] date = bcdDate(created);
    out.write(OPAQUE);
    out.write(date.length); // at most 7, so a one-octet mb_u_int32
    out.writeBytes(date);
    out.write(END); // attributes of indication
    writeInline(out, "text", text);
    out.write(END); // indication
    out.write(END); // si
    return out.toByteArray();
  }

  /**
   * Splits a WSP push into SMS parts for WDP over SMS (ports 2948 from 9200). One part, with UDH
   * {@code 06 05 04 0B 84 23 F0}, when the PDU fits in 133 octets; otherwise parts of at most 128
   * octets, each with UDH {@code 0B 05 04 0B 84 23 F0 00 03 ref total seq}, so every part's user
   * data stays within 140 octets.
   *
   * @param ref the 8-bit concatenation reference, 0..255; unused for a single part
   * @throws IllegalArgumentException if ref is out of range or the push needs more than 255 parts
   */
  public static List<Part> smsParts(byte[] wspPush, int ref) {
    Objects.requireNonNull(wspPush, "wspPush");
    if (ref < 0 || ref > 0xFF) {
      throw new IllegalArgumentException("concatenation ref must be 0..255: " + ref);
    }
    if (wspPush.length <= MAX_SINGLE) {
      byte[] udh = {0x06, 0x05, 0x04, PORTS[0], PORTS[1], PORTS[2], PORTS[3]};
      return List.of(new Part(udh, wspPush));
    }
    int total = (wspPush.length + MAX_SEGMENT - 1) / MAX_SEGMENT;
    if (total > MAX_PARTS) {
      throw new IllegalArgumentException(
          "WSP push of " + wspPush.length + " octets needs " + total + " SMS parts; at most " + MAX_PARTS);
    }
    List<Part> parts = new ArrayList<>(total);
    for (int seq = 1; seq <= total; seq++) {
      int from = (seq - 1) * MAX_SEGMENT;
      byte[] udh = {0x0B, 0x05, 0x04, PORTS[0], PORTS[1], PORTS[2], PORTS[3],
          0x00, 0x03, (byte) ref, (byte) total, (byte) seq};
      parts.add(new Part(udh, Arrays.copyOfRange(wspPush, from, Math.min(from + MAX_SEGMENT, wspPush.length))));
    }
    return List.copyOf(parts);
  }

  /** href as the longest matching prefix token then the rest inline (no .com/-style tokens). */
  private static void writeHref(ByteArrayOutputStream out, String href) {
    for (HrefPrefix p : HREF_PREFIXES) {
      if (href.startsWith(p.prefix())) {
        out.write(p.token());
        writeInline(out, "href", href.substring(p.prefix().length()));
        return;
      }
    }
    out.write(ATTR_HREF); // e.g. an upper-case scheme: no token covers it, so all of it is inline
    writeInline(out, "href", href);
  }

  /** STR_I: the whole string as strict UTF-8, then the NUL terminator. */
  private static void writeInline(ByteArrayOutputStream out, String what, String s) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " must not contain NUL (it ends a WBXML inline string)");
    }
    ByteBuffer utf8;
    try {
      utf8 = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate)", e);
    }
    out.write(STR_I);
    out.write(utf8.array(), utf8.arrayOffset() + utf8.position(), utf8.remaining());
    out.write(0x00);
  }

  /**
   * WAP-167 §8.2.2: YYYYMMDDhhmmss in UTC as BCD, two digits per octet (high nibble first), with
   * trailing zero octets left off; the receiver restores them.
   */
  private static byte[] bcdDate(Instant created) {
    ZonedDateTime t = created.atZone(ZoneOffset.UTC);
    if (t.getYear() < 0 || t.getYear() > 9999) {
      throw new IllegalArgumentException("created must be in years 0000-9999: " + created);
    }
    int[] pairs = {t.getYear() / 100, t.getYear() % 100, t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute(), t.getSecond()};
    int n = pairs.length;
    while (n > 0 && pairs[n - 1] == 0) {
      n--;
    }
    byte[] bcd = new byte[n];
    for (int i = 0; i < n; i++) {
      bcd[i] = (byte) ((pairs[i] / 10) << 4 | pairs[i] % 10);
    }
    return bcd;
  }
}
