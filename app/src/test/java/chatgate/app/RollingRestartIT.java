package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.cluster.peer.NatsServer;
import chatgate.sms.peer.NodeSmsc;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: a rolling restart of two nodes goes unnoticed. PostgreSQL, a private nats-server and
 * the npm SMSC; one shared SMPP bind ({@code smpp_binds = 1}) and claims held 30 s, so that only
 * the clean stop's hand-over (lease deleted and watched, claims released) can keep the SMSC busy.
 * Web chat MT flow at a steady rate through whichever nodes are in service (the test is the load
 * balancer: a node leaves the rotation when drained), while node 1 is drained, stopped by SIGTERM
 * and started again, then node 2. Every accepted message reaches the SMSC exactly once, and the
 * longest pause between submit_sm stays under 2 s.
 */
class RollingRestartIT {
  static final int RATE = 20;
  static final Pattern MARK = Pattern.compile("roll#(\\d+)!");
  static final String ALICE = "+8613900000011";

  final Path dir = Path.of("target", "rolling-it").toAbsolutePath();
  NatsServer nats;
  NodeSmsc smsc;
  String db;
  final Process[] nodes = new Process[2];
  final String[] base = new String[2];
  final Path[] configs = new Path[2];
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  /**
   * The load balancer's connections to each node: new ones to a restarted node, as a balancer has
   * (kept-alive connections to the process that stopped are closed; reusing one fails the request).
   */
  final HttpClient[] lb = new HttpClient[2];

  @AfterEach
  void stop() throws Exception {
    for (Process p : nodes) {
      if (p != null) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (smsc != null) {
      smsc.close();
    }
    if (nats != null) {
      nats.close();
    }
    if (db != null) {
      pg("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
  }

  @Test
  @DisplayName("rolling restart of 2 nodes under steady MT: 0 lost, 0 duplicated, longest SMSC pause < 2 s")
  void rollingRestartGoesUnnoticed() throws Exception {
    Files.createDirectories(dir);
    nats = NatsServer.start();
    smsc = NodeSmsc.start();
    db = "chatgate_roll_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    pg("CREATE DATABASE " + db);
    for (int i = 0; i < 2; i++) {
      lb[i] = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      Files.deleteIfExists(dir.resolve("node" + (i + 1) + ".log"));
      configs[i] = config(i);
      nodes[i] = start(i);
      ItSupport.awaitReady(base[i], Duration.ofSeconds(90));
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gauge(0, "chatgate_smpp_bound") == 1
        && gauge(1, "chatgate_smpp_bound") == 1);

    // The load balancer: nodes in service, and the load, a steady RATE per second over them.
    Set<Integer> inService = ConcurrentHashMap.newKeySet();
    inService.addAll(List.of(0, 1));
    Set<Integer> accepted = ConcurrentHashMap.newKeySet();
    List<String> refused = new CopyOnWriteArrayList<>();
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger seq = new AtomicInteger();
    Map<Integer, String> csrf = new ConcurrentHashMap<>();
    csrf.put(0, csrf(0));
    csrf.put(1, csrf(1));
    Thread load = Thread.ofVirtual().start(() -> {
      long interval = 1_000_000_000L / RATE;
      long next = System.nanoTime();
      while (loading.get()) {
        java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
        next += interval;
        int n = seq.getAndIncrement();
        List<Integer> up = new ArrayList<>(inService);
        if (up.isEmpty()) {
          continue;
        }
        int node = up.get(n % up.size());
        Thread.ofVirtual().start(() -> {
          try {
            String to = "+86137" + String.format("%08d", 100 + n % 40);
            int status = post(node, "to=" + ItSupport.enc(to) + "&text=" + ItSupport.enc("roll#" + n + "!")
                + "&csrf=" + ItSupport.enc(csrf.get(node)) + "&nonce=" + String.format("%016x", 9_000 + n));
            if (status == 302) {
              accepted.add(n);
            } else {
              refused.add(n + ":" + status);
            }
          } catch (Exception e) {
            refused.add(n + ":" + e);
          }
        });
      }
    });
    Thread.sleep(5_000);
    long loadStartMs = System.currentTimeMillis() - 5_000;
    List<Double> stops = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      // Drain: out of the rotation, and /readyz says so; then SIGTERM; then back.
      assertThat(drainCli(i)).as("admin node drain exit code").isZero();
      inService.remove(i);
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base[i] + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("draining\n");
      Thread.sleep(500); // requests already sent to it finish
      long t0 = System.nanoTime();
      nodes[i].destroy();
      assertThat(nodes[i].waitFor(15, TimeUnit.SECONDS)).isTrue();
      stops.add((System.nanoTime() - t0) / 1e9);
      Thread.sleep(2_000);
      nodes[i] = start(i);
      ItSupport.awaitReady(base[i], Duration.ofSeconds(90));
      lb[i] = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      csrf.put(i, csrf(i));
      inService.add(i);
      Thread.sleep(5_000);
    }
    loading.set(false);
    load.join();
    long loadEndMs = System.currentTimeMillis();

    Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
        .until(() -> ItSupport.marked(smsc, MARK).keySet().containsAll(accepted));
    Thread.sleep(2_000);
    Map<Integer, Integer> got = ItSupport.marked(smsc, MARK);
    long lost = accepted.stream().filter(n -> !got.containsKey(n)).count();
    int duplicates = got.values().stream().mapToInt(c -> c - 1).sum();
    // The longest pause between two submit_sm the SMSC took while the load ran.
    List<Long> times = new ArrayList<>();
    for (JsonNode e : smsc.events("submit_sm")) {
      long at = e.path("at_ms").asLong();
      if (e.path("status").asInt() == 0 && at >= loadStartMs && at <= loadEndMs) {
        times.add(at);
      }
    }
    times.sort(null);
    long longest = 0;
    for (int k = 1; k < times.size(); k++) {
      longest = Math.max(longest, times.get(k) - times.get(k - 1));
    }
    System.out.printf("RollingRestartIT: %d accepted at %d/s over 2 nodes (%d refused), each drained, SIGTERMed"
            + " (exit after %.1f s and %.1f s) and restarted: %d lost, %d duplicated, longest pause in SMSC"
            + " submissions %d ms%n", accepted.size(), RATE, refused.size(), stops.get(0), stops.get(1), lost,
        duplicates, longest);
    assertThat(lost).isZero();
    assertThat(duplicates).isZero();
    assertThat(refused).as("requests the in-service nodes refused").isEmpty();
    assertThat(stops).allMatch(s -> s < 10.0);
    assertThat(longest).as("longest pause in SMSC submissions, ms").isLessThan(2_000);
  }

  private int drainCli(int i) throws Exception {
    Path jar = Path.of("target", "chatgate.jar").toAbsolutePath();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "admin", "--config", configs[i].toString(),
        "node", "drain").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("drain.log").toFile())).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private Process start(int i) throws Exception {
    return ItSupport.startJar(configs[i], dir.resolve("node" + (i + 1) + ".log"), "-Xmx512m");
  }

  private Path config(int i) throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base[i] = "http://127.0.0.1:" + port;
    Path config = dir.resolve("node" + (i + 1) + ".toml");
    return TestConfig.postgresDb(db).httpPort(port).set("http", "trusted_proxies", List.of("127.0.0.1/32"))
        .set("security", "key_file", dir.resolve("chatgate.key").toString())
        .smsc(smsc).set("smpp", "throughput", 100).noQuotas()
        .set("cluster", "nats_url", nats.url()).set("cluster", "node_id", "r" + (i + 1))
        .set("cluster", "claim_hold", "30s").set("cluster", "smpp_binds", 1).write(config);
  }

  private double gauge(int node, String name) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(base[node] + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private int post(int node, String form) throws Exception {
    return lb[node].send(HttpRequest.newBuilder(URI.create(base[node] + "/chat"))
        .header("X-MSISDN", ALICE).header("Content-Type", "application/x-www-form-urlencoded")
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String csrf(int node) throws Exception {
    String page = http.send(HttpRequest.newBuilder(URI.create(base[node] + "/chat")).header("X-MSISDN", ALICE)
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString()).body();
    return HttpPhone.field(page, "csrf");
  }

  private static void pg(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
