package chatgate.web;

import java.util.Locale;

/**
 * The three page formats (contract: chosen by {@code Accept}, {@code User-Agent} as a hint).
 * Desktop browsers list {@code application/xhtml+xml} too, so HTML wins whenever {@code text/html}
 * is acceptable; only the WAP types, or XHTML without HTML, choose a mobile format.
 */
public enum Format {
  HTML("text/html; charset=UTF-8"),
  XHTML_MP("application/vnd.wap.xhtml+xml; charset=UTF-8"),
  WML("text/vnd.wap.wml; charset=UTF-8");

  public final String contentType;

  Format(String contentType) {
    this.contentType = contentType;
  }

  public static Format negotiate(String accept, String userAgent) {
    String a = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
    boolean html = accepts(a, "text/html");
    if (accepts(a, "application/vnd.wap.xhtml+xml")) {
      return XHTML_MP;
    }
    if (accepts(a, "text/vnd.wap.wml") && !html && !accepts(a, "application/xhtml+xml")) {
      return WML;
    }
    if (accepts(a, "application/xhtml+xml") && !html) {
      return XHTML_MP;
    }
    if (!html && (a.isBlank() || a.contains("*/*"))) {
      // Many handsets send only */*: fall back on what the browser is known to be.
      String ua = userAgent == null ? "" : userAgent;
      if (ua.contains("UP.Browser") || ua.contains("UP.Link") || ua.startsWith("Nokia7110")) {
        return WML;
      }
      if (ua.contains("MIDP") || ua.contains("Series40") || ua.contains("SymbianOS") || ua.contains("Opera Mini")) {
        return XHTML_MP;
      }
    }
    return HTML;
  }

  /** The media type is listed with a non-zero q. */
  private static boolean accepts(String accept, String type) {
    for (String part : accept.split(",")) {
      String[] bits = part.trim().split(";");
      if (!bits[0].trim().equals(type)) {
        continue;
      }
      for (int i = 1; i < bits.length; i++) {
        String p = bits[i].trim();
        if (p.startsWith("q=")) {
          try {
            return Double.parseDouble(p.substring(2)) > 0;
          } catch (NumberFormatException e) {
            return false;
          }
        }
      }
      return true;
    }
    return false;
  }
}
