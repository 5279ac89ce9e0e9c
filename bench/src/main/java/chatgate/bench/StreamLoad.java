package chatgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open live streams on one node (issue 17: 50,000 in < 2 GB of heap): the gateway runs as its
 * own process with {@code -Xmx}, this JVM opens {@code /events} streams as pages do (one socket
 * each, from many loopback source addresses so no source runs out of ports; the phones are named
 * by the MSISDN header of a trusted proxy), waits until the gateway counts them all, and reads the
 * gateway's heap after a full GC ({@code jcmd GC.run}, then {@code /metrics}), its resident size
 * and threads. Then it pushes messages to random open streams and times their arrival.
 *
 * <pre>
 * ./mvnw -q -pl app,bench -am package -DskipTests
 * ulimit -n 1048576     # each stream is a descriptor in this JVM and one in the gateway's
 * java -cp bench/target/bench.jar chatgate.bench.StreamLoad [streams=50000] [heap=2g] [pushes=200]
 * </pre>
 * {@code jcmd} comes with the JDK; it must be on the PATH.
 */
public final class StreamLoad {
  private static final Pattern METRIC = Pattern.compile("(?m)^(\\w+)\\{?([^}\\n]*)\\}? ([0-9.eE+-]+)$");

  public static void main(String[] args) throws Exception {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    String heap = args.length > 1 ? args[1] : "2g";
    int pushes = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    Path dir = Files.createTempDirectory("streamload");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("load.toml"), """
        [http]
        listen = "127.0.0.1:%d"
        trusted_proxies = ["127.0.0.0/8"]
        [store]
        url = "jdbc:sqlite:%s/data/load.db"
        [security]
        key_file = "%s/data/load.key"
        [simulator]
        listen = "127.0.0.1:0"
        [chat]
        messages_per_minute = 100000
        daily_messages = 10000000
        daily_sms_segments = 10000000
        [log]
        level = "warn"
        """.formatted(port, dir, dir));
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process gw = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-XX:+UseZGC", "-Xmx" + heap,
        "-jar", "app/target/chatgate.jar", "run", "--config", dir.resolve("load.toml").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
    String base = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newHttpClient();
    try {
      awaitReady(http, base);
      double heapIdle = heapAfterGc(http, base, gw.pid());
      ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
      List<BlockingLines> readers = new ArrayList<>();
      AtomicInteger failed = new AtomicInteger();
      Semaphore inFlight = new Semaphore(256);
      CountDownLatch opened = new CountDownLatch(streams);
      long t0 = System.nanoTime();
      for (int i = 0; i < streams; i++) {
        int n = i;
        inFlight.acquire();
        Thread.ofVirtual().start(() -> {
          try {
            Socket s = new Socket();
            // 127.0.0.2 … : a source address per 20,000 streams, far from the ephemeral port limit.
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0." + (n / 20_000) + "." + (2 + n % 200)), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nX-MSISDN: "
                + phone(n) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BlockingLines r = new BlockingLines(s.getInputStream(), phone(n));
            String status = r.line();
            if (!status.contains(" 200 ")) {
              throw new IOException(status);
            }
            open.add(s);
            synchronized (readers) {
              readers.add(r);
            }
          } catch (IOException e) {
            failed.incrementAndGet();
          } finally {
            inFlight.release();
            opened.countDown();
          }
        });
      }
      opened.await();
      double openSeconds = (System.nanoTime() - t0) / 1e9;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      double counted = 0;
      while (System.nanoTime() < until && (counted = metric(http, base, "chatgate_sse_streams")) < open.size()) {
        Thread.sleep(200);
      }
      double heapUsed = heapAfterGc(http, base, gw.pid());
      double threads = metric(http, base, "jvm_threads_live_threads");
      long rss = rssKiB(gw.pid());
      System.out.printf(Locale.ROOT, "streams: %d open (%d failed) in %.1f s; the gateway counts %.0f%n", open.size(),
          failed.get(), openSeconds, counted);
      System.out.printf(Locale.ROOT, "gateway -Xmx%s: heap after GC %.0f MiB with the streams, %.0f MiB idle: %.1f KiB"
              + " per stream; RSS %d MiB, %.0f threads%n", heap, heapUsed / 1048576, heapIdle / 1048576,
          (heapUsed - heapIdle) / 1024 / Math.max(1, open.size()), rss / 1024, threads);
      pushLatency(http, base, readers, pushes);
      for (Socket s : open) {
        s.close();
      }
    } finally {
      gw.destroy();
      gw.waitFor(15, TimeUnit.SECONDS);
      gw.destroyForcibly();
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The gateway's heap in use right after a full GC it was asked for. */
  private static double heapAfterGc(HttpClient http, String base, long pid) throws Exception {
    new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    Thread.sleep(1000);
    return sum(http, base, "jvm_memory_used_bytes", "area=\"heap\"");
  }

  private static String phone(int n) {
    return String.format(Locale.ROOT, "+86139%08d", n);
  }

  /** Messages to random open streams (from one sender), each timed until its stream shows it. */
  private static void pushLatency(HttpClient http, String base, List<BlockingLines> readers, int pushes)
      throws Exception {
    if (readers.isEmpty() || pushes == 0) {
      return;
    }
    String sender = "+8613700000001";
    String page = http.send(HttpRequest.newBuilder(URI.create(base + "/chat")).header("X-MSISDN", sender).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    if (!csrf.find()) {
      throw new IllegalStateException("no csrf");
    }
    long[] ms = new long[pushes];
    Random random = new Random(7);
    for (int i = 0; i < pushes; i++) {
      int n = random.nextInt(readers.size());
      BlockingLines r = readers.get(n);
      String text = "push-" + i;
      long t = System.nanoTime();
      String form = "to=" + URLEncoder.encode(r.phone(), StandardCharsets.UTF_8) + "&text=" + text
          + "&csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8) + "&nonce="
          + String.format(Locale.ROOT, "%016x", System.nanoTime());
      http.send(HttpRequest.newBuilder(URI.create(base + "/chat")).header("X-MSISDN", sender)
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
          .build(), HttpResponse.BodyHandlers.discarding());
      r.await(text, Duration.ofSeconds(10));
      ms[i] = (System.nanoTime() - t) / 1_000_000;
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "push to a random open stream (%d): p50 %d ms, p99 %d ms, max %d ms%n", pushes,
        ms[pushes / 2], ms[Math.min(pushes - 1, (int) (pushes * 0.99))], ms[pushes - 1]);
  }

  private static void awaitReady(HttpClient http, String base) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("gateway not ready");
  }

  private static double metric(HttpClient http, String base, String name) throws Exception {
    return sum(http, base, name, "");
  }

  private static double sum(HttpClient http, String base, String name, String labelPart) throws Exception {
    String text = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double total = 0;
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(name) && m.group(2).contains(labelPart)) {
        total += Double.parseDouble(m.group(3));
      }
    }
    return total;
  }

  private static long rssKiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return 0;
  }

  /** The lines of one stream, read by its own virtual thread when a push is awaited. */
  private static final class BlockingLines {
    private final BufferedReader in;
    private final String phone;

    BlockingLines(InputStream in, String phone) {
      this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      this.phone = phone;
    }

    String line() throws IOException {
      String l = in.readLine();
      if (l == null) {
        throw new IOException("closed");
      }
      return l;
    }

    String phone() {
      return phone;
    }

    void await(String text, Duration timeout) throws IOException {
      long until = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < until) {
        if (line().contains(text)) {
          return;
        }
      }
      throw new IOException("no push of " + text);
    }
  }
}
