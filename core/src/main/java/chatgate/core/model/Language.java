package chatgate.core.model;

import java.util.Locale;

/** The two languages every text a user reads exists in. */
public enum Language {
  EN,
  ZH;

  /**
   * The language a user wrote in: any Han character, CJK punctuation or full-width form
   * means Chinese; otherwise English. Used to answer an SMS in the language it came in.
   */
  public static Language ofText(String text) {
    if (text == null) {
      return EN;
    }
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      Character.UnicodeScript script = Character.UnicodeScript.of(cp);
      if (script == Character.UnicodeScript.HAN
          || (cp >= 0x3000 && cp <= 0x303F)
          || (cp >= 0xFF00 && cp <= 0xFFEF)) {
        return ZH;
      }
      i += Character.charCount(cp);
    }
    return EN;
  }

  /**
   * Picks from an HTTP Accept-Language header: the first listed language with a non-zero
   * q-value that we have; English when none matches.
   */
  public static Language ofAcceptLanguage(String header) {
    if (header == null || header.isBlank()) {
      return EN;
    }
    Language best = null;
    double bestQ = -1;
    for (String part : header.split(",")) {
      String[] bits = part.trim().split(";");
      String tag = bits[0].trim().toLowerCase(Locale.ROOT);
      double q = 1.0;
      for (int i = 1; i < bits.length; i++) {
        String p = bits[i].trim();
        if (p.startsWith("q=")) {
          try {
            q = Double.parseDouble(p.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      Language l = tag.startsWith("zh") ? ZH : tag.startsWith("en") ? EN : null;
      if (l != null && q > 0 && q > bestQ) {
        best = l;
        bestQ = q;
      }
    }
    return best == null ? EN : best;
  }

  public String tag() {
    return this == ZH ? "zh" : "en";
  }
}
