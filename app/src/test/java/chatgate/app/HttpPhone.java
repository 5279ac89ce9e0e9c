package chatgate.app;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A handset's browser against a running gateway: its own cookies, no automatic redirects. */
final class HttpPhone {
  final String base;
  final String number;
  final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

  HttpPhone(String base, String number) {
    this.base = base;
    this.number = number;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html")
        .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String... kv) throws IOException, InterruptedException {
    StringJoiner j = new StringJoiner("&");
    for (int i = 0; i < kv.length; i += 2) {
      j.add(URLEncoder.encode(kv[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
    }
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
        .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.ofString(j.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String field(String page, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(page);
    if (!m.find()) {
      throw new AssertionError("no " + name + " in:\n" + page);
    }
    return m.group(1);
  }

  /**
   * The newest SMS text the simulator shows a handset received, read from /sim/ as a person would
   * (its conversation also shows what it sent: those lines are {@code class="sent"}).
   */
  String lastSmsOn(String handset) throws IOException, InterruptedException {
    String sim = get("/sim/").body();
    int at = sim.indexOf("📱 " + handset + "<");
    if (at < 0) {
      return "";
    }
    Matcher m = Pattern.compile("<li class=\"got\">[^\n]*?<span class=\"sms\">([^<]*)</span>").matcher(sim);
    return m.find(at) ? m.group(1).replace("&amp;", "&") : "";
  }

  /** Everything the simulator shows a handset received (not what it sent), newest first, one per line. */
  String receivedOn(String handset) throws IOException, InterruptedException {
    String sim = get("/sim/").body();
    int at = sim.indexOf("📱 " + handset + "<");
    if (at < 0) {
      return "";
    }
    int end = sim.indexOf("📱 ", at + 2);
    String section = sim.substring(at, end < 0 ? sim.length() : end);
    Matcher m = Pattern.compile("<li class=\"got\">[^\n]*").matcher(section);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      out.append(m.group()).append('\n');
    }
    return out.toString();
  }

  /** Logs in with the code that arrives on the simulator's handset. */
  HttpPhone login() throws Exception {
    String page = get("/login").body();
    HttpResponse<String> step = post("/login", "phone", number, "csrf", field(page, "csrf"));
    if (step.statusCode() != 200) {
      throw new AssertionError(step.statusCode() + " " + step.body());
    }
    String code = null;
    for (int i = 0; i < 100 && code == null; i++) {
      String handset = number.startsWith("+") ? number : "+86" + number; // the tests' numbers are Chinese
      Matcher m = Pattern.compile("code (\\d{6})").matcher(lastSmsOn(handset));
      if (m.find()) {
        code = m.group(1);
      } else {
        Thread.sleep(50);
      }
    }
    if (code == null) {
      throw new AssertionError("no login code arrived for " + number);
    }
    HttpResponse<String> done = post("/login/code", "phone", number, "code", code, "csrf", field(step.body(), "csrf"));
    if (done.statusCode() != 302) {
      throw new AssertionError(done.statusCode() + " " + done.body());
    }
    return this;
  }

  HttpResponse<String> send(String to, String text) throws Exception {
    String page = get("/chat").body();
    return post("/chat", "to", to, "text", text, "csrf", field(page, "csrf"), "nonce", field(page, "nonce"));
  }
}
