package chatgate.bench;

import chatgate.app.Gateway;
import chatgate.app.ScratchConfig;
import chatgate.app.config.ConfigLoader;
import chatgate.core.model.Msisdn;
import chatgate.sms.sim.SmscSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bounded SMS-pumping benchmark of issue 15: login-code requests from many distinct loopback
 * source addresses (any 127.x.y.z is loopback on Linux: each client socket is bound to its own),
 * each to its own number, as plain HTTP/1.1 with the CSRF cookie and token the login form needs.
 * It prints the requests, the answers by status, the code SMS the built-in SMSC actually received
 * and the configured budget, and exits 1 if more SMS went out than the budget allows.
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/bench.jar chatgate.bench.PumpingBench \
 *     --addresses 1000 --per-minute 30 --daily 100
 * </pre>
 * The gateway runs in the same JVM on embedded defaults (SQLite in a temporary folder, the SMSC
 * simulator) with the given {@code [login] codes_per_minute} and {@code daily_codes}.
 */
public final class PumpingBench {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern COOKIE = Pattern.compile("(?im)^Set-Cookie: *([^=;\\s]+=[^;\\r\\n]*)");

  /** What a run saw. */
  public record Result(int requests, Map<Integer, Integer> byStatus, int smsSubmitted, int budget, long millis) {
    @Override
    public String toString() {
      return "requests " + requests + " from " + requests + " loopback addresses to " + requests + " numbers in "
          + millis + " ms\nanswers by status " + byStatus + "\ncode SMS submitted to the SMSC " + smsSubmitted
          + "\nconfigured budget " + budget;
    }
  }

  private PumpingBench() {}

  public static void main(String[] args) throws Exception {
    int addresses = 1000;
    int perMinute = 30;
    int daily = 100;
    int concurrency = 64;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--addresses" -> addresses = Integer.parseInt(args[i + 1]);
        case "--per-minute" -> perMinute = Integer.parseInt(args[i + 1]);
        case "--daily" -> daily = Integer.parseInt(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Result r = run(addresses, perMinute, daily, concurrency);
    System.out.println(r);
    if (r.smsSubmitted() > r.budget()) {
      System.out.println("FAILED: more code SMS than the budget");
      System.exit(1);
    }
  }

  /**
   * Runs a gateway and the pumping clients; the budget returned is what the limits allow for the
   * run: {@code daily_codes}, or {@code codes_per_minute} per minute window the run touched if less.
   */
  public static Result run(int addresses, int perMinute, int daily, int concurrency) throws Exception {
    if (addresses > 250 * 250) {
      throw new IllegalArgumentException("at most 62,500 addresses");
    }
    Path dir = Files.createTempDirectory("chatgate-pumping");
    Path config = ScratchConfig.write(dir, """
        [login]
        codes_per_minute = %d
        daily_codes = %d
        """.formatted(perMinute, daily));
    try (Gateway g = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)))) {
      int port = g.httpPort();
      Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
      List<Msisdn> numbers = new ArrayList<>();
      long firstMinute = System.currentTimeMillis() / 60_000;
      long started = System.nanoTime();
      Semaphore open = new Semaphore(concurrency);
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < addresses; i++) {
          // 127.1.1.1, 127.1.1.2, …: one source address per client, never 127.0.0.1 (the gateway's own).
          InetAddress from = InetAddress.getByAddress(new byte[] {127, 1, (byte) (1 + i / 250), (byte) (1 + i % 250)});
          // Each number in a block of its own: only the gateway-wide budget can hold them.
          Msisdn to = Msisdn.of(String.format("+86139%05d000", i));
          numbers.add(to);
          all.add(pool.submit(() -> {
            open.acquireUninterruptibly();
            try {
              byStatus.merge(requestCode(from, port, to.e164()), 1, Integer::sum);
            } finally {
              open.release();
            }
            return null;
          }));
        }
        for (Future<?> f : all) {
          f.get();
        }
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      long minutes = System.currentTimeMillis() / 60_000 - firstMinute + 1;
      int budget = (int) Math.min(daily, perMinute * minutes);
      // Every code the gateway agreed to send reaches the SMSC within seconds; wait for those.
      int agreed = byStatus.getOrDefault(200, 0);
      var sim = g.simulator().orElseThrow();
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int submitted = submitted(sim, numbers);
      while (submitted < agreed && System.nanoTime() < until) {
        Thread.sleep(50);
        submitted = submitted(sim, numbers);
      }
      return new Result(addresses, new TreeMap<>(byStatus), submitted, budget, millis);
    }
  }

  private static int submitted(SmscSimulator sim, List<Msisdn> numbers) {
    int n = 0;
    for (Msisdn m : numbers) {
      n += sim.inbox(m, 100).size();
    }
    return n;
  }

  /** GET /login for the CSRF cookie and token, then POST /login: two HTTP/1.1 exchanges from one source address. */
  static int requestCode(InetAddress from, int port, String phone) throws IOException {
    Response page = exchange(from, port, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
        + "Connection: close\r\n\r\n");
    Matcher token = CSRF.matcher(page.text);
    if (!token.find()) {
      return page.status == 200 ? -1 : page.status;
    }
    StringBuilder cookies = new StringBuilder();
    Matcher c = COOKIE.matcher(page.text);
    while (c.find()) {
      cookies.append(cookies.isEmpty() ? "" : "; ").append(c.group(1));
    }
    String body = "phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8) + "&csrf="
        + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
    Response answer = exchange(from, port, "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n"
        + (cookies.isEmpty() ? "" : "Cookie: " + cookies + "\r\n") + "Connection: close\r\n\r\n" + body);
    return answer.status;
  }

  private record Response(int status, String text) {}

  private static Response exchange(InetAddress from, int port, String request) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int sp = text.indexOf(' ');
      int status = sp > 0 && text.length() >= sp + 4 ? Integer.parseInt(text.substring(sp + 1, sp + 4)) : -1;
      return new Response(status, text);
    }
  }
}
