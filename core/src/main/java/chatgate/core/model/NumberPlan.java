package chatgate.core.model;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what people and SMSCs write into E.164 ({@code [sms] default_region} for numbers
 * written without a country code), and tells phone numbers from group ids.
 */
public final class NumberPlan {
  private static final int CACHE_MAX = 50_000;
  private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
  private final String region;
  /** Formatting a number is costly and every page and SMS shows some: remember the answers. */
  private final Map<Msisdn, String> displayed = new ConcurrentHashMap<>();
  private final Map<String, Boolean> possible = new ConcurrentHashMap<>();

  public NumberPlan(String defaultRegion) {
    String r = defaultRegion == null ? "" : defaultRegion.toUpperCase(Locale.ROOT);
    if (!util.getSupportedRegions().contains(r)) {
      throw new IllegalArgumentException("unknown region: " + defaultRegion);
    }
    this.region = r;
  }

  public String region() {
    return region;
  }

  /**
   * A number as a user typed it ("138 0000 0001", "+86 138-0000-0001", "008613800000001") in
   * E.164, or empty when it is not a possible number.
   */
  public Optional<Msisdn> parse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String s = raw.strip();
    if (s.isEmpty() || s.length() > 32) {
      return Optional.empty();
    }
    if (Msisdn.isE164(s)) {
      // Already international: the common case (forms echo E.164, SMSCs send it); parse it once.
      Boolean ok = possible.get(s);
      if (ok == null) {
        ok = parseFully(s).map(m -> m.e164().equals(s)).orElse(false);
        if (possible.size() >= CACHE_MAX) {
          possible.clear();
        }
        possible.put(s, ok);
      }
      return ok ? Optional.of(new Msisdn(s)) : parseFully(s);
    }
    return parseFully(s);
  }

  private Optional<Msisdn> parseFully(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = Character.isDigit(c) || c == '+' || c == ' ' || c == '-' || c == '(' || c == ')' || c == '.';
      if (!ok) {
        return Optional.empty();
      }
    }
    try {
      PhoneNumber n = util.parse(s, region);
      if (!util.isPossibleNumber(n)) {
        return Optional.empty();
      }
      String e164 = util.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
      return Msisdn.isE164(e164) ? Optional.of(new Msisdn(e164)) : Optional.empty();
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /**
   * A number as an SMSC gives it: digits with TON international, or national digits. A leading
   * '+' is accepted too.
   */
  public Optional<Msisdn> fromSmsc(String address, boolean international) {
    if (address == null || address.isBlank()) {
      return Optional.empty();
    }
    String a = address.strip();
    if (international && !a.startsWith("+")) {
      a = "+" + a;
    }
    return parse(a);
  }

  /** A chat target as typed: a group id if it starts with a letter, else a phone number. */
  public Optional<Target> target(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String s = raw.strip();
    if (s.startsWith("#")) {
      s = s.substring(1);
    }
    if (!s.isEmpty() && Character.isLetter(s.charAt(0)) && s.charAt(0) < 0x80) {
      return GroupId.isGroupId(s) ? Optional.of(new GroupId(s)) : Optional.empty();
    }
    return parse(s).map(m -> m);
  }

  /** For display to a user of this region: national format, else international. */
  public String display(Msisdn m) {
    String known = displayed.get(m);
    if (known != null) {
      return known;
    }
    if (displayed.size() >= CACHE_MAX) {
      displayed.clear();
    }
    String d = format(m);
    displayed.put(m, d);
    return d;
  }

  private String format(Msisdn m) {
    try {
      PhoneNumber n = util.parse(m.e164(), region);
      String rc = util.getRegionCodeForNumber(n);
      return region.equals(rc)
          ? util.format(n, PhoneNumberUtil.PhoneNumberFormat.NATIONAL).replace(" ", "")
          : m.e164();
    } catch (NumberParseException e) {
      return m.e164();
    }
  }
}
