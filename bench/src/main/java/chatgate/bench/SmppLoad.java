package chatgate.bench;

import chatgate.app.Gateway;
import chatgate.app.config.ConfigLoader;
import chatgate.core.model.Msisdn;
import chatgate.sms.peer.NodeSmsc;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import one.profiler.AsyncProfiler;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;

/**
 * MT segments per second to the npm {@code smpp} SMSC (same peer, same run, receipts requested
 * on both sides): first a bare jSMPP client with {@code window} submitting threads, then
 * chatgate, whose every MT is a web chat message stored, routed by the delivery stage and
 * submitted through its SMPP link with the same window.
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests   # and npm ci in sms/src/test/node (scripts/test does)
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/bench.jar chatgate.bench.SmppLoad [messages=5000] [window=10]
 * </pre>
 * Run it from the repository root (the peer's script is found under sms/src/test/node). For each
 * chatgate phase it prints the store writer's figures over the measured half (from /metrics);
 * {@code -Dsmppload.profile=cpu} (or {@code wall}) also profiles that half with async-profiler and
 * prints where the collapsed stacks went. {@code -Dsmppload.store=jdbc:postgresql://host/db} (and
 * {@code -Dsmppload.store_user=}) runs the chatgate phases on that store instead of a new SQLite
 * file; give it an empty database for each run.
 */
public final class SmppLoad {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    // Extra arguments go to the SMSC peer, e.g. --no-dlr to measure without receipts.
    String[] peer = Arrays.copyOfRange(args, Math.min(2, args.length), args.length);
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // The bare client runs before and after chatgate and the mean is the reference: on a shared
    // (virtual) machine the CPU the two get differs from minute to minute, by 2x at times.
    double bareBefore;
    try (NodeSmsc smsc = NodeSmsc.start(peer)) {
      bare(smsc, messages / 5, window, null); // warm-up
      bareBefore = bare(smsc, messages, window, "bare jSMPP (before)");
    }
    double outbox;
    try (NodeSmsc smsc = NodeSmsc.start(peer)) {
      outbox = chatgate(smsc, messages, window, false);
    }
    double gw;
    try (NodeSmsc smsc = NodeSmsc.start(peer)) {
      gw = chatgate(smsc, messages, window, true);
    }
    double bareAfter;
    try (NodeSmsc smsc = NodeSmsc.start(peer)) {
      bareAfter = bare(smsc, messages, window, "bare jSMPP (after)");
    }
    double bare = (bareBefore + bareAfter) / 2;
    System.out.printf("bare jSMPP: %.0f segments/s (%.0f before, %.0f after); chatgate outbox (in-process MT): %.0f"
            + " segments/s, ratio %.0f%%; chatgate from web chat over HTTP: %.0f segments/s, ratio %.0f%%"
            + " (messages=%d, window=%d, cores=%d)%n",
        bare, bareBefore, bareAfter, outbox, 100 * outbox / bare, gw, 100 * gw / bare, messages, window,
        Runtime.getRuntime().availableProcessors());
    System.exit(0);
  }

  static double bare(NodeSmsc smsc, int messages, int window, String label) throws Exception {
    SMPPSession s = new SMPPSession();
    s.setTransactionTimer(10_000);
    s.setMessageReceiverListener(new MessageReceiverListener() {
      @Override
      public void onAcceptDeliverSm(DeliverSm d) {}

      @Override
      public void onAcceptAlertNotification(AlertNotification a) {}

      @Override
      public DataSmResult onAcceptDataSm(DataSm d, Session src) {
        return null;
      }
    });
    s.connectAndBind(NodeSmsc.HOST, smsc.port(), new BindParameter(BindType.BIND_TRX, NodeSmsc.SYSTEM_ID,
        NodeSmsc.PASSWORD, "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
    byte[] body = "13900000001: bench message with a reply link http://gw.example/r/AbCdEfGhIjKl".getBytes(StandardCharsets.US_ASCII);
    AtomicInteger next = new AtomicInteger();
    Cpu cpu = Cpu.now();
    long t0 = System.nanoTime();
    try (var pool = Executors.newFixedThreadPool(window)) {
      for (int w = 0; w < window; w++) {
        pool.submit(() -> {
          while (next.getAndIncrement() < messages) {
            s.submitShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.ISDN, "10658",
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "8613700000001", new ESMClass(), (byte) 0,
                (byte) 0, null, null, new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0,
                GeneralDataCoding.DEFAULT, (byte) 0, body);
          }
          return null;
        });
      }
    }
    double rate = messages / ((System.nanoTime() - t0) / 1e9);
    if (label != null) {
      cpu.printSince(label, messages);
    }
    s.unbindAndClose();
    return rate;
  }

  static double chatgate(NodeSmsc smsc, int messages, int window, boolean overHttp) throws Exception {
    Path dir = Files.createTempDirectory("smppload");
    Files.writeString(dir.resolve("load.toml"), """
        [http]
        listen = "127.0.0.1:0"
        public_url = "http://gw.example"
        trusted_proxies = ["127.0.0.1/32"]
        [store]
        url = "%s"
        user = "%s"
        [smpp]
        host = "127.0.0.1"
        port = %d
        system_id = "%s"
        password = "%s"
        throughput = 100000
        window = %d
        [log]
        level = "warn"
        [chat]
        # load, not people: the per-phone quotas (issue 15) stay out of the way
        messages_per_minute = 100000
        daily_messages = 10000000
        daily_sms_segments = 10000000
        """.formatted(System.getProperty("smppload.store", "jdbc:sqlite:" + dir.resolve("load.db")),
        System.getProperty("smppload.store_user", ""), smsc.port(), NodeSmsc.SYSTEM_ID, NodeSmsc.PASSWORD, window));
    try (Gateway g = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(dir.resolve("load.toml"))))) {
      if (!overHttp) {
        // MT handed to the outbox in-process, as the sendsms and IM paths do after parsing:
        // durable accept, delivery stage, submit_sm, SMSC id and receipt recorded.
        return measure(smsc, messages, (from, to) -> outbox(g, from, to), g);
      }
      String base = "http://127.0.0.1:" + g.httpPort();
      HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      String sender = "+8613900000001";
      String page = http.send(HttpRequest.newBuilder(URI.create(base + "/chat")).header("X-MSISDN", sender).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = CSRF.matcher(page);
      if (!m.find()) {
        throw new IllegalStateException("no csrf");
      }
      String csrf = m.group(1);
      return measure(smsc, messages, (from, to) -> post(http, base, sender, csrf, from, to), g);
    }
  }

  /** Sends messages [from, to) into the gateway. */
  @FunctionalInterface
  private interface Load {
    void send(int from, int to) throws Exception;
  }

  /**
   * A warm-up as long as the measured run (the gateway path has far more code to compile than the
   * bare client: with half as many, JFR still showed the C2 compiler threads at ~16 % of the CPU in
   * the measured run), then segments/s from the first message of the measured run to the peer
   * seeing its last submit.
   */
  private static double measure(NodeSmsc smsc, int messages, Load load, Gateway g) throws Exception {
    int warm = messages;
    load.send(0, warm);
    await(smsc, warm);
    double[] writerBefore = writer(g);
    String profile = System.getProperty("smppload.profile", "");
    if (!profile.isEmpty()) {
      AsyncProfiler.getInstance().execute("start,event=" + profile + ",interval=" + (profile.equals("cpu") ? "1ms" : "5ms"));
    }
    Cpu cpu = Cpu.now();
    long t0 = System.nanoTime();
    load.send(warm, warm + messages);
    await(smsc, warm + messages);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (!profile.isEmpty()) {
      Path out = Files.createTempFile("smppload-" + profile + "-", ".collapsed");
      AsyncProfiler.getInstance().execute("stop,file=" + out + ",collapsed");
      System.out.println("profile of the measured half (collapsed stacks): " + out);
    }
    cpu.printSince("chatgate", messages);
    double[] w = writer(g);
    double writes = w[0] - writerBefore[0];
    double batches = w[1] - writerBefore[1];
    System.out.printf("  store writer in the measured half: %.2f writes per MT, %.1f writes per transaction,"
            + " busy %.0f %% of the time, %.2f ms per commit%n", writes / messages, writes / batches,
        100 * (w[2] - writerBefore[2]) / seconds, 1000 * (w[3] - writerBefore[3]) / batches);
    return messages / seconds;
  }

  /**
   * CPU time used so far by this JVM (the load generator and, in the chatgate phases, the gateway)
   * and by its child processes (the node SMSC peer): what a segment costs on the shared cores.
   */
  private record Cpu(long jvmNanos, long peerNanos) {
    static Cpu now() {
      long jvm = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
      long peer = ProcessHandle.current().descendants()
          .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
      return new Cpu(jvm, peer);
    }

    void printSince(String phase, int segments) {
      Cpu n = now();
      System.out.printf("  %s: CPU per segment %.0f µs in this JVM + %.0f µs in the SMSC peer%n", phase,
          (n.jvmNanos - jvmNanos) / 1e3 / segments, (n.peerNanos - peerNanos) / 1e3 / segments);
    }
  }

  /** The store writer's counters from the gateway's own /metrics: writes, batches, busy s, commit s. */
  private static double[] writer(Gateway g) throws Exception {
    String m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.httpPort()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    String[] series = {"chatgate_store_writes_total", "chatgate_store_write_batches_total",
        "chatgate_store_writer_busy_seconds_total", "chatgate_store_commit_seconds_total"};
    double[] v = new double[series.length];
    for (int i = 0; i < series.length; i++) {
      Matcher x = Pattern.compile("(?m)^" + series[i] + " (\\S+)$").matcher(m);
      if (!x.find()) {
        throw new IllegalStateException("no " + series[i] + " in /metrics");
      }
      v[i] = Double.parseDouble(x.group(1));
    }
    return v;
  }

  private static void outbox(Gateway g, int from, int to) throws Exception {
    each(from, to, n -> g.chat().plainSms(Msisdn.of("+86137" + String.format("%08d", n % 200)),
        "13900000001: bench message " + n + " with a reply link http://gw.example/r/AbCdEfGh", null, m -> {}));
  }

  private static void post(HttpClient http, String base, String sender, String csrf, int from, int to) throws Exception {
    each(from, to, n -> {
      String form = "to=" + enc("+86137" + String.format("%08d", n % 200)) + "&text=" + enc("bench message " + n)
          + "&csrf=" + enc(csrf);
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/chat"))
          .header("X-MSISDN", sender).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() != 302) {
        throw new IllegalStateException("HTTP " + r.statusCode());
      }
    });
  }

  /** One message's work, numbered. */
  private interface Send {
    void run(int n) throws Exception;
  }

  /** Runs {@code send} for n in [from, to) on virtual threads, 64 in flight at most (as many clients would). */
  private static void each(int from, int to, Send send) throws Exception {
    Semaphore inFlight = new Semaphore(64);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = from; i < to; i++) {
        int n = i;
        inFlight.acquire();
        pool.submit(() -> {
          try {
            send.run(n);
          } finally {
            inFlight.release();
          }
          return null;
        });
      }
    }
  }

  private static void await(NodeSmsc smsc, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (smsc.count("submit_sm") < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + smsc.count("submit_sm") + " of " + n + " submits");
      }
      Thread.sleep(20);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
