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
