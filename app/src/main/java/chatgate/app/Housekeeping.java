package chatgate.app;

import chatgate.core.auth.LoginService;
import chatgate.core.im.ImRelay;
import chatgate.core.sms.MoReassembler;
import chatgate.store.JdbcStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's periodic chores, on one thread: old messages and limit counters purged, expired
 * logins swept, concatenated MO whose parts stopped coming handed on, idle IM sessions ended, and
 * in a cluster the phones of dead nodes told to log in again. A chore that fails is logged and
 * tried again next round; none stops another.
 */
final class Housekeeping implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
  static final Duration PURGE_EVERY = Duration.ofMinutes(10);
  /** A login this recent is never judged orphaned (its node holds it from before it is recorded). */
  static final Duration ORPHAN_GRACE = Duration.ofSeconds(10);

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("housekeeping").daemon().factory());

  /** Starts every chore of a gateway; {@code clustered}: other nodes' logins exist and may be orphaned. */
  static Housekeeping start(JdbcStore store, Clock clock, Duration retention, LoginService login,
      MoReassembler reassembler, ImRelay im, boolean clustered) {
    Housekeeping h = new Housekeeping();
    h.every(Duration.ofSeconds(1), PURGE_EVERY, "purge", () -> {
      int n = store.messages().purge(clock.instant().minus(retention));
      store.auth().sweepLimits(clock.instant()); // counters of limit windows that have ended
      if (n > 0) {
        log.info("purged {} messages older than {}", n, retention);
      }
      return n;
    });
    h.every(Duration.ofSeconds(5), Duration.ofSeconds(30), "MO part sweep", () -> {
      int n = reassembler.sweep();
      if (n > 0) {
        log.info("handed on {} concatenated MO whose parts stopped coming", n);
      }
      return n;
    });
    h.every(Duration.ofSeconds(2), PURGE_EVERY, "login sweep", () -> {
      int n = login.sweep();
      if (n > 0) {
        log.info("swept {} expired sessions, login codes and old failure rows", n);
      }
      return n;
    });
    h.every(Duration.ofSeconds(60), Duration.ofSeconds(60), "IM idle sweep", () -> {
      im.sweepIdle();
      return 0;
    });
    if (clustered) {
      // Phones whose IM sessions were on a node that died are told to log in again (issue 7).
      h.every(Duration.ofSeconds(5), Duration.ofSeconds(5), "IM orphan sweep", () -> {
        im.tellOrphaned(ORPHAN_GRACE);
        return 0;
      });
    }
    return h;
  }

  private void every(Duration first, Duration period, String chore, IntSupplier work) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        work.getAsInt();
      } catch (RuntimeException e) {
        Failures.warn(log, chore + " failed", e);
      }
    }, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
