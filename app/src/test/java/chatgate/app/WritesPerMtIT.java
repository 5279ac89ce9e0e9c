package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's durable writes per MT on the sendsms → SMS → receipt path, under concurrent load
 * (issue 17, ADR 0035), with the in-doubt marker on. Before the states were written together it
 * was 4.0 (accept, mark, SENT, DELIVERED). The mark, outcome and receipt of concurrent SMS now go
 * in shared writes: 1.2–1.3 per MT at the side-by-side bench's load, 2.3–2.7 at this test's
 * gentler one (up to 2.8 seen). Issue 17's aim of at most 2 is therefore met only at load; this pins "under 4".
 */
class WritesPerMtIT {
  static final int MT = 400;
  static final int CLIENTS = 16;

  @TempDir
  Path dir;

  Gateway gateway;
  String base;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Path config = dir.resolve("chatgate.toml");
    TestConfig.sqlite(dir.resolve("gw.db")).simulator().set("http", "public_url", "http://gw.example")
        .set("sms", "allowed_destinations", List.of("*")).sendsmsUser("bulk", "b1lk", Map.of()).write(config);
    gateway = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)));
    base = "http://127.0.0.1:" + gateway.httpPort();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  String metrics() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void theMarkOutcomeAndReceiptOfConcurrentSmsShareTheirWrites() throws Exception {
    double before = MetricsIT.value(metrics(), "chatgate_store_writes_total");
    AtomicInteger next = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(Thread.ofVirtual().start(() -> {
        for (int i = next.getAndIncrement(); i < MT; i = next.getAndIncrement()) {
          String to = String.format(Locale.ROOT, "%%2B86139%08d", i);
          try {
            int status = http.send(HttpRequest.newBuilder(URI.create(base
                + "/cgi-bin/sendsms?username=bulk&password=b1lk&to=" + to + "&text=Hello+" + i)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 202) {
              refused.incrementAndGet();
            }
          } catch (Exception e) {
            refused.incrementAndGet();
          }
        }
      }));
    }
    for (Thread t : clients) {
      t.join();
    }
    assertThat(refused.get()).isZero();
    // Every MT submitted, its receipt in, and nothing left to do: all its writes are counted.
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      String m = metrics();
      assertThat(MetricsIT.value(m, "chatgate_mt_total{route=\"SMS\"}")).isEqualTo((double) MT);
      assertThat(MetricsIT.value(m, "chatgate_dlr_total{status=\"DELIVRD\"}")).isEqualTo((double) MT);
      assertThat(MetricsIT.value(m, "chatgate_queue_depth")).isEqualTo(0.0);
    });
    double writes = MetricsIT.value(metrics(), "chatgate_store_writes_total") - before;
    System.out.printf(Locale.ROOT, "WritesPerMtIT: %.0f durable writes for %d MT = %.2f per MT%n", writes, MT,
        writes / MT);
    assertThat(writes / MT).isLessThan(3.5); // 4.0 before; what it is at load is in docs/benchmarks.md
  }
}
