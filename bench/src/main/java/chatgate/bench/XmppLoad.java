package chatgate.bench;

import chatgate.core.auth.Keys;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.ChatSettings;
import chatgate.core.delivery.DeliverySettings;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.ids.SnowflakeIds;
import chatgate.core.im.ImRelay;
import chatgate.core.memory.LocalPresence;
import chatgate.core.memory.MemoryMessageStore;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.SmsPort;
import chatgate.core.routing.RoutingPolicy;
import chatgate.core.memory.MemoryAuthStore;
import chatgate.core.memory.MemoryGroupDirectory;
import chatgate.core.memory.MemoryImAccounts;
import chatgate.core.memory.MemoryUserDirectory;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.port.ImPort;
import chatgate.xmpp.XmppImPort;
import chatgate.xmpp.XmppSettings;
import chatgate.xmpp.peer.ProsodyServer;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How many phones one node keeps logged in to XMPP, and the SMS→XMPP relay latency at a fixed
 * rate: a real Prosody (accounts written straight into its storage), {@code sessions} phones
 * logged in through {@link ImRelay} and the XMPP adapter, then texts relayed at {@code rate}/s
 * from phones to contacts, timed from the relay call to the contact's session receiving it (each
 * text stored by the chat service, in memory here, and submitted by the delivery stage, as in the
 * gateway since ADR 0022); then
 * the stop: every session ended at once under one 2 s deadline, as the gateway stops.
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests
 * java -Xss256k -Xmx2g --enable-native-access=ALL-UNNAMED -cp bench/target/bench.jar chatgate.bench.XmppLoad [sessions=2000] [rate=500] [seconds=20]
 * </pre>
 */
public final class XmppLoad {
  public static void main(String[] args) throws Exception {
    int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int contacts = 50;
    try (ProsodyServer prosody = ProsodyServer.startPlain()) {
      prosody.bulkUsers("p", sessions, "pw", i -> "c" + (i % contacts) + "@" + ProsodyServer.DOMAIN);
      prosody.bulkUsers("c", contacts, "pw", i -> null);
      XmppImPort im = new XmppImPort(new XmppSettings(prosody.host(), prosody.port(), ProsodyServer.DOMAIN, "disabled",
          Duration.ofSeconds(60), 32, 1000, Duration.ofSeconds(30)));
      // The contacts: plain sessions that time what they receive.
      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      long[] latency = new long[rate * seconds + 1000];
      AtomicInteger got = new AtomicInteger();
      for (int i = 0; i < contacts; i++) {
        ImPort.LoginResult r = im.login(new ImPort.Credentials("c" + i, "pw".toCharArray()), new ImPort.Events() {
          @Override
          public void onMessage(String from, String text, String id) {
            Long t0 = sentAt.remove(text);
            if (t0 != null) {
              int n = got.getAndIncrement();
              if (n < latency.length) {
                latency[n] = System.nanoTime() - t0;
              }
            }
          }

          @Override
          public void onPresence(ImPort.Contact contact) {}

          @Override
          public void onEnded(ImPort.EndReason why, String reason) {}
        }, Duration.ofSeconds(60)).toCompletableFuture().get();
        if (!(r instanceof ImPort.LoginResult.Ok)) {
          throw new IllegalStateException("contact login: " + r);
        }
      }
      // The production path from the relay call on: the chat service stores each text (here in
      // memory) and the delivery stage submits it through the relay's session (ADR 0022).
      MemoryGroupDirectory groups = new MemoryGroupDirectory();
      MemoryUserDirectory users = new MemoryUserDirectory(groups);
      Clock clock = Clock.systemUTC();
      MemoryMessageStore store = new MemoryMessageStore();
      LocalPresence presence = new LocalPresence(Duration.ofSeconds(60), Duration.ofMinutes(15));
      Keys keys = Keys.random();
      ChatSettings chatSettings = new ChatSettings(1000, Duration.ofHours(72), Duration.ofSeconds(60), "http://gw.test");
      ChatService chat = new ChatService(users, groups, store, presence, new SnowflakeIds(1, clock),
          new NumberPlan("CN"), clock, chatSettings, keys);
      DeliveryStage stage = new DeliveryStage(store, users, groups, presence, new RoutingPolicy(n -> true),
          sms -> CompletableFuture.completedFuture(new SmsPort.SubmitOutcome.Failed("no SMSC in this harness")),
          (recipient, item) -> false, clock,
          new DeliverySettings(Duration.ofSeconds(60), Duration.ofHours(72), 5, Duration.ofSeconds(5),
              Duration.ofMinutes(10), Duration.ofMillis(200), 4, 10_000, Duration.ZERO, Duration.ofSeconds(10)),
          chatSettings, chat::label, keys);
      chat.dispatcher(stage);
      AtomicInteger replies = new AtomicInteger();
      ImRelay relay = new ImRelay(im, new MemoryImAccounts(), new MemoryAuthStore(), users,
          counting(ImRelay.Texter.of(chat), replies), clock,
          new ImRelay.Settings(3, Duration.ofSeconds(60), Duration.ofHours(24), 5, Duration.ofMinutes(15)))
          .spooled(chat, stage);
      stage.start();
      System.gc();
      long heapBefore = usedHeap();
      int threadsBefore = Thread.activeCount();
      long t0 = System.nanoTime();
      CountDownLatch done = new CountDownLatch(sessions);
      AtomicInteger failed = new AtomicInteger();
      // Phones log in as they would text in: a steady stream, not 10,000 at the same instant (the
      // adapter's cap answers "try later" to a login that waits longer than its timeout).
      Semaphore inFlight = new Semaphore(64);
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < sessions; i++) {
          int n = i;
          inFlight.acquire();
          pool.submit(() -> {
            Msisdn phone = phone(n);
            try {
              relay.login(phone, Language.EN, "p" + n, "pw".toCharArray(), "load" + n);
              if (!relay.loggedIn(phone)) {
                failed.incrementAndGet();
              }
            } finally {
              done.countDown();
              inFlight.release();
            }
          });
        }
        done.await();
      }
      double loginSeconds = (System.nanoTime() - t0) / 1e9;
      System.gc();
      long heapAfter = usedHeap();
      int threads = ManagementFactory.getThreadMXBean().getThreadCount();
      System.out.printf("sessions: %d logged in (%d failed) in %.1f s (%.0f/s); heap +%d MiB (%.0f KiB/session); "
              + "JVM threads %d (before %d)%n", sessions - failed.get(), failed.get(), loginSeconds,
          sessions / loginSeconds, (heapAfter - heapBefore) >> 20, (heapAfter - heapBefore) / 1024.0 / sessions, threads,
          threadsBefore);
      // Phone n has contact c(n mod 50) on its roster, as a phone texting "@c7 …" would address it.
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime() + 500_000_000L;
      int total = rate * seconds;
      for (int i = 0; i < total; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        String text = "m" + i;
        sentAt.put(text, System.nanoTime());
        relay.sendByName(phone(i % sessions), Language.EN, "c" + (i % contacts) + "@localhost", text, "r" + i);
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (got.get() < total && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      int n = Math.min(got.get(), latency.length);
      long[] l = Arrays.copyOf(latency, n);
      Arrays.sort(l);
      System.out.printf("relay at %d/s for %d s: %d of %d arrived; latency ms p50 %.2f p99 %.2f max %.2f; heap %d MiB%n",
          rate, seconds, n, total, pct(l, 0.50), pct(l, 0.99), n == 0 ? 0 : l[n - 1] / 1e6, usedHeap() >> 20);
      System.out.printf("SMS answers to the phones (login replies, refusals): %d%n", replies.get());
      // Stopping (issue 20): every session ends at once under the gateway's deadline for IM (2 s).
      int open = relay.sessions();
      long s0 = System.nanoTime();
      int cut = relay.close(Instant.now().plusMillis(2_000));
      stage.close();
      System.out.printf("stop: %d sessions ended in %.2f s (%d cut at the deadline: the server had not closed"
          + " its stream)%n", open, (System.nanoTime() - s0) / 1e9, cut);
    }
    System.exit(0);
  }

  /** Counts what the relay answers the phones by SMS: one login reply each, and any refusal. */
  static ImRelay.Texter counting(ImRelay.Texter texter, AtomicInteger replies) {
    return (to, text, ref, solicited) -> {
      replies.incrementAndGet();
      texter.send(to, text, ref, solicited);
    };
  }

  static Msisdn phone(int n) {
    return Msisdn.of("+86139" + String.format("%08d", n));
  }

  static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
  }

  static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private XmppLoad() {}
}
