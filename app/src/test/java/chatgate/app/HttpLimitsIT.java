package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's unauthenticated memory exhaustion as it was found: the gateway jar, here under a
 * 128 MiB heap, sent six 1 GiB bodies and six huge chunked ones by a stranger at once to
 * {@code /cgi-bin/sendsms}. Each is refused at the bound; the gateway keeps answering.
 */
class HttpLimitsIT {
  static final long GIB = 1L << 30;
  static final long MIB_256 = 256L << 20;

  @TempDir
  Path dir;

  Process gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.destroy();
      gateway.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("issue 15: six 1 GiB and six chunked 256 MiB sendsms bodies under -Xmx128m: all 413, /healthz answers, no OOM")
  void hugeBodiesUnderASmallHeapLeaveTheGatewayAnswering() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("chatgate.toml");
    TestConfig.sqlite(dir.resolve("gw.db")).httpPort(port).simulator()
        .sendsmsUser("rapidpro", "s3cret", Map.of()).write(config);
    Path log = dir.resolve("gateway.log");
    gateway = ItSupport.startJar(config, log, "-Xmx128m");
    String base = "http://127.0.0.1:" + port;
    ItSupport.awaitReady(base, Duration.ofSeconds(60));

    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<RawHttp.Answer>> announced = new ArrayList<>();
      List<RawHttp> open = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        RawHttp c = new RawHttp(port);
        open.add(c);
        c.head("POST /cgi-bin/sendsms HTTP/1.1", "Content-Type: application/x-www-form-urlencoded",
            "Content-Length: " + GIB);
        announced.add(pool.submit(() -> c.answer(Duration.ofSeconds(20))));
      }
      for (Future<RawHttp.Answer> f : announced) {
        RawHttp.Answer a = f.get(30, TimeUnit.SECONDS);
        assertThat(a.status()).as(a.text()).isEqualTo(413);
      }
      for (RawHttp c : open) {
        c.close();
      }

      List<Future<RawHttp.Streamed>> chunked = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        chunked.add(pool.submit(() -> RawHttp.streamChunked(port, MIB_256, "POST /cgi-bin/sendsms HTTP/1.1",
            "Content-Type: application/x-www-form-urlencoded", "Transfer-Encoding: chunked")));
      }
      for (Future<RawHttp.Streamed> f : chunked) {
        RawHttp.Streamed s = f.get(180, TimeUnit.SECONDS);
        assertThat(s.answer().status()).as(s.answer().text()).isEqualTo(413);
        assertThat(s.sent()).as("bytes the gateway let one client send").isLessThan(MIB_256 / 8);
      }
    } finally {
      pool.shutdownNow();
    }

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(gateway.isAlive()).isTrue();
    assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
  }
}
