package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.sms.codec.SmsCodec;
import chatgate.sms.peer.NodeSmsc;
import chatgate.xmpp.peer.ProsodyServer;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: SIGTERM under load ends the process within the contract's 10 s. The real gateway jar
 * holds 2,000 IM sessions on Prosody (phones logged in by SMS from the npm SMSC, as phones do),
 * open live streams, and web chat MT still queued behind a throttled SMSC; after SIGTERM it must
 * be gone in under 10 s, and after a restart every message it had accepted reaches the SMSC, and
 * each phone is told once to log in again (ADR 0032).
 */
class StopUnderLoadIT {
  static final int SESSIONS = Integer.getInteger("stopit.sessions", 2000);
  static final int STREAMS = Integer.getInteger("stopit.streams", 300);
  static final int MESSAGES = 400;
  static final int LOGINS_PER_SECOND = 30;
  static final Pattern MARK = Pattern.compile("stop#(\\d+)!");
  static final String ALICE = "+8613900000001";

  final Path dir = Path.of("target", "stop-it").toAbsolutePath();
  NodeSmsc smsc;
  ProsodyServer prosody;
  Process gateway;
  String base;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (prosody != null) {
      prosody.close();
    }
    if (smsc != null) {
      smsc.close();
    }
  }

  static String phone(int i) {
    return "86139" + String.format("%08d", i);
  }

  @Test
  @DisplayName("SIGTERM with 2,000 IM sessions on Prosody, open streams and MT in flight: gone in < 10 s, nothing accepted lost")
  void sigtermUnderLoadStopsWithinTenSeconds() throws Exception {
    Files.createDirectories(dir);
    Path log = dir.resolve("gateway.log");
    Files.deleteIfExists(log);
    Files.deleteIfExists(dir.resolve("gw.db"));
    smsc = NodeSmsc.start();
    prosody = ProsodyServer.startPlain();
    prosody.bulkUsers("p", SESSIONS, "pw", i -> null);
    Path config = config();
    gateway = ItSupport.startJar(config, log, "-Xmx1g");
    ItSupport.awaitReady(base, Duration.ofSeconds(90));

    // The phones log in by SMS, as phones do, at a steady pace under the gateway's XMPP login pace
    // (40/s here: Prosody on loopback takes ~35/s); on a loaded machine Prosody may take fewer,
    // and a phone told "try later" sends its login again (in another case: the same text within
    // 30 s would be taken for a repeat).
    long t0 = System.nanoTime();
    for (String verb : List.of("LOGIN", "Login", "login", "lOGIN")) {
      Set<String> in = loggedIn();
      List<Integer> left = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        if (!in.contains(phone(i))) {
          left.add(i);
        }
      }
      if (left.isEmpty()) {
        break;
      }
      int before = loginReplies();
      long p0 = System.nanoTime();
      long interval = 1_000_000_000L / LOGINS_PER_SECOND;
      int sent = 0;
      for (int i : left) {
        java.util.concurrent.locks.LockSupport.parkNanos(p0 + sent * interval - System.nanoTime());
        smsc.mo(phone(i), "10658", 0, 0, SmsCodec.gsm7(verb + " p" + i + " pw"));
        sent++;
      }
      int all = sent;
      try {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
            .until(() -> loginReplies() - before >= all);
      } catch (org.awaitility.core.ConditionTimeoutException slow) {
        // the next pass sends again what got no answer
      }
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
        .until(() -> gauge("chatgate_im_sessions") >= SESSIONS);
    System.out.printf("StopUnderLoadIT: %d IM sessions on Prosody in %.0f s%n", SESSIONS,
        (System.nanoTime() - t0) / 1e9);

    // Open pages: their live streams.
    List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      streams.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/events"))
          .header("X-MSISDN", "+86136" + String.format("%08d", i)).GET().build(), HttpResponse.BodyHandlers.ofLines()));
    }
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> gauge("chatgate_sse_streams") >= STREAMS);

    // MT in flight: the SMSC takes 20 a second, so most of these are still queued at SIGTERM.
    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> gauge("chatgate_queue_depth") == 0);
    smsc.throttle(20);
    String csrf = csrf(ALICE);
    Set<Integer> accepted = ConcurrentHashMap.newKeySet();
    Semaphore inFlight = new Semaphore(32);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < MESSAGES; i++) {
        int n = i;
        inFlight.acquire();
        pool.submit(() -> {
          try {
            String to = "+86137" + String.format("%08d", n % 50);
            if (post(ALICE, "to=" + ItSupport.enc(to) + "&text=" + ItSupport.enc("stop#" + n + "!") + "&csrf="
                + ItSupport.enc(csrf) + "&nonce=" + String.format("%016x", 5_000 + n)) == 302) {
              accepted.add(n);
            }
          } finally {
            inFlight.release();
          }
          return null;
        });
      }
    }
    assertThat(accepted).hasSize(MESSAGES);
    int sentBefore = ItSupport.marked(smsc, MARK).size();
    assertThat(sentBefore).as("MT still queued at SIGTERM").isLessThan(MESSAGES);

    long stop0 = System.nanoTime();
    gateway.destroy(); // SIGTERM
    boolean exited = gateway.waitFor(30, TimeUnit.SECONDS);
    double stopSeconds = (System.nanoTime() - stop0) / 1e9;
    String text = Files.readString(log);
    String stoppedLine = text.lines().filter(l -> l.contains("chatgate stopped in")).findFirst().orElse("(none)");
    System.out.printf("StopUnderLoadIT: SIGTERM with %d IM sessions, %d streams, %d of %d MT still queued: exit"
        + " after %.1f s%n  %s%n", SESSIONS, STREAMS, MESSAGES - sentBefore, MESSAGES, stopSeconds, stoppedLine);
    assertThat(exited).as("the process exited").isTrue();
    assertThat(stopSeconds).as("seconds from SIGTERM to exit").isLessThan(10.0);
    // The clean path (drain, IM, stage, unbind, store) normally ends the process; on a machine too
    // loaded for it the watchdog halts at 7.5 s, which is a kill the store survives: the restart
    // below checks that nothing accepted was lost either way.
    boolean clean = text.contains("chatgate stopped in");
    System.out.printf("StopUnderLoadIT: the stop was %s%n", clean ? "clean" : "ended by the watchdog (halt)");

    // Restart: what was accepted and not sent goes out; each phone hears once that it must log in again.
    smsc.throttle(0);
    int restartsBefore = restartNotices().size();
    gateway = ItSupport.startJar(config, log, "-Xmx1g");
    ItSupport.awaitReady(base, Duration.ofSeconds(90));
    Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
        .until(() -> ItSupport.marked(smsc, MARK).keySet().containsAll(accepted));
    Map<Integer, Integer> got = ItSupport.marked(smsc, MARK);
    int duplicates = got.values().stream().mapToInt(c -> c - 1).sum();
    Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
        .until(() -> restartNotices().size() - restartsBefore >= SESSIONS);
    Thread.sleep(2_000);
    Map<String, Integer> told = new java.util.HashMap<>();
    restartNotices().forEach(p -> told.merge(p, 1, Integer::sum));
    System.out.printf("StopUnderLoadIT: after the restart %d of %d accepted reached the SMSC (%d duplicated);"
        + " %d phones told to log in again%n", got.size(), accepted.size(), duplicates, told.size());
    assertThat(got.keySet()).containsAll(accepted);
    assertThat(told).hasSize(SESSIONS);
    assertThat(told.values()).as("each phone told once").allMatch(c -> c == 1);
  }

  /** Replies to the phones' logins so far (success or not): SMS to the 86139… phones. */
  private int loginReplies() {
    int n = 0;
    for (JsonNode e : smsc.events("submit_sm")) {
      if (e.path("destination_addr").asText().startsWith("86139")) {
        n++;
      }
    }
    return n;
  }

  /** Phones whose login succeeded: the reply names the account ("p7@localhost …"). */
  private Set<String> loggedIn() {
    Set<String> in = new java.util.HashSet<>();
    for (JsonNode e : smsc.events("submit_sm")) {
      String to = e.path("destination_addr").asText();
      if (to.startsWith("86139") && e.path("text").asText().startsWith("p")) {
        in.add(to);
      }
    }
    return in;
  }

  private List<String> restartNotices() {
    List<String> phones = new ArrayList<>();
    for (JsonNode e : smsc.events("submit_sm")) {
      if (e.path("status").asInt() == 0 && e.path("text").asText().startsWith("chatgate restarted")) {
        phones.add(e.path("destination_addr").asText());
      }
    }
    return phones;
  }

  private Path config() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    Path config = dir.resolve("gateway.toml");
    // Load, not people: the per-phone quotas (issue 15) stay out of the way.
    return TestConfig.sqlite(dir.resolve("gw.db")).httpPort(port)
        .set("http", "trusted_proxies", List.of("127.0.0.1/32"))
        .smsc(smsc).set("smpp", "throughput", 500).set("smpp", "window", 20).noQuotas()
        .xmpp(prosody).set("xmpp", "logins_per_second", 40).write(config);
  }

  /** A gauge's value from /metrics (0 when absent). */
  private double gauge(String name) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private int post(String from, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/chat"))
        .header("X-MSISDN", from).header("Content-Type", "application/x-www-form-urlencoded")
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String csrf(String who) throws Exception {
    String page = http.send(HttpRequest.newBuilder(URI.create(base + "/chat")).header("X-MSISDN", who)
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString()).body();
    return HttpPhone.field(page, "csrf");
  }
}
