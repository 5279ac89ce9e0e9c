package chatgate.web;

import chatgate.core.memory.MemoryMessageStore;
import chatgate.core.model.Msisdn;
import chatgate.core.port.VirtualHandsets;
import chatgate.core.testing.CoreFixture;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web adapter on a real port, over the core wired on in-memory adapters, with the event
 * streams of {@link SseHub} as the live channel and a recording SMS port.
 */
final class WebFixture implements AutoCloseable {
  static final Duration REFRESH = Duration.ofSeconds(20);
  final SseHub hub = new SseHub();
  final CoreFixture core = new CoreFixture(new MemoryMessageStore(), hub);
  final WebServer server;
  final String base;

  WebFixture() {
    this(List.of(), Optional.empty());
  }

  /** With script-less pages reloading every {@code refresh} (a short one proves "never reloads" sooner). */
  WebFixture(Duration refresh) {
    this(List.of(), List.of(), "127.0.0.1", "", Optional.empty(), refresh, Optional.empty());
  }

  /** With pages showing times in {@code zone} by default. */
  WebFixture(java.time.ZoneId zone) {
    this(List.of(), List.of(), "127.0.0.1", "", Optional.empty(), REFRESH, Optional.of(zone));
  }

  WebFixture(List<String> trustedProxies, Optional<VirtualHandsets> handsets) {
    this(trustedProxies, List.of(), "127.0.0.1", "", handsets);
  }

  /** With reverse proxies whose X-Forwarded-For is believed, a listen address, and a /sim/ password. */
  WebFixture(List<String> trustedProxies, List<String> realIpFrom, String host, String simPassword,
      Optional<VirtualHandsets> handsets) {
    this(trustedProxies, realIpFrom, host, simPassword, handsets, REFRESH, Optional.empty());
  }

  private WebFixture(List<String> trustedProxies, List<String> realIpFrom, String host, String simPassword,
      Optional<VirtualHandsets> handsets, Duration refresh, Optional<java.time.ZoneId> zone) {
    core.started();
    WebSettings s = new WebSettings(host, 0, "http://gw.test", trustedProxies, "X-MSISDN",
        CoreFixture.WAP_IDLE, 1000, refresh, realIpFrom, simPassword, zone);
    WebContext ctx = new WebContext(core.chat, core.login, core.stage, core.presence, core.store,
        new chatgate.core.chat.Inbox(new chatgate.core.memory.MemoryReadMarkers(core.store)), handsets,
        core.clock, WebContext.alwaysReady());
    server = new WebServer(s, ctx, hub);
    server.start();
    base = "http://127.0.0.1:" + server.port();
  }

  Phone phone(String e164) {
    return new Phone(Msisdn.of(e164));
  }

  /** The last login code texted to this number. */
  String codeFor(Msisdn m) {
    core.settle();
    var sent = core.sms.sentTo(m);
    Matcher x = Pattern.compile("(\\d{6})").matcher(sent.get(sent.size() - 1).text());
    if (!x.find()) {
      throw new AssertionError("no code in " + sent);
    }
    return x.group(1);
  }

  @Override
  public void close() {
    server.close();
    core.close();
  }

  static String form(String... kv) {
    StringJoiner j = new StringJoiner("&");
    for (int i = 0; i < kv.length; i += 2) {
      j.add(URLEncoder.encode(kv[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
    }
    return j.toString();
  }

  static String csrf(String page) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    if (!m.find()) {
      throw new AssertionError("no csrf in page:\n" + page);
    }
    return m.group(1);
  }

  static String nonce(String page) {
    Matcher m = Pattern.compile("name=\"nonce\" value=\"([^\"]+)\"").matcher(page);
    return m.find() ? m.group(1) : "";
  }

  /** A handset's browser: its own cookies, its own Accept header. */
  final class Phone {
    final Msisdn msisdn;
    final HttpClient http;
    String accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    String language = "en";

    Phone(Msisdn msisdn) {
      this.msisdn = msisdn;
      this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET()
          .header("Accept", accept).header("Accept-Language", language).timeout(Duration.ofSeconds(10));
      for (int i = 0; i < headers.length; i += 2) {
        b.setHeader(headers[i], headers[i + 1]);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Accept", accept).header("Accept-Language", language).timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString(body));
      for (int i = 0; i < headers.length; i += 2) {
        b.header(headers[i], headers[i + 1]); // added, not set: a name given twice makes two header lines
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postBytes(String path, byte[] body) throws IOException, InterruptedException {
      return http.send(HttpRequest.newBuilder(URI.create(base + path))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", accept)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in by one-time code, as a person would. */
    Phone login() throws IOException, InterruptedException {
      String page = get("/login").body();
      HttpResponse<String> step = post("/login", form("phone", msisdn.e164(), "csrf", csrf(page)));
      if (step.statusCode() != 200) {
        throw new AssertionError("code request: " + step.statusCode() + "\n" + step.body());
      }
      HttpResponse<String> done = post("/login/code",
          form("phone", msisdn.e164(), "code", codeFor(msisdn), "csrf", csrf(step.body())));
      if (done.statusCode() != 302) {
        throw new AssertionError("code check: " + done.statusCode() + "\n" + done.body());
      }
      return this;
    }

    /** Sends from the chat page's form. */
    HttpResponse<String> send(String to, String text) throws IOException, InterruptedException {
      String page = get("/chat").body();
      HttpResponse<String> r = post("/chat", form("to", to, "text", text, "csrf", csrf(page), "nonce", nonce(page)));
      core.settle();
      return r;
    }
  }
}
