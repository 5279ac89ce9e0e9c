package chatgate.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The parameters of one {@code /cgi-bin/sendsms} request as raw bytes per name, so {@code text}
 * can be decoded in whatever charset the client names. Kannel's GET reads the query (the first
 * value of a name wins); its POST reads the {@code X-Kannel-*} headers and takes the body as the
 * text. chatgate reads both for either method, a POST's headers and body winning over its query,
 * and takes a url-encoded form body too.
 */
final class SendsmsParams {
  /** Kannel's POST headers (1.4.5) and the parameter each stands for. */
  private static final List<String[]> KANNEL_HEADERS = List.of(new String[][] {
      {"X-Kannel-Username", "username"}, {"X-Kannel-Password", "password"}, {"X-Kannel-From", "from"},
      {"X-Kannel-To", "to"}, {"X-Kannel-Account", "account"}, {"X-Kannel-BInfo", "binfo"},
      {"X-Kannel-UDH", "udh"}, {"X-Kannel-SMSC", "smsc"}, {"X-Kannel-MClass", "mclass"}, {"X-Kannel-MWI", "mwi"},
      {"X-Kannel-Compress", "compress"}, {"X-Kannel-Coding", "coding"}, {"X-Kannel-Validity", "validity"},
      {"X-Kannel-Deferred", "deferred"}, {"X-Kannel-DLR-Mask", "dlr-mask"}, {"X-Kannel-DLR-Url", "dlr-url"},
      {"X-Kannel-PID", "pid"}, {"X-Kannel-Alt-DCS", "alt-dcs"}, {"X-Kannel-RPI", "rpi"},
      {"X-Kannel-Priority", "priority"}, {"X-Kannel-Meta-Data", "meta-data"}});

  /** What a POST's body is, by its Content-Type, as Kannel tells them apart. */
  enum Body {
    /** text/plain: the text. */
    TEXT,
    /** application/octet-stream, or a body with no type: 8-bit data (Kannel's coding=1). */
    OCTETS,
    /** application/x-www-form-urlencoded: parameters (chatgate's; Kannel refuses it). */
    FORM,
    /** No type and no body: nothing to read. */
    NONE,
    /** text/html, text/vnd.wap.wml, text/xml: Kannel's 415 "Unsupported content-type, rejected". */
    UNSUPPORTED,
    /** Anything else: Kannel's 400 "Invalid content-type". */
    INVALID
  }

  private final Map<String, byte[]> values = new HashMap<>();

  /** What the request line and headers carry: enough to check credentials before any body. */
  static SendsmsParams ofHead(Request req) {
    SendsmsParams p = new SendsmsParams();
    parse(req.getHttpURI().getQuery(), p.values, false);
    for (String[] h : KANNEL_HEADERS) {
      String v = req.getHeaders().get(h[0]);
      if (v != null) {
        p.values.put(h[1], v.getBytes(StandardCharsets.UTF_8));
      }
    }
    return p;
  }

  static Body body(Request req) {
    String type = req.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null) {
      return req.getLength() == 0 ? Body.NONE : Body.OCTETS;
    }
    String mime = type.split(";")[0].strip().toLowerCase(Locale.ROOT);
    return switch (mime) {
      case "text/plain" -> Body.TEXT;
      case "application/octet-stream", "" -> Body.OCTETS;
      case "application/x-www-form-urlencoded" -> Body.FORM;
      case "text/html", "text/vnd.wap.wml", "text/xml" -> Body.UNSUPPORTED;
      default -> Body.INVALID;
    };
  }

  /** True if both a user name and a password came in the query or the headers. */
  boolean hasCredentials() {
    return has("username", "user") && has("password", "pass");
  }

  /** Adds what the body says: read here, at most {@code max} bytes ({@link Exchange.BadRequest} 413 past it). */
  void addBody(Request req, Body kind, int max) {
    if (kind == Body.NONE) {
      return;
    }
    byte[] body = Exchange.body(req, max);
    if (kind == Body.FORM) {
      parse(new String(body, StandardCharsets.ISO_8859_1), values, true);
      return;
    }
    // Kannel's POST: the body is the text, in the charset of its Content-Type; raw octets are 8-bit.
    values.put("text", body);
    if (kind == Body.OCTETS && !has("coding")) {
      values.put("coding", "1".getBytes(StandardCharsets.US_ASCII));
    }
    String type = req.getHeaders().get(HttpHeader.CONTENT_TYPE);
    int cs = type == null ? -1 : type.toLowerCase(Locale.ROOT).indexOf("charset=");
    if (cs >= 0 && !has("charset")) {
      String name = type.substring(cs + "charset=".length()).split(";")[0].strip().replace("\"", "");
      values.put("charset", name.getBytes(StandardCharsets.UTF_8));
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

  /** A parameter's octets, if given. */
  Optional<byte[]> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /**
   * application/x-www-form-urlencoded into raw bytes per name: in a query the first value of a
   * name wins (Kannel's), a body's override what the query said.
   */
  static void parse(String raw, Map<String, byte[]> into, boolean override) {
    if (raw == null || raw.isEmpty()) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = new String(decode(eq < 0 ? pair : pair.substring(0, eq)), StandardCharsets.UTF_8);
      if (seen.add(name) && (override || !into.containsKey(name))) {
        into.put(name, decode(eq < 0 ? "" : pair.substring(eq + 1)));
      }
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
