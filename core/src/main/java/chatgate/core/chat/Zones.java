package chatgate.core.chat;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time zone as a phone user types it (issue 18, ADR 0048): hours from UTC ({@code +8},
 * {@code -5}, {@code +5:30}, {@code UTC+8}, {@code GMT-3}, {@code 0}, {@code UTC}) or a region's id
 * in any case ({@code Asia/Shanghai}, {@code europe/berlin}), which follows summer time.
 */
public final class Zones {
  private Zones() {}

  private static final Pattern OFFSET =
      Pattern.compile("(?:utc|gmt)?\\s*([+-])\\s*(\\d{1,2})(?::?(\\d{2}))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern REGION = Pattern.compile("[A-Za-z]+(?:/[A-Za-z_+-]+){1,2}");

  /** The zone the text names, if it names one. */
  public static Optional<ZoneId> parse(String typed) {
    String s = typed == null ? "" : typed.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("0") || lower.equals("utc") || lower.equals("gmt") || lower.equals("z")) {
      return Optional.of(ZoneOffset.UTC);
    }
    Matcher m = OFFSET.matcher(s);
    if (m.matches()) {
      int hours = Integer.parseInt(m.group(2));
      int minutes = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
      int sign = m.group(1).equals("-") ? -1 : 1;
      if (hours > 14 || minutes > 59 || hours == 14 && minutes > 0) {
        return Optional.empty();
      }
      try {
        return Optional.of(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
      } catch (DateTimeException e) {
        return Optional.empty();
      }
    }
    if (REGION.matcher(s).matches()) {
      return ZoneId.getAvailableZoneIds().stream().filter(id -> id.equalsIgnoreCase(s)).findFirst().map(ZoneId::of);
    }
    return Optional.empty();
  }

  /** A zone as a user reads it: {@code UTC+8}, {@code UTC-3:30}, {@code UTC}, or the region's id. */
  public static String show(ZoneId zone) {
    if (zone instanceof ZoneOffset o) {
      if (o.getTotalSeconds() == 0) {
        return "UTC";
      }
      int total = Math.abs(o.getTotalSeconds()) / 60;
      String sign = o.getTotalSeconds() < 0 ? "-" : "+";
      return "UTC" + sign + total / 60 + (total % 60 == 0 ? "" : String.format(Locale.ROOT, ":%02d", total % 60));
    }
    return zone.getId();
  }
}
