package chatgate.sms.smpp;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an SMSC delivery receipt (SMPP 3.4 Appendix B, as every SMSC writes it):
 * {@code id:… sub:… dlvrd:… submit date:… done date:… stat:DELIVRD err:… text:…}. Fields are
 * found by name, in any order and case, because SMSCs differ.
 */
public record ReceiptText(Optional<String> id, Optional<String> stat, Optional<String> err, Optional<String> text) {
  private static final Pattern ID = Pattern.compile("(?i)\\bid:([^\\s]+)");
  private static final Pattern STAT = Pattern.compile("(?i)\\bstat:([A-Za-z_]+)");
  private static final Pattern ERR = Pattern.compile("(?i)\\berr:([^\\s]+)");
  /** The quoted text comes last and may hold anything, spaces and colons too. */
  private static final Pattern TEXT = Pattern.compile("(?is)\\btext:(.*)$");

  public static ReceiptText parse(String text) {
    return new ReceiptText(find(ID, text), find(STAT, text).map(s -> s.toUpperCase(Locale.ROOT)), find(ERR, text),
        find(TEXT, text).filter(t -> !t.isEmpty()));
  }

  private static Optional<String> find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Final states that mean the handset has it. */
  public static boolean delivered(String stat) {
    return stat.equals("DELIVRD") || stat.equals("DELIVERED");
  }

  /** Stats that are not final (the SMSC still holds the message). */
  public static boolean intermediate(String stat) {
    return stat.equals("ACCEPTD") || stat.equals("ENROUTE") || stat.equals("BUFFRED") || stat.equals("SCHEDULED");
  }

  /** message_state TLV values (SMPP 3.4 §5.2.28) as receipt stats. */
  public static String statOfMessageState(int state) {
    return switch (state) {
      case 1 -> "ENROUTE";
      case 2 -> "DELIVRD";
      case 3 -> "EXPIRED";
      case 4 -> "DELETED";
      case 5 -> "UNDELIV";
      case 6 -> "ACCEPTD";
      case 7 -> "UNKNOWN";
      case 8 -> "REJECTD";
      default -> "UNKNOWN";
    };
  }
}
