package chatgate.core.limits;

import chatgate.core.model.Msisdn;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the gateway may send SMS ({@code [sms] allowed_destinations}: region codes, E.164
 * prefixes, {@code *}), and which numbers may get a login code. SMS pumping lives on numbers
 * that pay out per SMS received: international networks (+882), personal numbers (+44 70),
 * premium and shared-cost ranges, far-away regions. Codes therefore go only to mobile numbers
 * (libphonenumber's MOBILE, and FIXED_LINE_OR_MOBILE where a region does not tell them apart);
 * a fixed line cannot read an SMS code and an UNKNOWN type is a range the numbering plan does
 * not know: both are refused (ADR 0017).
 */
public final class Destinations {
  private static final Set<PhoneNumberType> CODE_TYPES =
      EnumSet.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE);
  private static final int CACHE_MAX = 50_000;

  private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
  private final boolean any;
  private final Set<String> regions = new HashSet<>();
  private final List<String> prefixes = new ArrayList<>();
  /** Answers per number (parsing costs microseconds; every code request and chat send asks). */
  private final Map<Msisdn, Facts> known = new ConcurrentHashMap<>();

  private record Facts(String region, PhoneNumberType type) {}

  private Destinations(List<String> entries) {
    boolean star = false;
    for (String e : entries) {
      String s = e.strip();
      if (s.equals("*")) {
        star = true;
      } else if (s.startsWith("+")) {
        prefixes.add(s);
      } else if (!s.isEmpty()) {
        regions.add(s.toUpperCase(Locale.ROOT));
      }
    }
    this.any = star;
  }

  /** From {@code [sms] allowed_destinations}; an empty list is no destination at all. */
  public static Destinations of(List<String> entries) {
    return new Destinations(entries);
  }

  /** Every number (tests, tools). */
  public static Destinations anywhere() {
    return new Destinations(List.of("*"));
  }

  /** May the gateway send an SMS to this number? */
  public boolean allows(Msisdn m) {
    if (any) {
      return true;
    }
    for (String p : prefixes) {
      if (m.e164().startsWith(p)) {
        return true;
      }
    }
    return !regions.isEmpty() && regions.contains(facts(m).region());
  }

  /** May a login code go to this number: an allowed destination, and a mobile number. */
  public boolean allowsLoginCode(Msisdn m) {
    return allows(m) && CODE_TYPES.contains(facts(m).type());
  }

  private Facts facts(Msisdn m) {
    Facts f = known.get(m);
    if (f == null) {
      f = look(m);
      if (known.size() >= CACHE_MAX) {
        known.clear();
      }
      known.put(m, f);
    }
    return f;
  }

  private Facts look(Msisdn m) {
    try {
      PhoneNumber n = util.parse(m.e164(), "ZZ");
      String region = util.getRegionCodeForNumber(n);
      if (region == null) {
        // Not a valid number of any region: its country code still names one when only one shares it.
        List<String> all = util.getRegionCodesForCountryCode(n.getCountryCode());
        region = all.size() == 1 ? all.get(0) : "ZZ";
      }
      return new Facts(region, util.getNumberType(n));
    } catch (NumberParseException e) {
      return new Facts("ZZ", PhoneNumberType.UNKNOWN);
    }
  }
}
