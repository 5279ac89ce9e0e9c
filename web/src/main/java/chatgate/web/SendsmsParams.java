package chatgate.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The parameters of one {@code /cgi-bin/sendsms} request as raw bytes per name, so {@code text}
 * can be decoded in whatever charset the client names. They come, later ones winning, from the
 * query, from Kannel's {@code X-Kannel-*} headers, and from the body: a url-encoded form, or (as
 * Kannel's POST interface sends it) the text itself in any other content type.
 */
final class SendsmsParams {
  /** Kannel's POST headers and the parameter each stands for. */
  private static final Map<String, String> KANNEL_HEADERS = Map.of(
      "X-Kannel-Username", "username", "X-Kannel-Password", "password", "X-Kannel-To", "to",
      "X-Kannel-From", "from", "X-Kannel-Coding", "coding", "X-Kannel-UDH", "udh",
      "X-Kannel-DLR-Mask", "dlr-mask", "X-Kannel-DLR-Url", "dlr-url");

  private final Map<String, byte[]> values = new HashMap<>();

  /** What the request line and headers carry: enough to check credentials before any body. */
  static SendsmsParams ofHead(Request req) {
    SendsmsParams p = new SendsmsParams();
    parse(req.getHttpURI().getQuery(), p.values);
    KANNEL_HEADERS.forEach((header, name) -> {
      String v = req.getHeaders().get(header);
      if (v != null) {
        p.values.put(name, v.getBytes(StandardCharsets.UTF_8));
      }
    });
    return p;
  }

  /** True if both a user name and a password came in the query or the headers. */
  boolean hasCredentials() {
    return has("username", "user") && has("password", "pass");
  }

  /** Adds what the body says: read here, at most {@code max} bytes ({@link Exchange.BadRequest} 413 past it). */
  void addBody(Request req, int max) {
    String type = req.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (type == null && req.getLength() == 0) {
      return;
    }
    byte[] body = Exchange.body(req, max);
    if (lower.startsWith("application/x-www-form-urlencoded")) {
      parse(new String(body, StandardCharsets.ISO_8859_1), values);
    } else if (body.length > 0) {
      // Kannel's POST: the body is the text, in the charset of its Content-Type.
      values.put("text", body);
      int cs = lower.indexOf("charset=");
      if (cs >= 0 && !has("charset")) {
        String name = type.substring(cs + "charset=".length()).split(";")[0].strip().replace("\"", "");
        values.put("charset", name.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  boolean has(String... names) {
    for (String n : names) {
      if (values.containsKey(n)) {
        return true;
      }
    }
    return false;
  }

  /** The first of these names given, as UTF-8 text; empty if none. */
  String str(String... names) {
    for (String n : names) {
      byte[] v = values.get(n);
      if (v != null) {
        return new String(v, StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  byte[] bytes(String name) {
    return values.getOrDefault(name, new byte[0]);
  }

  /** application/x-www-form-urlencoded into raw bytes per name (later values win). */
  static void parse(String raw, Map<String, byte[]> into) {
    if (raw == null || raw.isEmpty()) {
      return;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = new String(decode(eq < 0 ? pair : pair.substring(0, eq)), StandardCharsets.UTF_8);
      into.put(name, decode(eq < 0 ? "" : pair.substring(eq + 1)));
    }
  }

  static byte[] decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0
          && hex(s.charAt(i + 2)) >= 0) {
        out.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
