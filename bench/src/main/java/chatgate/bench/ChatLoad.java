package chatgate.bench;

import chatgate.app.Gateway;
import chatgate.app.config.ConfigLoader;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.util.Fields;

/**
 * Load harness of the chat service (issue 3): web senders post chat messages over HTTP to
 * recipients whose pages hold an open event stream, so every message is accepted (HTTP 302 after
 * the SQLite commit), stored, routed and pushed live. It measures messages/s and the latency from
 * the moment a message was due to be sent to (a) its HTTP answer and (b) its arrival on the
 * recipient's stream. With {@code --rate R} the load is open-loop at R messages/s (latency counted
 * from the scheduled time, so a stall is not hidden); with {@code --rate 0} {@code --concurrency}
 * senders post as fast as they can, for the maximum.
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -Xmx1g -cp bench/target/bench.jar chatgate.bench.ChatLoad --rate 2000 --seconds 30
 * java --enable-native-access=ALL-UNNAMED -Xmx1g -cp bench/target/bench.jar chatgate.bench.ChatLoad --rate 0 --concurrency 64 --seconds 30
 * </pre>
 * With {@code --nodes http://127.0.0.1:8081,http://127.0.0.1:8082} it loads running gateways instead
 * (bench/cluster-bench.sh starts a cluster): sender i posts to node i mod n and its recipient
 * listens on the next node, so with several nodes every push crosses nodes.
 * Otherwise the gateway runs in the same JVM on embedded defaults (SQLite in a temporary folder, the SMSC
 * simulator), with 127.0.0.1 as a trusted proxy so that load phones identify by X-MSISDN.
 */
public final class ChatLoad {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern EVENT_ID = Pattern.compile("\"id\":\"(\\d+)\"");
  private static final Pattern LOAD_BODY = Pattern.compile("\"body\":\"load (\\d+) (\\d+)\"");

  private final int rate;
  private final int concurrency;
  private final int seconds;
  private final int warmup;
  private final int pairs;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  private final org.eclipse.jetty.client.HttpClient poster = new org.eclipse.jetty.client.HttpClient();
  /** The gateway nodes: senders post to one, their recipients listen on the next (so pushes cross nodes). */
  private List<String> bases = List.of();
  private final List<String> csrf = new ArrayList<>();

  private final long[] acceptLatency = new long[4_000_000];
  private final long[] pushLatency = new long[4_000_000];
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger pushed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicLong seq = new AtomicLong();
  private volatile long measureFrom;
  private volatile long measureTo = Long.MAX_VALUE;

  ChatLoad(int rate, int concurrency, int seconds, int warmup, int pairs) {
    this.rate = rate;
    this.concurrency = concurrency;
    this.seconds = seconds;
    this.warmup = warmup;
    this.pairs = pairs;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    ChatLoad load = new ChatLoad(
        Integer.parseInt(a.getOrDefault("rate", "2000")),
        Integer.parseInt(a.getOrDefault("concurrency", "64")),
        Integer.parseInt(a.getOrDefault("seconds", "30")),
        Integer.parseInt(a.getOrDefault("warmup", "10")),
        Integer.parseInt(a.getOrDefault("pairs", "50")));
    if (a.containsKey("nodes")) {
      // Running gateways (a cluster started by bench/cluster-bench.sh): nothing in-process.
      load.bases = List.of(a.get("nodes").split(","));
      load.run();
      System.exit(0);
    }
    Path dir = Files.createTempDirectory("chatload");
    String toml = """
        [http]
        listen = "127.0.0.1:0"
        trusted_proxies = ["127.0.0.1/32"]
        [store]
        url = "jdbc:sqlite:%s"
        [log]
        level = "warn"
        [simulator]
        listen = "127.0.0.1:0"
        [chat]
        # load, not people: the per-phone quotas (issue 15) stay out of the way
        messages_per_minute = 100000
        daily_messages = 10000000
        daily_sms_segments = 10000000
        """.formatted(dir.resolve("load.db"));
    Files.writeString(dir.resolve("load.toml"), toml);
    try (Gateway g = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(dir.resolve("load.toml"))))) {
      load.bases = List.of("http://127.0.0.1:" + g.httpPort());
      load.run();
    }
    System.exit(0);
  }

  private static String sender(int i) {
    return "+86139" + String.format("%08d", i);
  }

  private static String receiver(int i) {
    return "+86137" + String.format("%08d", i);
  }

  private void run() throws Exception {
    poster.setMaxConnectionsPerDestination(Math.max(8, Math.min(concurrency, 64)));
    poster.setFollowRedirects(false);
    poster.setMaxRequestsQueuedPerDestination(1_000_000);
    poster.start();
    for (int i = 0; i < pairs; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(senderNode(i) + "/chat"))
          .header("X-MSISDN", sender(i)).GET().build(), HttpResponse.BodyHandlers.ofString());
      Matcher m = CSRF.matcher(r.body());
      if (!m.find()) {
        throw new IllegalStateException("no csrf: " + r.statusCode());
      }
      csrf.add(m.group(1));
    }
    CountDownLatch streams = new CountDownLatch(pairs);
    for (int i = 0; i < pairs; i++) {
      String who = receiver(i);
      String node = receiverNode(i);
      Thread.ofVirtual().start(() -> listen(node, who, streams));
    }
    streams.await();
    Thread.sleep(bases.size() > 1 ? 2_000 : 300); // a cluster's presence travels by KV watch

    long start = System.nanoTime();
    measureFrom = start + warmup * 1_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    measureTo = end;
    if (rate > 0) {
      openLoop(start, end);
    } else {
      closedLoop(end);
    }
    Thread.sleep(2_000); // let the last pushes arrive
    report();
  }

  private void openLoop(long start, long end) {
    long period = 1_000_000_000L / rate;
    for (long i = 0; ; i++) {
      long due = start + i * period;
      if (due >= end) {
        break;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Thread.ofVirtual().start(() -> post(due));
    }
  }

  private void closedLoop(long end) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int c = 0; c < concurrency; c++) {
      Thread.ofVirtual().start(() -> {
        while (System.nanoTime() < end) {
          post(System.nanoTime());
        }
        done.countDown();
      });
    }
    done.await();
  }

  private void post(long due) {
    long n = seq.incrementAndGet();
    int pair = (int) (n % pairs);
    Fields form = new Fields();
    form.put("to", receiver(pair));
    form.put("text", "load " + n + " " + due);
    form.put("csrf", csrf.get(pair));
    form.put("nonce", nonce());
    try {
      var r = poster.POST(senderNode(pair) + "/chat").headers(h -> h.put("X-MSISDN", sender(pair)))
          .body(new FormRequestContent(form)).timeout(30, TimeUnit.SECONDS).send();
      long now = System.nanoTime();
      if (r.getStatus() != 302) {
        failed.incrementAndGet();
        return;
      }
      if (due >= measureFrom && due < measureTo) {
        int i = accepted.getAndIncrement();
        if (i < acceptLatency.length) {
          acceptLatency[i] = now - due;
        }
      }
    } catch (Exception e) {
      failed.incrementAndGet();
    }
  }

  private String senderNode(int pair) {
    return bases.get(pair % bases.size());
  }

  private String receiverNode(int pair) {
    return bases.get((pair + 1) % bases.size());
  }

  /**
   * One recipient's open page: its stream, and the acknowledgements its script sends for what it
   * showed (a push counts as delivered only then, issue 16), gathered for up to 100 ms as the
   * page's script gathers them.
   */
  private void listen(String node, String who, CountDownLatch opened) {
    try {
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(node + "/chat"))
          .header("X-MSISDN", who).GET().build(), HttpResponse.BodyHandlers.ofString());
      Matcher token = CSRF.matcher(page.body());
      String pageCsrf = token.find() ? token.group(1) : "";
      HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(node + "/events"))
          .header("X-MSISDN", who).GET().build(), HttpResponse.BodyHandlers.ofLines());
      opened.countDown();
      Iterator<String> lines = r.body().iterator();
      StringBuilder ids = new StringBuilder();
      long lastAck = System.nanoTime();
      while (lines.hasNext()) {
        String line = lines.next();
        if (!line.startsWith("data: ")) {
          continue;
        }
        long now = System.nanoTime();
        Matcher m = LOAD_BODY.matcher(line);
        if (m.find()) {
          long due = Long.parseLong(m.group(2));
          if (due >= measureFrom && due < measureTo) {
            int i = pushed.getAndIncrement();
            if (i < pushLatency.length) {
              pushLatency[i] = now - due;
            }
          }
        }
        Matcher id = EVENT_ID.matcher(line);
        if (id.find()) {
          ids.append(ids.isEmpty() ? "" : ",").append(id.group(1));
        }
        if (!ids.isEmpty() && (now - lastAck > 100_000_000L || ids.length() > 1500)) {
          acknowledge(node, who, pageCsrf, ids.toString());
          ids.setLength(0);
          lastAck = now;
        }
      }
    } catch (Exception e) {
      opened.countDown();
    }
  }

  private void acknowledge(String node, String who, String pageCsrf, String ids) {
    Fields form = new Fields();
    form.put("ids", ids);
    form.put("csrf", pageCsrf);
    poster.POST(node + "/events/ack").headers(h -> h.put("X-MSISDN", who)).body(new FormRequestContent(form))
        .send(result -> { });
  }

  private static String nonce() {
    char[] c = new char[16];
    String abc = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < c.length; i++) {
      c[i] = abc.charAt(r.nextInt(abc.length()));
    }
    return new String(c);
  }

  private void report() {
    int na = Math.min(accepted.get(), acceptLatency.length);
    int np = Math.min(pushed.get(), pushLatency.length);
    long[] al = Arrays.copyOf(acceptLatency, na);
    long[] pl = Arrays.copyOf(pushLatency, np);
    Arrays.sort(al);
    Arrays.sort(pl);
    Runtime rt = Runtime.getRuntime();
    System.out.printf("mode=%s seconds=%d pairs=%d cores=%d nodes=%d%n",
        rate > 0 ? "open-loop " + rate + "/s" : "closed-loop x" + concurrency, seconds, pairs, rt.availableProcessors(),
        bases.size());
    System.out.printf("accepted %d (%.0f/s), pushed %d (%.0f/s), failed %d%n",
        na, na / (double) seconds, np, np / (double) seconds, failed.get());
    System.out.printf("accept latency ms: p50 %.2f  p99 %.2f  max %.2f%n", pct(al, 0.5), pct(al, 0.99), pct(al, 1.0));
    System.out.printf("push   latency ms: p50 %.2f  p99 %.2f  max %.2f%n", pct(pl, 0.5), pct(pl, 0.99), pct(pl, 1.0));
    System.out.printf("heap used %d MiB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
    System.out.printf("posted in all (warm-up included) %d%n", seq.get());
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.floor(p * sorted.length));
    return sorted[i] / 1e6;
  }
}
