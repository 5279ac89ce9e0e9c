package chatgate.web;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One request and its answer, with what every handler needs to know about it. */
final class Exchange {
  /** The request could not be read (bad encoding, too large, bad parameters). */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /**
   * Who is acting: a logged-in phone (by session cookie, or by the MSISDN header of a trusted
   * proxy), or nobody; {@code principal} binds CSRF tokens to them.
   */
  record Viewer(Optional<Msisdn> msisdn, String principal, Optional<String> sessionToken, boolean viaHeader) {
    boolean loggedIn() {
      return msisdn.isPresent();
    }
  }

  static final int MAX_FORM_BYTES = 64 * 1024;

  final Request req;
  final Response res;
  final Callback cb;
  final String path;
  final String method;
  final Format format;
  final Language lang;
  final String clientAddress;
  /** What rate limits count this client under: its address, an IPv6 one by its /64. */
  final String rateKey;
  Viewer viewer;
  private Fields query;
  private Fields form;

  Exchange(Request req, Response res, Callback cb, String clientAddress) {
    this.req = req;
    this.res = res;
    this.cb = cb;
    this.path = Request.getPathInContext(req);
    this.method = req.getMethod();
    this.format = Format.negotiate(req.getHeaders().get(HttpHeader.ACCEPT), req.getHeaders().get(HttpHeader.USER_AGENT));
    this.lang = Language.ofAcceptLanguage(req.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
    this.clientAddress = clientAddress;
    this.rateKey = ClientAddress.rateKey(clientAddress);
  }

  String header(String name) {
    return req.getHeaders().get(name);
  }

  Optional<String> cookie(String name) {
    List<HttpCookie> cookies = Request.getCookies(req);
    for (HttpCookie c : cookies) {
      if (c.getName().equals(name)) {
        return Optional.of(c.getValue());
      }
    }
    return Optional.empty();
  }

  /** A query parameter; undecodable queries are a 400. */
  String query(String name) {
    if (query == null) {
      try {
        query = Request.extractQueryParameters(req, StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        throw new BadRequest(400, "bad query");
      }
    }
    String v = query.getValue(name);
    return v == null ? "" : v;
  }

  /** A field of the url-encoded form body; a body that is too large or not UTF-8 is refused. */
  String form(String name) {
    if (form == null) {
      String type = req.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        form = new Fields();
      } else {
        if (req.getLength() > MAX_FORM_BYTES) {
          throw new BadRequest(413, "form too large"); // refused from the head, the body never read
        }
        try {
          form = FormFields.getFields(req, 100, MAX_FORM_BYTES);
        } catch (RuntimeException e) {
          Throwable root = e;
          while (root.getCause() != null) {
            root = root.getCause();
          }
          String m = String.valueOf(root.getMessage()).toLowerCase(Locale.ROOT);
          boolean large = BodyLimit.tooLarge(e) || m.contains("too large") || m.contains("exceeds");
          throw new BadRequest(large ? 413 : 400, "bad form");
        }
      }
    }
    String v = form.getValue(name);
    return v == null ? "" : v;
  }

  /**
   * The request body, at most {@code max} bytes: one announced larger is refused before it is
   * read, one of unknown length is read only up to the bound (413 past it).
   */
  static byte[] body(Request req, int max) {
    if (req.getLength() > max) {
      throw new BadRequest(413, "body too large");
    }
    try {
      byte[] b = Content.Source.asInputStream(req).readNBytes(max + 1);
      if (b.length > max) {
        throw new BadRequest(413, "body too large");
      }
      return b;
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadRequest b) {
        throw b;
      }
      throw new BadRequest(BodyLimit.tooLarge(e) ? 413 : 400, "body not read");
    }
  }

  void addCookie(String name, String value, long maxAgeSeconds, boolean secure) {
    addCookie(name, value, "/", maxAgeSeconds, secure);
  }

  /** A cookie sent back only to paths under {@code path} (a reply session: its own link only). */
  void addCookie(String name, String value, String path, long maxAgeSeconds, boolean secure) {
    Response.addCookie(res, HttpCookie.build(name, value)
        .path(path)
        .httpOnly(true)
        .secure(secure)
        .sameSite(HttpCookie.SameSite.LAX)
        .maxAge(maxAgeSeconds)
        .build());
  }

  private void commonHeaders() {
    var h = res.getHeaders();
    h.put(HttpHeader.CACHE_CONTROL, "no-cache, no-store, private");
    h.put("X-Content-Type-Options", "nosniff");
    // Reply links carry tokens: never leak them to another site through Referer.
    h.put("Referrer-Policy", "no-referrer");
    h.put(new HttpField(HttpHeader.VARY, "Accept, Accept-Language, User-Agent"));
  }

  void page(int status, Format f, String body) {
    res.setStatus(status);
    commonHeaders();
    res.getHeaders().put(HttpHeader.CONTENT_TYPE, f.contentType);
    if (f == Format.HTML) {
      res.getHeaders().put("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
              + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
      res.getHeaders().put("X-Frame-Options", "DENY");
    }
    Content.Sink.write(res, true, body, cb);
  }

  void text(int status, String contentType, String body) {
    res.setStatus(status);
    commonHeaders();
    res.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    Content.Sink.write(res, true, body, cb);
  }

  /** 302 rather than 303: WAP 1.x gateways know 302, and browsers follow it with a GET. */
  void redirect(String location) {
    commonHeaders();
    Response.sendRedirect(req, res, cb, 302, location, true);
  }
}
