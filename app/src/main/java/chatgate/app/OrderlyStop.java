package chatgate.app;

import chatgate.app.metrics.GatewayMetrics;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.im.ImRelay;
import chatgate.sms.sim.SmscSimulator;
import chatgate.store.JdbcStore;
import chatgate.web.HttpClientCallback;
import chatgate.web.WebServer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's stop, in order and under one deadline (issue 20, ADR 0032): drain, then the
 * listener, the IM sessions and the delivery stage side by side, the unbind as soon as the stage
 * has stopped, then the cluster's leases and claims, and the store. A part that overruns its share is left to the process exit.
 */
final class OrderlyStop {
  private static final Logger log = LoggerFactory.getLogger(OrderlyStop.class);
  /**
   * The whole stop, from SIGTERM to the store closed: the contract's 10 s less a margin for the
   * JVM's own exit. Each part gets what is left of it, not a timeout of its own (issue 20).
   */
  static final Duration BUDGET = Duration.ofMillis(6_500);
  /** Of the stop budget, what the IM sessions get to close their streams before they are cut. */
  private static final Duration IM_STOP = Duration.ofMillis(2_000);
  /** Of the stop budget, what deliveries under way get to finish before they are handed back. */
  private static final Duration STAGE_STOP = Duration.ofMillis(1_500);
  /** Of the stop budget, what the SMPP link gets to unbind before its socket is left to the exit. */
  private static final Duration SMPP_STOP = Duration.ofMillis(1_500);

  /** What a stop closes; any may be null where the gateway runs without it. */
  record Parts(Housekeeping housekeeping, IntSupplier drain, WebServer web, HttpClientCallback dlrCalls, ImRelay im,
      DeliveryStage stage, SmsChannel sms, ClusterParts cluster, JdbcStore store, SmscSimulator simulator,
      GatewayMetrics metrics) {}

  private OrderlyStop() {}

  static void run(Parts p) {
    long t0 = System.nanoTime();
    Instant deadline = Instant.now().plus(BUDGET);
    StringBuilder took = new StringBuilder();
    if (p.housekeeping() != null) {
      p.housekeeping().close();
    }
    int streams = p.drain().getAsInt();
    // The listener, the IM sessions and the delivery stage stop side by side: none needs another
    // (a text the stage hands to a session being closed comes back "retry" and stays queued).
    AtomicInteger cut = new AtomicInteger();
    AtomicInteger handedBack = new AtomicInteger();
    Instant firstPhase = earliest(Instant.now().plus(IM_STOP).plusMillis(600), deadline);
    Thread webStop = Thread.ofPlatform().name("stop-web").start(() -> {
      p.web().close();
      lap(took, "web", t0);
    });
    if (p.dlrCalls() != null) {
      // Jetty's HttpClient took 4 s to stop on a loaded machine (StopUnderLoadIT): not waited for,
      // the process exit ends what it still holds.
      Thread.ofPlatform().daemon().name("stop-dlr-calls").start(p.dlrCalls()::close);
    }
    Thread imStop = Thread.ofPlatform().name("stop-im").start(() -> {
      if (p.im() != null) {
        cut.set(p.im().close(earliest(Instant.now().plus(IM_STOP), deadline)));
        lap(took, "im", t0);
      }
    });
    handedBack.set(p.stage().stop(earliest(Instant.now().plus(STAGE_STOP), deadline)));
    lap(took, "stage", t0);
    // Neither the listener nor the IM sessions need the SMPP link: the unbind (and, in a cluster,
    // giving up the bind lease while NATS is still connected) starts as soon as the stage has
    // stopped submitting, beside them, so another node binds without waiting for the listener's
    // graceful close (RollingRestartIT's pause in submissions). A part still closing at its
    // deadline (an SMSC slow to answer the unbind) is left to the process exit.
    Instant smppUntil = earliest(Instant.now().plus(SMPP_STOP), deadline);
    Thread smppStop = Thread.ofPlatform().name("stop-link").start(() -> {
      bounded("smpp", p.sms()::close, smppUntil);
      lap(took, "smpp", t0);
    });
    for (Thread t : new Thread[] {webStop, imStop, smppStop}) {
      try {
        Duration left = Duration.between(Instant.now(), firstPhase);
        if (!t.join(left.isNegative() ? Duration.ofMillis(1) : left)) {
          log.warn("stopping: {} not done by its deadline, left to the process exit", t.getName());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // From here each part gets what is left of the deadline and no more.
    if (p.cluster() != null) {
      bounded("cluster", () -> {
        try {
          int released = p.store().messages().releaseClaims();
          if (released > 0) {
            log.info("released the claims on {} deliveries: the other nodes take them now", released);
          }
        } catch (RuntimeException e) {
          log.warn("releasing delivery claims failed (the other nodes take them when they run out): {}",
              e.toString());
        }
        p.cluster().close(); // worker id, IM ownership and presence go at once, not by TTL
      }, deadline);
      lap(took, "cluster", t0);
    }
    if (p.simulator() != null) {
      bounded("simulator", p.simulator()::close, deadline);
    }
    bounded("store", p.store()::close, deadline);
    if (p.metrics() != null) {
      p.metrics().close();
    }
    log.info("chatgate stopped in {} ms ({} event streams closed, {} IM sessions cut, {} deliveries handed back;"
        + " ms from the start of the stop:{})", (System.nanoTime() - t0) / 1_000_000, streams, cut, handedBack, took);
  }

  /** Runs one part of the stop, waiting for it until {@code until} at most (then it is left to the exit). */
  private static void bounded(String part, Runnable r, Instant until) {
    Thread t = Thread.ofPlatform().daemon().name("stop-" + part).start(() -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("stopping {} failed", part, e);
      }
    });
    try {
      Duration left = Duration.between(Instant.now(), until);
      if (!t.join(left.isNegative() ? Duration.ofMillis(1) : left)) {
        log.warn("stopping {}: not done by the stop deadline, left to the process exit", part);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Notes when a part of the stop was done, for the stop's one log line. */
  private static void lap(StringBuilder took, String part, long t0) {
    synchronized (took) {
      took.append(' ').append(part).append(' ').append((System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
