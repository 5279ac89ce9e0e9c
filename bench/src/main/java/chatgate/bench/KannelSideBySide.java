package chatgate.bench;

import chatgate.sms.peer.NodeSmsc;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's comparison of issue 17: the same MT load through Kannel's and chatgate's
 * {@code /cgi-bin/sendsms}, to the same npm {@code smpp} SMSC peer, on the same machine, in one
 * run, alternating (Kannel, chatgate, Kannel, chatgate, …): {@code messages} MT from {@code clients}
 * HTTP keep-alive clients, timed from the first request until the SMSC holds every submit_sm.
 * Both gateways keep what they accept durably (Kannel's spool store; chatgate's SQLite store with
 * fsync at commit) and submit with the same window. Neither asks for receipts beyond what it does
 * by default (Kannel: none without a dlr-mask; chatgate: always, to track delivery).
 *
 * <pre>
 * bench/kannel-side-by-side.sh [messages=6000] [clients=16] [window=10] [rounds=2]
 * </pre>
 * (the script installs Debian's kannel when missing and builds the jars). With
 * {@code -Dbaseline.jar=<another chatgate.jar>} (env {@code BASELINE_JAR} for the script) each round
 * also runs that build, between Kannel and this one: before and after a change, alternating, in
 * one run. Each chatgate run prints the store's durable writes per MT ({@code /metrics}), counted
 * until every receipt is in. Kannel's bearerbox and
 * smsbox, the chatgate JVM and the SMSC peer each run as their own process; the load generator is
 * this JVM, writing plain HTTP/1.1 on one socket per client.
 *
 * <p>Options (system properties): {@code -Dwarm=N} sends N MT (to other numbers) through each
 * process before the timed load, so a long-running gateway's warm JIT is measured rather than a
 * fresh JVM's compiling; {@code -Dchatgate.store='sync = "normal"'} (or {@code baseline.store}) adds
 * {@code [store]} keys for one build; {@code -Dchatgate.jvm=…} (or {@code baseline.jvm}) adds JVM
 * options, {@code {run}} naming the run; {@code -Dchatgate.jar=…} runs a copy of this build.
 */
public final class KannelSideBySide {
  private static final String USER = "bench";
  private static final String PASS = "bench-pw";

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 6000;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int window = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    // -Dchatgate.jar: this build's jar elsewhere (a copy, so the tree can be rebuilt during a run).
    Path jar = Path.of(System.getProperty("chatgate.jar", "app/target/chatgate.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException("run from the repository root after building app/target/chatgate.jar");
    }
    String base = System.getProperty("baseline.jar", "");
    Path baseline = base.isEmpty() ? null : Path.of(base);
    List<Double> kannel = new ArrayList<>();
    List<Double> chatgate = new ArrayList<>();
    List<Double> before = new ArrayList<>();
    if (Integer.getInteger("warm", 0) == 0) {
      // A short warm-up of each, so neither meets a cold page cache (each run is a fresh process).
      run("kannel", messages / 10, clients, window, jar, false);
      run("chatgate", messages / 10, clients, window, jar, false);
    }
    for (int r = 1; r <= rounds; r++) {
      kannel.add(run("kannel", messages, clients, window, jar, true));
      if (baseline != null) {
        before.add(run("baseline", messages, clients, window, baseline, true));
      }
      chatgate.add(run("chatgate", messages, clients, window, jar, true));
    }
    double k = kannel.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double c = chatgate.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    System.out.printf(Locale.ROOT, "%nKannel %s MT/s, chatgate %s MT/s (means %.0f and %.0f): chatgate/Kannel = %.2fx%n",
        kannel.stream().map(d -> String.format(Locale.ROOT, "%.0f", d)).toList(),
        chatgate.stream().map(d -> String.format(Locale.ROOT, "%.0f", d)).toList(), k, c, c / k);
    if (baseline != null) {
      double b = before.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      System.out.printf(Locale.ROOT, "baseline %s MT/s (mean %.0f): baseline/Kannel = %.2fx, chatgate/baseline = %.2fx%n",
          before.stream().map(d -> String.format(Locale.ROOT, "%.0f", d)).toList(), b, b / k, c / b);
    }
  }

  private static double run(String which, int messages, int clients, int window, Path jar, boolean print)
      throws Exception {
    Path dir = Files.createTempDirectory("kannel-vs-chatgate-");
    try (NodeSmsc smsc = NodeSmsc.start()) {
      List<Process> processes = which.equals("kannel") ? kannel(dir, smsc, window) : chatgate(dir, smsc, window, jar, which);
      String writes = "";
      try {
        int port = Integer.parseInt(Files.readString(dir.resolve("sendsms.port")).strip());
        // -Dwarm=N: N MT to other numbers through the same process first, until all are submitted
        // (and, for chatgate, receipted), so the timed load meets a warm JIT and page cache.
        int warm = Integer.getInteger("warm", 0);
        String settled = "";
        if (warm > 0) {
          int warmRefused = load(port, warm, clients, WARM_NUMBERS);
          awaitSubmits(smsc, warm - warmRefused, which);
          if (!which.equals("kannel")) {
            settled = settledMetrics(port, warm - warmRefused, "");
          }
        }
        int submittedBefore = smsc.count("submit_sm");
        long t0 = System.nanoTime();
        int refused = load(port, messages, clients, 0);
        double answered = (System.nanoTime() - t0) / 1e9;
        awaitSubmits(smsc, submittedBefore + messages - refused, which);
        double secs = (System.nanoTime() - t0) / 1e9;
        double rate = (messages - refused) / secs;
        if (!which.equals("kannel") && print) {
          try {
            writes = writesPerMt(port, messages - refused, settled);
          } catch (IOException e) {
            List<String> log = Files.readAllLines(dir.resolve("chatgate.out"));
            throw new IllegalStateException(which + " gone before its receipts were counted: " + e + "\n"
                + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())), e);
          }
        }
        if (print) {
          System.out.printf(Locale.ROOT, "%-8s %d MT in %.2f s: %.0f MT/s (all answered after %.2f s)%s%s%n", which,
              messages - refused, secs, rate, answered,
              refused > 0 ? " (" + refused + " refused!)" : "", writes);
        }
        return rate;
      } finally {
        for (Process p : processes) {
          p.destroy();
        }
        for (Process p : processes) {
          if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
          }
        }
      }
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * The store's durable writes per MT once every receipt is in (the writes count the receipts too):
   * {@code chatgate_store_writes_total} over the MT, and how many went in one transaction.
   */
  private static final int WARM_NUMBERS = 50_000_000;

  private static void awaitSubmits(NodeSmsc smsc, int submits, String which) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (smsc.count("submit_sm") < submits) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(which + ": only " + smsc.count("submit_sm") + " of " + submits + " submits");
      }
      Thread.sleep(2);
    }
  }

  /**
   * The gateway's metrics once {@code mt} more MT than in {@code before} are receipted and nothing
   * is queued (every receipt is in), within 60 s.
   */
  private static String settledMetrics(int port, int mt, String before) throws Exception {
    double delivered0 = before.isEmpty() ? 0 : metric(before, "chatgate_dlr_total{status=\"DELIVRD\"}");
    HttpClient http = HttpClient.newHttpClient();
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String m = "";
    while (System.nanoTime() < until) {
      m = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (metric(m, "chatgate_dlr_total{status=\"DELIVRD\"}") - delivered0 >= mt
          && metric(m, "chatgate_queue_depth") == 0) {
        break;
      }
      Thread.sleep(200); // a scrape costs the gateway CPU: not more often than needed
    }
    return m;
  }

  /**
   * The store's durable writes per MT once every receipt is in (the writes count the receipts too):
   * {@code chatgate_store_writes_total} over the MT, and how many went in one transaction; only
   * what came after {@code before} (the warm-up's metrics, or nothing).
   */
  private static String writesPerMt(int port, int mt, String before) throws Exception {
    String m = settledMetrics(port, mt, before);
    double writes = delta(m, before, "chatgate_store_writes_total");
    double batches = delta(m, before, "chatgate_store_write_batches_total");
    return String.format(Locale.ROOT, "; store %.2f writes/MT, %.1f writes/transaction, writer busy %.1f s"
            + " (commit %.1f s)", writes / mt, writes / batches,
        delta(m, before, "chatgate_store_writer_busy_seconds_total"),
        delta(m, before, "chatgate_store_commit_seconds_total"));
  }

  private static double delta(String now, String before, String series) {
    return metric(now, series) - (before.isEmpty() ? 0 : metric(before, series));
  }

  private static double metric(String metrics, String series) {
    Matcher x = Pattern.compile("(?m)^" + Pattern.quote(series)
        + " (\\S+)$").matcher(metrics);
    return x.find() ? Double.parseDouble(x.group(1)) : Double.NaN;
  }

  /** {@code clients} keep-alive connections share the messages; returns how many were not 2xx. */
  private static int load(int port, int messages, int clients, int firstNumber) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try (Socket s = new Socket("127.0.0.1", port)) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = new BufferedInputStream(s.getInputStream());
          for (int i = next.getAndIncrement(); i < messages; i = next.getAndIncrement()) {
            String to = String.format(Locale.ROOT, "%%2B86139%08d", firstNumber + i);
            String req = "GET /cgi-bin/sendsms?username=" + USER + "&password=" + PASS + "&to=" + to
                + "&text=Hello+" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int status = readResponse(in);
            if (status < 200 || status > 299) {
              refused.incrementAndGet();
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException("load client: " + e, e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return refused.get();
  }

  /** Reads one HTTP/1.1 response (Content-Length framed); returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    int code = Integer.parseInt(status.split(" ")[1]);
    int length = 0;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(h.substring(15).strip());
      }
    }
    in.readNBytes(length);
    return code;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  // ---- Kannel ----

  private static List<Process> kannel(Path dir, NodeSmsc smsc, int window) throws Exception {
    int admin = freePort();
    int box = freePort();
    int sendsms = freePort();
    Files.createDirectories(dir.resolve("spool"));
    Files.writeString(dir.resolve("kannel.conf"), """
        group = core
        admin-port = %d
        admin-password = bench
        status-password = bench
        smsbox-port = %d
        admin-allow-ip = "127.0.0.1"
        box-allow-ip = "127.0.0.1"
        log-file = "%s/bearerbox.log"
        log-level = 3
        store-type = spool
        store-location = "%s/spool"
        dlr-storage = internal

        group = smsc
        smsc = smpp
        smsc-id = peer
        host = 127.0.0.1
        port = %d
        transceiver-mode = true
        smsc-username = "%s"
        smsc-password = "%s"
        system-type = ""
        max-pending-submits = %d
        msg-id-type = 0x03
        enquire-link-interval = 30

        group = smsbox
        bearerbox-host = 127.0.0.1
        bearerbox-port = %d
        sendsms-port = %d
        global-sender = 10658
        log-file = "%s/smsbox.log"
        log-level = 3

        group = sendsms-user
        username = %s
        password = %s
        max-messages = 4
        concatenation = true

        group = sms-service
        keyword = default
        catch-all = true
        text = "ok"
        """.formatted(admin, box, dir, dir, smsc.port(), NodeSmsc.SYSTEM_ID, NodeSmsc.PASSWORD, window, box, sendsms,
        dir, USER, PASS));
    Process bearerbox = new ProcessBuilder("bearerbox", dir.resolve("kannel.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("bearerbox.out").toFile()).start();
    // The smsc must be online before the load, as chatgate's bind is before its /readyz says so.
    awaitHttp("http://127.0.0.1:" + admin + "/status.txt?password=bench", body -> body.contains("online"),
        Duration.ofSeconds(30), dir.resolve("bearerbox.log"));
    Process smsbox = new ProcessBuilder("smsbox", dir.resolve("kannel.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("smsbox.out").toFile()).start();
    awaitPort(sendsms, Duration.ofSeconds(30));
    awaitHttp("http://127.0.0.1:" + admin + "/status.txt?password=bench", body -> body.contains("Box connections:")
        && body.contains("smsbox"), Duration.ofSeconds(30), dir.resolve("bearerbox.log"));
    Files.writeString(dir.resolve("sendsms.port"), Integer.toString(sendsms));
    return List.of(smsbox, bearerbox);
  }

  // ---- chatgate ----

  private static List<Process> chatgate(Path dir, NodeSmsc smsc, int window, Path jar, String which) throws Exception {
    int http = freePort();
    // More [store] keys for one build: -Dchatgate.store='sync = "normal"', -Dbaseline.store=….
    String storeKeys = System.getProperty(which + ".store", "");
    Files.writeString(dir.resolve("chatgate.toml"), """
        [http]
        listen = "127.0.0.1:%d"
        [store]
        url = "jdbc:sqlite:%s/data/chatgate.db"
        %s
        [security]
        key_file = "%s/data/chatgate.key"
        [sms]
        allowed_destinations = ["*"]
        [smpp]
        host = "127.0.0.1"
        port = %d
        system_id = "%s"
        password = "%s"
        window = %d
        throughput = 100000
        [log]
        level = "warn"
        [[sendsms_users]]
        username = "%s"
        password = "%s"
        """.formatted(http, dir, storeKeys, dir, smsc.port(), NodeSmsc.SYSTEM_ID, NodeSmsc.PASSWORD, window, USER, PASS));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseZGC"));
    // Extra JVM options for one build (a profiler agent): -Dchatgate.jvm="…", -Dbaseline.jvm="…";
    // {run} becomes the run's directory name (a profile file per run).
    String extra = System.getProperty(which + ".jvm", "").strip();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.replace("{run}", dir.getFileName().toString()).split("\\s+")));
    }
    cmd.addAll(List.of("-jar", jar.toString(), "run", "--config", dir.resolve("chatgate.toml").toString()));
    Process gw = new ProcessBuilder(cmd)
        .redirectErrorStream(true).redirectOutput(dir.resolve("chatgate.out").toFile()).start();
    awaitHttp("http://127.0.0.1:" + http + "/readyz", body -> body.startsWith("ready"), Duration.ofSeconds(60),
        dir.resolve("chatgate.out"));
    Files.writeString(dir.resolve("sendsms.port"), Integer.toString(http));
    return List.of(gw);
  }

  // ---- helpers ----

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitPort(int port, Duration timeout) throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > until) {
          throw new IllegalStateException("nothing listens on " + port);
        }
        Thread.sleep(50);
      }
    }
  }

  private static void awaitHttp(String url, Predicate<String> ok, Duration timeout, Path log)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long until = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < until) {
      try {
        last = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        if (ok.test(last)) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    String tail = Files.exists(log) ? String.join("\n", Files.readAllLines(log).stream()
        .skip(Math.max(0, Files.readAllLines(log).size() - 20)).toList()) : "(no log)";
    throw new IllegalStateException("not ready: " + url + " said: " + last + "\nlog " + log + ":\n" + tail);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
