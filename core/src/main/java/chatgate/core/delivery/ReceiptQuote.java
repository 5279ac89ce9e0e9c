package chatgate.core.delivery;

/**
 * Compares the text a delivery receipt quotes ({@code text:}, the first 20 or so characters as
 * the SMSC holds them) with the text of a segment the gateway sent. SMSCs quote in their own
 * character set (a '?' for what it lacks, GSM escapes undone or not, UCS-2 left out), so only
 * ASCII letters and digits are compared, case-insensitively; an empty quote matches anything.
 */
final class ReceiptQuote {
  private ReceiptQuote() {}

  static boolean matches(String quoted, String segment) {
    String q = letters(quoted);
    return q.isEmpty() || letters(segment).startsWith(q);
  }

  private static String letters(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128 && Character.isLetterOrDigit(c)) {
        b.append(Character.toLowerCase(c));
      }
    }
    return b.toString();
  }
}
