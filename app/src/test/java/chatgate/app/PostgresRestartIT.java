package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import chatgate.core.chat.SendResult;
import chatgate.core.model.Delivery;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted under load (issue 6): while it is down, sends are refused (not
 * acknowledged, so not promised); once it is back the gateway accepts again with no manual
 * action, and every message it acknowledged, before or after, is delivered.
 */
class PostgresRestartIT {
  @TempDir
  Path dir;

  @Test
  @DisplayName("PostgreSQL restarted under load: refused while down, recovers alone, every acknowledged message delivered")
  void theGatewayRecoversWithoutManualAction() throws Exception {
    try (PrivatePostgres pg = PrivatePostgres.start()) {
      Path config = dir.resolve("chatgate.toml");
      TestConfig.postgres(pg.url()).simulator().set("smpp", "throughput", 2000).logLevel("warn").noQuotas()
          .write(config);
      try (Gateway g = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)))) {
        Set<MessageId> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicLong lastRefusedAt = new AtomicLong();
        AtomicLong longestSend = new AtomicLong();
        AtomicLong firstAfterRestart = new AtomicLong();
        AtomicLong restartedAt = new AtomicLong(Long.MAX_VALUE);
        Msisdn sender = Msisdn.of("+8613900000001");
        AtomicInteger seq = new AtomicInteger();
        long until = System.nanoTime() + Duration.ofSeconds(14).toNanos();
        try (var load = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
          for (int t = 0; t < 4; t++) {
            load.submit(() -> {
              while (System.nanoTime() < until) {
                int n = seq.incrementAndGet();
                long started = System.nanoTime();
                try {
                  SendResult r = g.chat().send(sender, "+86137" + String.format("%08d", n % 20), "pg#" + n,
                      Origin.WEB, null);
                  if (r instanceof SendResult.Sent s) {
                    acknowledged.add(s.message().id());
                    long now = System.nanoTime();
                    if (now > restartedAt.get()) {
                      firstAfterRestart.compareAndSet(0, now);
                    }
                  }
                } catch (RuntimeException down) {
                  refused.incrementAndGet();
                  lastRefusedAt.set(System.nanoTime());
                }
                longestSend.accumulateAndGet(System.nanoTime() - started, Math::max);
                Thread.sleep(5);
              }
              return null;
            });
          }
          Thread.sleep(3_000);
          int before = acknowledged.size();
          pg.stopServer();
          Thread.sleep(3_000);
          pg.startServer();
          restartedAt.set(System.nanoTime());
          assertThat(before).isPositive();
        }
        // The outage was felt: sends were refused, or waited for a connection until the server was back.
        assertThat(refused.get() > 0 || longestSend.get() >= Duration.ofSeconds(2).toNanos())
            .as("%d refused, longest send %d ms", refused.get(), longestSend.get() / 1_000_000).isTrue();
        assertThat(firstAfterRestart.get()).as("accepting again after the restart, with no manual action")
            .isPositive();
        // Every acknowledged message reaches its SMS outcome (the built-in SMSC takes them all).
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
            .until(() -> acknowledged.stream().allMatch(id -> {
              List<Delivery> ds = g.messages().deliveriesOf(id);
              return !ds.isEmpty() && ds.stream().allMatch(d -> d.state().done());
            }));
        long failed = acknowledged.stream().flatMap(id -> g.messages().deliveriesOf(id).stream())
            .filter(d -> d.state() == chatgate.core.model.DeliveryState.FAILED).count();
        System.out.printf("PostgresRestartIT: %d acknowledged, %d refused while down, longest send %d ms (waiting for "
            + "a connection), accepting again %.2f s after the server was back, all %d delivered (%d failed)%n",
            acknowledged.size(), refused.get(), longestSend.get() / 1_000_000,
            (firstAfterRestart.get() - restartedAt.get()) / 1e9, acknowledged.size(), failed);
        assertThat(failed).isZero();
      }
    }
  }
}
