package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.sms.peer.NodeSmsc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real gateway jar, killed with SIGKILL while 1,000 MT are going out to an independent SMSC
 * (npm smpp): after a restart on the same database every accepted message reaches the SMSC.
 * The submit_sm in flight at the kill (the SMSC took them, the gateway had not yet recorded it)
 * are left SUBMITTING: their receipts, which the SMSC repeats after the rebind, settle them, so
 * none reaches the SMSC twice (ADR 0011).
 */
class SmsCrashIT {
  static final int MESSAGES = 1000;
  static final int WINDOW = 10;
  static final Pattern MARK = Pattern.compile("crash#(\\d+)!");

  @TempDir
  Path dir;

  NodeSmsc smsc;
  Process gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.destroyForcibly();
    }
    Path log = dir.resolve("gateway.log");
    if (Files.exists(log)) {
      Files.copy(log, Path.of("target", "SmsCrashIT-gateway.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(dir.resolve("gw.db"), Path.of("target", "SmsCrashIT-gw.db"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(Path.of("target", "SmsCrashIT-smsc.jsonl"), String.join("\n",
          smsc.events().stream().map(Object::toString).toList()));
    }
    if (smsc != null) {
      smsc.close();
    }
  }

  @Test
  @DisplayName("SIGKILL during 1,000 MT: after restart every accepted message reaches the SMSC, none twice")
  void nothingLostAcrossSigkill() throws Exception {
    smsc = NodeSmsc.start();
    int httpPort = freePort();
    Path config = dir.resolve("chatgate.toml");
    TestConfig.sqlite(dir.resolve("gw.db")).httpPort(httpPort).set("http", "public_url", "http://gw.example")
        .set("http", "trusted_proxies", List.of("127.0.0.1/32")).smsc(smsc).set("smpp", "throughput", 50)
        .set("smpp", "window", WINDOW).noQuotas().write(config);
    String base = "http://127.0.0.1:" + httpPort;
    gateway = ItSupport.startJar(config, dir.resolve("gateway.log"));
    ItSupport.awaitReady(base, Duration.ofSeconds(60));

    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String sender = "+8613900000001";
    String csrf = csrf(http, base, sender);
    Set<Integer> accepted = ConcurrentHashMap.newKeySet();
    Semaphore inFlight = new Semaphore(32);
    // Kill while the SMS are still going out, whether or not the accepts are done by then: the link
    // sends 50/s, slower than the accepts come, so a backlog builds and the kill lands in it (on a
    // slow machine the accepts alone once outlasted all the SMS, and a kill after the last SMS
    // proves nothing). What is refused once the gateway is gone was never promised.
    Process first = gateway;
    Thread killer = Thread.ofVirtual().start(() -> {
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> smsc.events("submit_sm").size() >= 150);
      first.destroyForcibly();
    });
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < MESSAGES; i++) {
        int n = i;
        inFlight.acquire();
        pool.submit(() -> {
          try {
            String to = "+86137" + String.format("%08d", n % 25);
            String form = "to=" + ItSupport.enc(to) + "&text=" + ItSupport.enc("crash#" + n + "!") + "&csrf=" + ItSupport.enc(csrf)
                + "&nonce=" + ItSupport.enc(String.format("%016x", n + 1L));
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/chat"))
                .header("X-MSISDN", sender).header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 302) {
              accepted.add(n);
            }
          } catch (Exception e) {
            // refused while the gateway is down: not accepted, so not promised
          } finally {
            inFlight.release();
          }
          return null;
        });
      }
    }
    killer.join(Duration.ofSeconds(70));
    gateway.waitFor();
    int beforeKill = smsc.events("submit_sm").size();
    assertThat(accepted).hasSizeGreaterThanOrEqualTo(150);
    assertThat(beforeKill).isLessThan(accepted.size());

    gateway = ItSupport.startJar(config, dir.resolve("gateway.log"));
    ItSupport.awaitReady(base, Duration.ofSeconds(60));
    Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> ItSupport.marked(smsc, MARK).keySet().containsAll(accepted));
    Map<Integer, Integer> got = ItSupport.marked(smsc, MARK);
    int duplicates = got.values().stream().mapToInt(c -> c - 1).sum();
    String log = Files.readString(dir.resolve("gateway.log"));
    System.out.printf("SmsCrashIT: %d accepted, %d submit_sm before SIGKILL, %d distinct received after restart, "
        + "%d lost, %d duplicated; in doubt after the restart: %d settled by receipts, %d sent again%n",
        accepted.size(), beforeKill, got.size(), accepted.stream().filter(n -> !got.containsKey(n)).count(),
        duplicates, ItSupport.count(log, "in doubt settled"), ItSupport.count(log, "in doubt, no receipt"));
    assertThat(got.keySet()).containsAll(accepted);
    assertThat(duplicates).as("SMS the SMSC received twice").isZero();
  }

  private static String csrf(HttpClient http, String base, String sender) throws Exception {
    String page = http.send(HttpRequest.newBuilder(URI.create(base + "/chat")).header("X-MSISDN", sender)
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString()).body();
    return HttpPhone.field(page, "csrf");
  }

  private static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
