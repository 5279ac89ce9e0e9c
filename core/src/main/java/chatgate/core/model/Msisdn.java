package chatgate.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A subscriber number in E.164 form ("+8613800000001"). Every user is keyed by one.
 * Parsing of what people type lives in {@link chatgate.core.model.NumberPlan}.
 */
public record Msisdn(String e164) implements Target, Comparable<Msisdn> {
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{5,14}");

  public Msisdn {
    Objects.requireNonNull(e164, "e164");
    if (!E164.matcher(e164).matches()) {
      throw new IllegalArgumentException("not an E.164 number: " + e164);
    }
  }

  public static Msisdn of(String e164) {
    return new Msisdn(e164);
  }

  public static boolean isE164(String s) {
    return s != null && E164.matcher(s).matches();
  }

  /** Digits without the leading '+', as SMPP addresses with TON=international carry them. */
  public String digits() {
    return e164.substring(1);
  }

  /** For logs: all but the last four digits masked. */
  public String masked() {
    int keep = 4;
    return "+" + "*".repeat(e164.length() - 1 - keep) + e164.substring(e164.length() - keep);
  }

  private static final Pattern DIGIT_RUN = Pattern.compile("\\d{7,}");

  /**
   * For logs of text that may hold a number anywhere (an exception's message, a NATS subject or
   * key): every run of seven or more digits masked but its last four, as {@link #masked()} does.
   */
  public static String maskAll(String text) {
    if (text == null) {
      return null;
    }
    return DIGIT_RUN.matcher(text).replaceAll(r -> {
      String d = r.group();
      return "*".repeat(d.length() - 4) + d.substring(d.length() - 4);
    });
  }

  @Override
  public String id() {
    return e164;
  }

  @Override
  public int compareTo(Msisdn o) {
    return e164.compareTo(o.e164);
  }

  @Override
  public String toString() {
    return e164;
  }
}
