package chatgate.app.config;

import chatgate.web.Cidr;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The types of configuration values: how a key's raw text becomes a value, and the message when
 * it does not fit. The keys themselves are in {@link ConfigKeys}.
 */
final class ConfigTypes {
  private ConfigTypes() {}

  /** A value that does not fit its key; the message follows the key's path. */
  static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String message) {
      super(message, null, false, false);
    }
  }

  /** How a key's raw text (or, for lists, each item) becomes a value. */
  interface Type<T> {
    T parse(String raw) throws Bad;

    default boolean list() {
      return false;
    }
  }

  /** A host and port from {@code host:port} or {@code [v6]:port}. */
  record HostPort(String host, int port) {}

  static Type<String> text() {
    return raw -> raw;
  }

  static Type<String> matching(String regex, String rule) {
    Pattern p = Pattern.compile(regex);
    return raw -> {
      if (!p.matcher(raw).matches()) {
        throw new Bad("\"" + raw + "\" " + rule);
      }
      return raw;
    };
  }

  /** A time zone id ({@code Asia/Shanghai}, {@code UTC}); empty: the machine's. */
  static Type<Optional<ZoneId>> zone() {
    return raw -> {
      if (raw.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(ZoneId.of(raw));
      } catch (DateTimeException e) {
        throw new Bad("\"" + raw + "\" is not a time zone (like Asia/Shanghai or UTC)");
      }
    };
  }

  static Type<String> oneOf(String... values) {
    List<String> all = List.of(values);
    String rule = all.size() == 2 ? all.get(0) + " or " + all.get(1)
        : String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.getLast();
    return raw -> {
      if (!all.contains(raw)) {
        throw new Bad("\"" + raw + "\" must be " + rule);
      }
      return raw;
    };
  }

  static Type<Integer> intIn(int min, int max) {
    return raw -> {
      int n;
      try {
        n = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        throw new Bad("\"" + raw + "\" is not a whole number");
      }
      if (n < min || n > max) {
        throw new Bad(n + " is out of range " + min + ".." + max);
      }
      return n;
    };
  }

  /** A duration that may be zero ("0s": off). */
  static Type<Duration> duration() {
    return raw -> parseDuration(raw).filter(d -> !d.isNegative())
        .orElseThrow(() -> new Bad("\"" + raw + "\" is not a duration such as 0s, 30s, 10m or 72h"));
  }

  static Type<Duration> positiveDuration() {
    return raw -> parseDuration(raw).filter(d -> !d.isNegative() && !d.isZero())
        .orElseThrow(() -> new Bad("\"" + raw + "\" is not a duration such as 30s, 10m or 72h"));
  }

  /** host:port, [v6]:port; port 0 means any free port. */
  static Type<HostPort> listen() {
    Pattern p = Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):(\\d{1,5})");
    return raw -> {
      Matcher m = p.matcher(raw);
      if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
        throw new Bad("\"" + raw + "\" must be host:port");
      }
      String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
      return new HostPort(host, Integer.parseInt(m.group(2)));
    };
  }

  /** A list whose every item must pass {@code item}; a bad item is reported, the rest kept. */
  static Type<String> item(Predicate<String> ok, String rule) {
    return new Type<>() {
      @Override
      public String parse(String raw) throws Bad {
        if (!ok.test(raw)) {
          throw new Bad("\"" + raw + "\" " + rule);
        }
        return raw;
      }

      @Override
      public boolean list() {
        return true;
      }
    };
  }

  static boolean region(String s) {
    return PhoneNumberUtil.getInstance().getSupportedRegions().contains(s.toUpperCase(Locale.ROOT));
  }

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  static boolean validCidr(String s) {
    return Cidr.valid(s);
  }

  /** "500ms", "30s", "10m", "72h", "2d", or sums such as "1h30m"; also ISO-8601 ("PT30S"). */
  static Optional<Duration> parseDuration(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      try {
        return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    if (t.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    Matcher m = DURATION_PART.matcher(t);
    Duration d = Duration.ZERO;
    int pos = 0;
    try {
      while (m.find()) {
        if (m.start() != pos) {
          return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        d = d.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
        pos = m.end();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
    return pos == t.length() && pos > 0 ? Optional.of(d) : Optional.empty();
  }
}
