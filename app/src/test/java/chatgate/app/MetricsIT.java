package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: Prometheus text that counts what the gateway did, on the built-in SMSC. */
class MetricsIT {
  @TempDir
  Path dir;

  Gateway gateway;
  String base;

  @BeforeEach
  void start() throws Exception {
    Path config = dir.resolve("chatgate.toml");
    TestConfig.sqlite(dir.resolve("chatgate.db")).simulator().set("http", "public_url", "http://gw.example")
        .write(config);
    gateway = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)));
    base = "http://127.0.0.1:" + gateway.httpPort();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void countsMessagesSmsReceiptsLoginFailuresAndTheQueue() throws Exception {
    HttpPhone sim = new HttpPhone(base, "");
    HttpResponse<String> first = sim.get("/metrics");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
    assertThat(value(first.body(), "chatgate_smpp_bound")).isEqualTo(1.0);
    assertThat(value(first.body(), "chatgate_queue_depth")).isEqualTo(0.0);
    assertThat(first.body()).contains("jvm_memory_used_bytes");

    // A wrong login code on one phone; another logs in and writes to a phone that is offline: an SMS.
    HttpPhone c = new HttpPhone(base, "13800000004");
    String page = c.get("/login").body();
    HttpResponse<String> step = c.post("/login", "phone", "13800000004", "csrf", HttpPhone.field(page, "csrf"));
    assertThat(step.statusCode()).isEqualTo(200);
    c.post("/login/code", "phone", "13800000004", "code", "000000", "csrf", HttpPhone.field(step.body(), "csrf"));
    HttpPhone a = new HttpPhone(base, "13800000001").login();
    assertThat(a.send("13800000002", "hello").statusCode()).isEqualTo(302);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sim.lastSmsOn("+8613800000002").contains("hello"));

    // An SMS from a phone (MO).
    String simPage = sim.get("/sim/").body();
    sim.post("/sim/send", "from", "13800000003", "text", "HELP", "csrf", HttpPhone.field(simPage, "csrf"));

    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String m = sim.get("/metrics").body();
      assertThat(value(m, "chatgate_messages_accepted_total{origin=\"WEB\"}")).isEqualTo(1.0);
      assertThat(value(m, "chatgate_mo_total")).isEqualTo(1.0);
      assertThat(value(m, "chatgate_login_failures_total{kind=\"code\"}")).isEqualTo(1.0);
      // Two login codes, the chat message and the HELP answer went out by SMS, one segment each.
      assertThat(value(m, "chatgate_mt_total{route=\"SMS\"}")).isEqualTo(4.0);
      assertThat(value(m, "chatgate_mt_segments_total{route=\"SMS\"}")).isEqualTo(4.0);
      assertThat(value(m, "chatgate_dlr_total{status=\"DELIVRD\"}")).isEqualTo(4.0);
      // The store's writer: every durable change above went through it, grouped into transactions.
      assertThat(value(m, "chatgate_store_writes_total")).isGreaterThanOrEqualTo(value(m,
          "chatgate_store_write_batches_total")).isGreaterThan(0.0);
      assertThat(value(m, "chatgate_store_writer_busy_seconds_total")).isGreaterThanOrEqualTo(value(m,
          "chatgate_store_commit_seconds_total")).isGreaterThan(0.0);
      assertThat(value(m, "chatgate_delivery_seconds_count{route=\"SMS\",state=\"SENT\"}")).isEqualTo(4.0);
      assertThat(m).contains("chatgate_delivery_seconds_bucket{route=\"SMS\",state=\"SENT\",le=");
      assertThat(value(m, "chatgate_queue_depth")).isEqualTo(0.0);
    });
    assertThat(a.post("/metrics", "x", "y").statusCode()).isEqualTo(405);
    // Every request is timed by path family and status class; unknown paths share one label.
    a.get("/no/such/" + System.nanoTime());
    // The timer records once the response is written: the client may read it a moment before.
    Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(value(sim.get("/metrics").body(),
        "chatgate_http_seconds_count{method=\"GET\",route=\"other\",status=\"4xx\"}")).isGreaterThanOrEqualTo(1.0));
    String m = sim.get("/metrics").body();
    assertThat(value(m, "chatgate_http_seconds_count{method=\"POST\",route=\"/chat\",status=\"3xx\"}"))
        .isEqualTo(1.0);
    assertThat(m).contains("chatgate_http_seconds_bucket{method=\"POST\",route=\"/login\",status=\"2xx\",le=")
        .doesNotContain("/no/such/");
  }
}
