package chatgate.web;

import chatgate.core.api.SendsmsService;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /cgi-bin/sendsms}, as Kannel's smsbox answers it, so RapidPro/Courier's Kannel handler or
 * playSMS can send through chatgate: {@code username|user}, {@code password|pass}, {@code to}
 * (numbers separated by spaces), {@code text}, {@code charset}, {@code coding} (0 or 2),
 * {@code dlr-mask}, {@code dlr-url}. Parameters are decoded from the raw query or form body, so
 * {@code text} can be in any charset the client names (Courier sends UTF-16BE with coding=2).
 */
public final class SendsmsHandler extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(SendsmsHandler.class);
  public static final String PATH = "/cgi-bin/sendsms";
  private static final int MAX_BODY = 64 * 1024;

  /** A sendsms user from {@code [[sendsms_users]]}. */
  public record User(String username, String password) {
    @Override
    public String toString() {
      return "User[" + username + "]";
    }
  }

  private final SendsmsService service;
  private final NumberPlan numbers;
  private final List<User> users;

  public SendsmsHandler(Handler next, SendsmsService service, NumberPlan numbers, List<User> users) {
    super(next);
    this.service = service;
    this.numbers = numbers;
    this.users = List.copyOf(users);
  }

  @Override
  public boolean handle(Request req, Response res, Callback cb) throws Exception {
    if (!PATH.equals(Request.getPathInContext(req))) {
      return super.handle(req, res, cb);
    }
    String method = req.getMethod();
    Map<String, byte[]> p = new HashMap<>();
    parse(req.getHttpURI().getQuery(), p);
    if (method.equals("POST")) {
      String type = req.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        String body = Content.Source.asString(req, StandardCharsets.ISO_8859_1);
        if (body.length() > MAX_BODY) {
          return answer(res, cb, 413, "Request too large");
        }
        parse(body, p);
      }
    } else if (!method.equals("GET")) {
      res.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
      return answer(res, cb, 405, "Method not allowed");
    }
    String user = str(p, "username", "user");
    String pass = str(p, "password", "pass");
    if (!authorised(user, pass)) {
      log.info("sendsms refused for user '{}' from {}", clip(user), Request.getRemoteAddr(req));
      return answer(res, cb, 403, "Authorization failed for sendsms");
    }
    String coding = str(p, "coding");
    if (coding.equals("1")) {
      return answer(res, cb, 400, "8-bit (coding=1) messages are not supported");
    }
    if (!str(p, "udh").isEmpty()) {
      return answer(res, cb, 400, "UDH is not supported: send the whole text");
    }
    String charsetName = str(p, "charset");
    Charset cs;
    try {
      cs = charsetName.isEmpty() ? (coding.equals("2") ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_8)
          : Charset.forName(charsetName);
    } catch (RuntimeException e) {
      return answer(res, cb, 400, "Unknown charset");
    }
    String text;
    try {
      CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      text = d.decode(java.nio.ByteBuffer.wrap(p.getOrDefault("text", new byte[0]))).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return answer(res, cb, 400, "Charset or body misformed");
    }
    List<Msisdn> to = new ArrayList<>();
    for (String raw : str(p, "to").trim().split("\\s+")) {
      if (raw.isEmpty()) {
        continue;
      }
      Optional<Msisdn> m = numbers.parse(raw);
      if (m.isEmpty()) {
        return answer(res, cb, 400, "Invalid receiver number " + clip(raw));
      }
      if (!to.contains(m.get())) {
        to.add(m.get());
      }
    }
    int mask;
    try {
      mask = str(p, "dlr-mask").isEmpty() ? 0 : Integer.parseInt(str(p, "dlr-mask"));
    } catch (NumberFormatException e) {
      return answer(res, cb, 400, "Invalid dlr-mask");
    }
    String url = str(p, "dlr-url");
    if (!url.isEmpty() && !url.matches("(?i)https?://\\S+")) {
      return answer(res, cb, 400, "Invalid dlr-url");
    }
    SendsmsService.Outcome o;
    try {
      o = service.submit(to, text, url.isEmpty() ? Optional.empty() : Optional.of(url), mask, Optional.empty());
    } catch (RuntimeException e) {
      log.warn("sendsms not stored: {}", e.toString());
      return answer(res, cb, 503, "Temporarily unavailable, try again later");
    }
    return switch (o) {
      case SendsmsService.Outcome.Accepted a -> {
        log.info("sendsms from '{}' accepted: {} SMS", clip(user), a.messages().size());
        yield answer(res, cb, 202, "0: Accepted for delivery");
      }
      case SendsmsService.Outcome.Refused r -> answer(res, cb, r.status(), r.reason());
    };
  }

  private boolean authorised(String user, String pass) {
    boolean ok = false;
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    byte[] pw = pass.getBytes(StandardCharsets.UTF_8);
    for (User x : users) {
      // Compare every entry in constant time, so the answer's timing tells nothing.
      boolean match = MessageDigest.isEqual(u, x.username().getBytes(StandardCharsets.UTF_8))
          & MessageDigest.isEqual(pw, x.password().getBytes(StandardCharsets.UTF_8));
      ok |= match && !x.username().isEmpty();
    }
    return ok;
  }

  private static boolean answer(Response res, Callback cb, int status, String body) {
    res.setStatus(status);
    res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    res.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(res, true, body, cb);
    return true;
  }

  private static String str(Map<String, byte[]> p, String... names) {
    for (String n : names) {
      byte[] v = p.get(n);
      if (v != null) {
        return new String(v, StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static String clip(String s) {
    String t = s.replaceAll("[^\\x20-\\x7E]", "?");
    return t.length() > 32 ? t.substring(0, 32) + "…" : t;
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
