package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import chatgate.core.model.Msisdn;
import chatgate.core.port.VirtualHandsets.HandsetSms;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /cgi-bin/sendsms} driven as a Kannel client (RapidPro/Courier, playSMS) drives smsbox. */
class SendsmsIT {
  static final Msisdn P1 = Msisdn.of("+8613800000071");
  static final Msisdn P2 = Msisdn.of("+8613800000072");

  @TempDir
  Path dir;

  Gateway gateway;
  String base;
  HttpServer client;
  final List<String> callbacks = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    client = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    client.createContext("/dlr", ex -> {
      callbacks.add(ex.getRequestURI().getRawQuery());
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    client.start();
    Path config = dir.resolve("chatgate.toml");
    // The DLR receiver is on loopback: only its prefix is allowed (issue 15).
    TestConfig.sqlite(dir.resolve("gw.db")).simulator().set("http", "public_url", "http://gw.example")
        .sendsmsUser("rapidpro", "s3cret",
            Map.of("dlr_url_allow", List.of("http://127.0.0.1:" + client.getAddress().getPort() + "/dlr")))
        .sendsmsUser("playsms", "pl4y", Map.of("allow_ip", List.of("127.0.0.2/32")))
        .write(config);
    gateway = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)));
    base = "http://127.0.0.1:" + gateway.httpPort();
  }

  @AfterEach
  void stop() {
    client.stop(0);
    gateway.close();
  }

  HttpResponse<String> get(String query) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/cgi-bin/sendsms?" + query)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * A good request after the refused ones, awaited at its handset: what was refused before it had
   * every chance to go out too, so "nothing sent" is asserted after the pipeline moved, not after a nap.
   */
  void awaitCanary() throws Exception {
    String text = "canary " + System.nanoTime();
    assertThat(get("username=rapidpro&password=s3cret&to=" + enc(P2.e164()) + "&text=" + enc(text)).statusCode())
        .isEqualTo(202);
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inbox(P2)).contains(text));
  }

  List<String> inbox(Msisdn m) {
    return gateway.simulator().orElseThrow().inbox(m, 10).stream().map(HandsetSms::text).toList();
  }

  @Test
  @DisplayName("wrong or missing credentials: 403, nothing sent")
  void refusedWithoutCredentials() throws Exception {
    HttpResponse<String> r = get("username=rapidpro&password=guess&to=" + enc("+8613800000071") + "&text=hi");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("Authorization failed for sendsms");
    assertThat(get("to=%2B8613800000071&text=hi").statusCode()).isEqualTo(403);
    awaitCanary();
    assertThat(gateway.simulator().orElseThrow().handsets()).doesNotContain(P1);
  }

  @Test
  @DisplayName("issue 16: an SMS sent through sendsms to a phone that sent STOP is neither sent nor kept for its page;"
      + " the client's DLR says rejected, and why")
  void anSmsToAPhoneThatSentStopIsNeitherSentNorKept() throws Exception {
    gateway.simulator().orElseThrow().sendMo(P1, "STOP");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !inbox(P1).isEmpty());
    int told = inbox(P1).size();
    String dlr = "http://127.0.0.1:" + client.getAddress().getPort() + "/dlr?type=%d&why=%A";
    HttpResponse<String> r = get("user=rapidpro&pass=s3cret&to=" + enc(P1.e164()) + "&text=" + enc("Promotion!")
        + "&dlr-mask=31&dlr-url=" + enc(dlr));
    assertThat(r.statusCode()).isEqualTo(202);
    // The callback is the canary: once it came, the gateway has decided.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !callbacks.isEmpty());
    assertThat(callbacks).singleElement().satisfies(q -> assertThat(q).startsWith("type=16&why=")
        .contains("STOP"));
    assertThat(inbox(P1)).hasSize(told).noneMatch(t -> t.contains("Promotion!"));
    assertThat(gateway.messages().unseen(P1, java.time.Instant.now(), 10))
        .noneMatch(i -> i.message().body().contains("Promotion!"));
  }

  @Test
  @DisplayName("a Kannel GET to two numbers: 202 '0: Accepted for delivery', each handset gets the text as given")
  void acceptedAndDelivered() throws Exception {
    HttpResponse<String> r = get("user=rapidpro&pass=s3cret&from=10658&to=" + enc("+8613800000071 13800000072")
        + "&text=" + enc("Your code is 1234"));
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).isEqualTo("0: Accepted for delivery");
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(inbox(P1)).containsExactly("Your code is 1234");
      assertThat(inbox(P2)).containsExactly("Your code is 1234");
    });
  }

  @Test
  @DisplayName("coding=2 with UTF-16BE bytes and no charset (as Courier sends Chinese), by POST")
  void ucs2AsCourierSendsIt() throws Exception {
    StringBuilder text = new StringBuilder();
    for (byte b : "晚上八点见".getBytes(StandardCharsets.UTF_16BE)) {
      text.append('%').append(String.format("%02X", b & 0xFF));
    }
    String form = "username=rapidpro&password=s3cret&to=%2B8613800000071&coding=2&text=" + text;
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/cgi-bin/sendsms"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(202);
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inbox(P1)).containsExactly("晚上八点见"));
  }

  @Test
  @DisplayName("dlr-mask=31 with dlr-url: the client hears type 8 (SMSC accepted) then type 1 (delivered, with the"
      + " receipt) with the SMSC id")
  void dlrCallbacks() throws Exception {
    String dlr = "http://127.0.0.1:" + client.getAddress().getPort() + "/dlr?type=%d&smsc_id=%F&to=%p&from=%P&at=%T&reply=%A";
    HttpResponse<String> r = get("username=rapidpro&password=s3cret&to=%2B8613800000072&text=" + enc("with receipt")
        + "&dlr-mask=31&dlr-url=" + enc(dlr));
    assertThat(r.statusCode()).isEqualTo(202);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> callbacks.size() >= 2);
    assertThat(callbacks.get(0)).startsWith("type=8&smsc_id=").contains("&to=%2B8613800000072&from=10658");
    assertThat(callbacks.get(1)).startsWith("type=1&smsc_id=").contains("&reply=id%3A").contains("stat%3ADELIVRD");
    String id0 = callbacks.get(0).replaceAll(".*smsc_id=([^&]*)&.*", "$1");
    String id1 = callbacks.get(1).replaceAll(".*smsc_id=([^&]*)&.*", "$1");
    assertThat(id0).isNotEmpty().isEqualTo(id1);
  }

  @Test
  @DisplayName("bad requests get Kannel's answers and store nothing (KannelParityIT compares them all with Kannel's)")
  void badRequests() throws Exception {
    String auth = "username=rapidpro&password=s3cret";
    assertThat(get(auth + "&text=hi").body()).isEqualTo("Missing receiver number, rejected");
    assertThat(get(auth + "&to=not-a-number&text=hi").body())
        .isEqualTo("Number(s) has/have been denied by white- and/or black-lists.");
    assertThat(get(auth + "&to=%2B8613800000071&text=hi&coding=1").statusCode()).isEqualTo(400);
    assertThat(get(auth + "&to=%2B8613800000071&text=hi&udh=%06%05%04").statusCode()).isEqualTo(400);
    assertThat(get(auth + "&to=%2B8613800000071&text=hi&charset=NOPE").body())
        .isEqualTo("Charset or body misformed, rejected");
    assertThat(get(auth + "&to=%2B8613800000071&text=hi&dlr-mask=67").body())
        .isEqualTo("DLR-Mask field misformed, rejected");
    var put = http.send(HttpRequest.newBuilder(URI.create(base + "/cgi-bin/sendsms")).PUT(HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(405);
    awaitCanary();
    assertThat(gateway.simulator().orElseThrow().handsets()).doesNotContain(P1);
  }

  // ---- issue 15: unauthenticated memory exhaustion ----

  static final long GIB = 1L << 30;
  static final long MIB_200 = 200L << 20;

  @Test
  @DisplayName("issue 15: a sendsms body announced as 1 GiB is refused 413 before it is sent; /healthz answers meanwhile")
  void aBodyAnnouncedAsOneGibibyteIsRefusedBeforeItIsSent() throws Exception {
    for (String query : List.of("", "?user=rapidpro&pass=s3cret", "?user=rapidpro&pass=guess")) {
      try (RawHttp c = new RawHttp(gateway.httpPort())) {
        c.head("POST /cgi-bin/sendsms" + query + " HTTP/1.1", "Content-Type: application/x-www-form-urlencoded",
            "Content-Length: " + GIB);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        RawHttp.Answer a = c.answer(Duration.ofSeconds(10));
        assertThat(a.status()).as(query + ": " + a.text()).isEqualTo(413);
        assertThat(a.text()).contains("Request too large");
      }
    }
  }

  @Test
  @DisplayName("issue 15: a chunked sendsms body of 200 MiB is cut at the bound with 413; the rest is never read")
  void aChunkedBodyIsCutAtTheBound() throws Exception {
    for (String query : List.of("", "?user=rapidpro&pass=s3cret")) {
      RawHttp.Streamed s = RawHttp.streamChunked(gateway.httpPort(), MIB_200, "POST /cgi-bin/sendsms" + query
          + " HTTP/1.1", "Content-Type: application/x-www-form-urlencoded", "Transfer-Encoding: chunked");
      assertThat(s.answer().status()).as(s.answer().text()).isEqualTo(413);
      assertThat(s.sent()).as("bytes the server let the client send").isLessThan(MIB_200 / 4);
    }
  }

  @Test
  @DisplayName("issue 15: wrong credentials in the query or X-Kannel headers are refused 403 before the body is read")
  void wrongCredentialsAreRefusedBeforeTheBodyIsRead() throws Exception {
    for (String[] head : List.of(new String[] {"POST /cgi-bin/sendsms?username=rapidpro&password=guess HTTP/1.1"},
        new String[] {"POST /cgi-bin/sendsms HTTP/1.1", "X-Kannel-Username: rapidpro", "X-Kannel-Password: guess"})) {
      try (RawHttp c = new RawHttp(gateway.httpPort())) {
        String[] headers = java.util.stream.Stream.concat(java.util.Arrays.stream(head).skip(1),
            java.util.stream.Stream.of("Content-Type: application/x-www-form-urlencoded", "Content-Length: 60000"))
            .toArray(String[]::new);
        c.head(head[0], headers);
        RawHttp.Answer a = c.answer(Duration.ofSeconds(10));
        assertThat(a.status()).as(a.text()).isEqualTo(403);
        assertThat(a.text()).contains("Authorization failed for sendsms");
      }
    }
  }

  @Test
  @DisplayName("Kannel's POST interface: credentials and parameters in X-Kannel headers, the text as the body")
  void kannelPostWithHeaders() throws Exception {
    HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/cgi-bin/sendsms"))
        .header("X-Kannel-Username", "rapidpro").header("X-Kannel-Password", "s3cret")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("to=%2B8613800000071&text=" + enc("by form"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).as(form.body()).isEqualTo(202);
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(base + "/cgi-bin/sendsms"))
        .header("X-Kannel-Username", "rapidpro").header("X-Kannel-Password", "s3cret")
        .header("X-Kannel-To", "+8613800000072").header("Content-Type", "text/plain; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString("晚上见 by body")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(202);
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(inbox(P1)).containsExactly("by form");
      assertThat(inbox(P2)).containsExactly("晚上见 by body");
    });
  }

  // ---- issue 15: sendsms password guessing ----

  /** A client whose connections come from this loopback address. */
  static HttpClient from(String address) throws Exception {
    return HttpClient.newBuilder().localAddress(java.net.InetAddress.getByName(address)).build();
  }

  HttpResponse<String> get(HttpClient c, String query) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create(base + "/cgi-bin/sendsms?" + query)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  double metric(String series) throws Exception {
    return MetricsIT.value(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body(), series);
  }

  @Test
  @DisplayName("issue 15: after 10 wrong passwords in a minute an address is refused 429 unheard; others are not")
  void passwordGuessingIsThrottledPerAddress() throws Exception {
    HttpClient attacker = from("127.0.0.1");
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = get(attacker, "user=rapidpro&pass=guess" + i + "&to=%2B8613800000071&text=hi");
      assertThat(r.statusCode()).isEqualTo(403);
    }
    // The right password now is refused too, unchecked, for the rest of the window.
    HttpResponse<String> right = get(attacker, "user=rapidpro&pass=s3cret&to=%2B8613800000071&text=guessed");
    assertThat(right.statusCode()).as(right.body()).isEqualTo(429);
    assertThat(right.body()).isEqualTo("Too many failed logins, try again later");
    assertThat(right.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
    // Another address is not held back, and its success frees nobody.
    HttpResponse<String> other = get(from("127.0.0.3"), "user=rapidpro&pass=s3cret&to=%2B8613800000072&text=canary");
    assertThat(other.statusCode()).as(other.body()).isEqualTo(202);
    assertThat(get(attacker, "user=rapidpro&pass=s3cret&to=%2B8613800000071&text=guessed").statusCode()).isEqualTo(429);
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inbox(P2)).containsExactly("canary"));
    assertThat(inbox(P1)).isEmpty();
    assertThat(metric("chatgate_login_failures_total{kind=\"sendsms\"}")).isEqualTo(12.0);
  }

  @Test
  @DisplayName("issue 15: a user with allow_ip is refused 403 from any other address, even with its password")
  void allowIpLimitsWhereAUserSendsFrom() throws Exception {
    HttpResponse<String> elsewhere = get(from("127.0.0.1"), "user=playsms&pass=pl4y&to=%2B8613800000071&text=nope");
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(elsewhere.body()).isEqualTo("Authorization failed for sendsms");
    HttpResponse<String> allowed = get(from("127.0.0.2"), "user=playsms&pass=pl4y&to=%2B8613800000072&text=canary");
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(202);
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inbox(P2)).containsExactly("canary"));
    assertThat(inbox(P1)).isEmpty();
    assertThat(metric("chatgate_login_failures_total{kind=\"sendsms\"}")).isEqualTo(1.0);
  }

  // ---- issue 15: dlr-url calls any http(s) URL including loopback ----

  static final Msisdn P3 = Msisdn.of("+8613800000073");

  @Test
  @DisplayName("issue 15: a dlr-url to the gateway's own sendsms is refused 400 at submit and nothing is sent")
  void aDlrUrlToTheGatewayItselfIsRefused() throws Exception {
    String own = base + "/cgi-bin/sendsms?user=rapidpro&pass=s3cret&to=%2B8613800000073&text=made+by+the+gateway";
    HttpResponse<String> r = get("username=rapidpro&password=s3cret&to=%2B8613800000071&text=" + enc("hi")
        + "&dlr-mask=31&dlr-url=" + enc(own));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("dlr-url not allowed: it points to this gateway, loopback or link-local");
    HttpResponse<String> canary = get("username=rapidpro&password=s3cret&to=%2B8613800000072&text=canary");
    assertThat(canary.statusCode()).isEqualTo(202);
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inbox(P2)).containsExactly("canary"));
    assertThat(inbox(P1)).isEmpty();
    assertThat(inbox(P3)).isEmpty();
  }

  @Test
  @DisplayName("issue 15: dlr-urls naming loopback, link-local or any-local (by name or number) are refused 400")
  void aDlrUrlNamingLoopbackIsRefused() throws Exception {
    int port = client.getAddress().getPort();
    for (String url : List.of("http://localhost:" + port + "/dlr", "http://[::1]:" + port + "/dlr",
        "http://2130706433:" + port + "/dlr", "http://127.0.0.1:" + port + "@localhost:" + port + "/dlr",
        "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:" + port + "/dlr",
        "https://127.0.0.1:" + port + "/dlr")) {
      HttpResponse<String> r = get("username=rapidpro&password=s3cret&to=%2B8613800000071&text=hi&dlr-mask=31&dlr-url="
          + enc(url));
      assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(400);
    }
    // The allowed prefix is rapidpro's only: another user may not use it.
    HttpResponse<String> other = get(from("127.0.0.2"), "user=playsms&pass=pl4y&to=%2B8613800000071&text=hi"
        + "&dlr-mask=31&dlr-url=" + enc("http://127.0.0.1:" + port + "/dlr?type=%d"));
    assertThat(other.statusCode()).as(other.body()).isEqualTo(400);
    HttpResponse<String> canary = get("username=rapidpro&password=s3cret&to=%2B8613800000072&text=canary"
        + "&dlr-mask=1&dlr-url=" + enc("http://127.0.0.1:" + port + "/dlr?canary=%d"));
    assertThat(canary.statusCode()).isEqualTo(202);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !callbacks.isEmpty());
    assertThat(callbacks).containsExactly("canary=1");
    assertThat(inbox(P1)).isEmpty();
  }

  // ---- issue 15: sendsms passes NUL/ESC/BEL through ----

  @Test
  @DisplayName("issue 15: NUL, ESC, BEL, DEL and C1 controls are refused 400 (also in UTF-16BE); CR, LF, TAB pass")
  void controlCharactersAreRefused() throws Exception {
    String auth = "username=rapidpro&password=s3cret&to=%2B8613800000071";
    for (String text : List.of("a%00b", "%1B%5B2J", "ring%07", "del%7F", "nel%C2%85", "coding=2&text=%00a%00%00")) {
      String q = text.startsWith("coding=") ? auth + "&" + text : auth + "&text=" + text;
      HttpResponse<String> r = get(q);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(r.body()).isEqualTo("Text contains control characters");
    }
    HttpResponse<String> ok = get("username=rapidpro&password=s3cret&to=%2B8613800000072&text="
        + enc("line 1\r\nline 2\tend"));
    assertThat(ok.statusCode()).isEqualTo(202);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(inbox(P2)).containsExactly("line 1\r\nline 2\tend"));
    assertThat(inbox(P1)).isEmpty();
  }
}
