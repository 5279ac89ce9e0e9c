package chatgate.cluster;

import chatgate.core.model.Msisdn;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ownership of something only one node may hold (a Snowflake worker number, an upstream
 * session), as a key in a KV bucket whose TTL ends a dead holder's claim. Taken with
 * {@code create} (put-if-absent); kept by {@code update} against the revision last written, so
 * the revision is a fencing token: once another node has taken the key, this holder's renewal
 * fails and it is told, rather than both believing they own it.
 */
public final class Lease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lease.class);

  private final KeyValue kv;
  private final String key;
  private final byte[] holder;
  private volatile long revision;
  private volatile boolean held = true;
  private ScheduledFuture<?> renewal;

  private Lease(KeyValue kv, String key, byte[] holder, long revision) {
    this.kv = kv;
    this.key = key;
    this.holder = holder;
    this.revision = revision;
  }

  /** Takes the key if nobody holds it. */
  public static Optional<Lease> tryAcquire(KeyValue kv, String key, String holder) throws IOException {
    byte[] who = holder.getBytes(StandardCharsets.UTF_8);
    try {
      return Optional.of(new Lease(kv, key, who, kv.create(key, who)));
    } catch (JetStreamApiException taken) {
      return Optional.empty(); // wrong last sequence: someone holds it
    }
  }

  /** Who holds a key now, if anyone. */
  public static Optional<String> holder(KeyValue kv, String key) throws IOException {
    try {
      KeyValueEntry e = kv.get(key);
      return e == null || e.getValue() == null ? Optional.empty()
          : Optional.of(new String(e.getValue(), StandardCharsets.UTF_8));
    } catch (JetStreamApiException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * Renews every {@code everyMs} on this scheduler; {@code lost} runs once if a renewal finds the
   * key taken over (its revision moved) or gone. A NATS outage only delays renewals: the lease is
   * lost if the bucket's TTL passes meanwhile, and then the next renewal says so.
   */
  public Lease keep(ScheduledExecutorService scheduler, long everyMs, Runnable lost) {
    renewal = scheduler.scheduleWithFixedDelay(() -> {
      if (!held) {
        return;
      }
      try {
        revision = kv.update(key, holder, revision);
      } catch (JetStreamApiException e) {
        held = false;
        log.error("lease {} lost (another holder or expired): {}", Msisdn.maskAll(key), Msisdn.maskAll(e.getMessage()));
        lost.run();
      } catch (IOException | RuntimeException e) {
        log.warn("lease {} not renewed this time: {}", Msisdn.maskAll(key), Msisdn.maskAll(e.toString()));
      }
    }, everyMs, everyMs, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The fencing token: the revision this holder last wrote. */
  public long revision() {
    return revision;
  }

  public boolean held() {
    return held;
  }

  public String key() {
    return key;
  }

  /** Renews once now (tests, and callers that must know before acting). */
  public boolean renew() {
    if (!held) {
      return false;
    }
    try {
      revision = kv.update(key, holder, revision);
      return true;
    } catch (JetStreamApiException e) {
      held = false;
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Gives the key up (only if still ours: the revision guards against deleting a successor's). */
  @Override
  public void close() {
    if (renewal != null) {
      renewal.cancel(false);
    }
    if (held) {
      held = false;
      try {
        kv.delete(key, revision);
      } catch (IOException | JetStreamApiException | RuntimeException e) {
        log.debug("lease {} release: {}", Msisdn.maskAll(key), Msisdn.maskAll(e.toString()));
      }
    }
  }
}
