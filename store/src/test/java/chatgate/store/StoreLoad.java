package chatgate.store;

import chatgate.core.model.Delivery;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load probe of the store's write path alone (not a test): N virtual threads call
 * {@code accept} as fast as they can for a while; prints messages/s and latency percentiles.
 *
 * <pre>
 * ./mvnw -q -pl store -am test-compile
 * java --enable-native-access=ALL-UNNAMED -cp "$(cat store/target/cp.txt):store/target/classes:store/target/test-classes:core/target/classes:core/target/test-classes" \
 *   chatgate.store.StoreLoad [threads=64] [seconds=10] [jdbc-url]
 * </pre>
 * (the classpath file comes from {@code ./mvnw -q -pl store dependency:build-classpath -Dmdep.outputFile=target/cp.txt}).
 */
public final class StoreLoad {
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path tmp = Files.createTempDirectory("storeload");
    String url = args.length > 2 ? args[2] : "jdbc:sqlite:" + tmp.resolve("load.db");
    Msisdn a = Msisdn.of("+8613800000001");
    Msisdn b = Msisdn.of("+8613800000002");
    AtomicLong ids = new AtomicLong(System.currentTimeMillis() << 20);
    try (JdbcStore store = JdbcStore.open(url, "", "")) {
      long[] lat = new long[10_000_000];
      AtomicInteger n = new AtomicInteger();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long warm = System.nanoTime() + 2_000_000_000L;
      CountDownLatch done = new CountDownLatch(threads);
      for (int t = 0; t < threads; t++) {
        Thread.ofVirtual().start(() -> {
          while (System.nanoTime() < end) {
            long mid = ids.incrementAndGet();
            Message m = new Message(new MessageId(mid), Optional.of(a), b, "load test message " + mid, Origin.WEB,
                Optional.empty(), false, Instant.now());
            long t0 = System.nanoTime();
            store.messages().accept(m, List.of(Delivery.pending(ids.incrementAndGet(), m.id(), b, "t" + mid, m.acceptedAt())));
            long t1 = System.nanoTime();
            if (t0 > warm) {
              int i = n.getAndIncrement();
              if (i < lat.length) {
                lat[i] = t1 - t0;
              }
            }
          }
          done.countDown();
        });
      }
      done.await();
      int count = Math.min(n.get(), lat.length);
      long[] l = Arrays.copyOf(lat, count);
      Arrays.sort(l);
      double secs = seconds - 2;
      System.out.printf("store %s, %d threads: %.0f accepts/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
          store.engine(), threads, count / secs, l[count / 2] / 1e6, l[(int) (count * 0.99)] / 1e6,
          l[count - 1] / 1e6, count);
    }
  }
}
