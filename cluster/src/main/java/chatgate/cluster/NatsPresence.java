package chatgate.cluster;

import chatgate.core.model.Msisdn;
import chatgate.core.model.Presence;
import chatgate.core.port.PresenceRegistry;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence shared by every node (P2.8, P2.13, routing P2.4–P2.6 whichever node a user is on).
 * Each node writes what it sees of a user under {@code <digits>.<node>} in a JetStream KV bucket
 * whose TTL is {@code online_idle}, and keeps a replica of the whole bucket fed by a watch, so a
 * routing decision reads memory, not the network. What this node sees is answered from its own
 * state at once; other nodes' news arrives within the watch's latency (milliseconds) or, for
 * page fetches, within {@link #FLUSH_EVERY}.
 *
 * <p>An open event stream is counted only while its node heartbeats it ({@link #HEARTBEAT}):
 * when a node dies its users stop "streaming" within three heartbeats, and deliveries fall back
 * to SMS instead of waiting for a push nobody can make.
 */
public final class NatsPresence implements PresenceRegistry, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NatsPresence.class);
  static final Duration FLUSH_EVERY = Duration.ofSeconds(1);
  static final Duration HEARTBEAT = Duration.ofSeconds(5);
  private static final long STREAM_STALE_MS = 3 * HEARTBEAT.toMillis();

  /** What one node saw of one user: times in epoch ms; {@code beatAt} is the writer's wall clock. */
  record Seen(long lastSeen, long lastPage, int streams, long beatAt) {
    byte[] bytes() {
      return (lastSeen + "," + lastPage + "," + streams + "," + beatAt).getBytes(StandardCharsets.US_ASCII);
    }

    static Seen parse(byte[] b) {
      String[] p = new String(b, StandardCharsets.US_ASCII).split(",");
      return new Seen(Long.parseLong(p[0]), Long.parseLong(p[1]), Integer.parseInt(p[2]), Long.parseLong(p[3]));
    }
  }

  /** Told when this node's first stream of a user opens and its last one closes (live push subscribes by it). */
  public interface StreamWatcher {
    void firstOpened(Msisdn m);

    void lastClosed(Msisdn m);
  }

  private final KeyValue kv;
  private final String node;
  private final Duration wapIdle;
  private final Duration onlineIdle;
  private final Map<Msisdn, Seen> local = new ConcurrentHashMap<>();
  private final PresenceReplica remote;
  private final Set<Msisdn> dirty = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("presence-writer").daemon().factory());
  private final NatsKeyValueWatchSubscription watch;
  private volatile StreamWatcher streams = new StreamWatcher() {
    @Override
    public void firstOpened(Msisdn m) {}

    @Override
    public void lastClosed(Msisdn m) {}
  };

  private final Clock clock;

  public NatsPresence(NatsCluster cluster, Duration wapIdle, Duration onlineIdle, Clock clock)
      throws IOException {
    this.clock = clock;
    this.kv = cluster.bucket(NatsCluster.PRESENCE_BUCKET, onlineIdle.plus(HEARTBEAT));
    this.node = cluster.settings().nodeId();
    this.wapIdle = wapIdle;
    this.onlineIdle = onlineIdle;
    try {
      this.remote = new PresenceReplica(node, m -> {
        if (local.remove(m) != null) {
          log.debug("presence of {} cleared by another node", m.masked());
        }
      });
      this.watch = kv.watchAll(remote);
    } catch (JetStreamApiException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot watch " + NatsCluster.PRESENCE_BUCKET + ": " + e.getMessage(), e);
    }
    writer.scheduleWithFixedDelay(this::flush, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    writer.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void streamWatcher(StreamWatcher w) {
    this.streams = w;
  }

  private static String key(Msisdn m, String node) {
    return m.e164().substring(1) + "." + node;
  }

  @Override
  public void online(Msisdn m, Instant now) {
    long t = now.toEpochMilli();
    local.merge(m, new Seen(t, 0, 0, 0), (a, b) -> new Seen(Math.max(a.lastSeen(), t), a.lastPage(), a.streams(), 0));
    dirty.add(m);
  }

  @Override
  public void pageFetched(Msisdn m, Instant now) {
    long t = now.toEpochMilli();
    local.merge(m, new Seen(t, t, 0, 0), (a, b) -> new Seen(Math.max(a.lastSeen(), t), Math.max(a.lastPage(), t),
        a.streams(), 0));
    dirty.add(m);
  }

  @Override
  public void streamOpened(Msisdn m, Instant now) {
    long t = now.toEpochMilli();
    Seen s = local.merge(m, new Seen(t, t, 1, 0), (a, b) -> new Seen(Math.max(a.lastSeen(), t),
        Math.max(a.lastPage(), t), a.streams() + 1, 0));
    if (s.streams() == 1) {
      streams.firstOpened(m);
    }
    writeSoon(m); // other nodes route by this: do not wait for the next flush
  }

  @Override
  public void streamClosed(Msisdn m, Instant now) {
    long t = now.toEpochMilli();
    Seen s = local.computeIfPresent(m, (k, a) -> new Seen(t, t, Math.max(0, a.streams() - 1), 0));
    if (s != null && s.streams() == 0) {
      streams.lastClosed(m);
    }
    writeSoon(m);
  }

  @Override
  public void offline(Msisdn m) {
    Seen was = local.remove(m);
    if (was != null && was.streams() > 0) {
      streams.lastClosed(m);
    }
    dirty.remove(m);
    Map<String, Seen> others = remote.forget(m);
    List<String> keys = new ArrayList<>();
    keys.add(key(m, node));
    if (others != null) {
      others.keySet().forEach(n -> keys.add(key(m, n)));
    }
    writer.execute(() -> {
      for (String k : keys) {
        try {
          kv.delete(k);
        } catch (IOException | JetStreamApiException e) {
          log.warn("presence delete {} failed: {}", Msisdn.maskAll(k), Msisdn.maskAll(e.toString()));
        }
      }
    });
  }

  @Override
  public Presence presence(Msisdn m, Instant now) {
    long t = now.toEpochMilli();
    long wall = System.currentTimeMillis();
    long lastSeen = 0;
    long lastPage = 0;
    int open = 0;
    boolean known = false;
    Seen mine = local.get(m);
    if (mine != null) {
      known = true;
      lastSeen = mine.lastSeen();
      lastPage = mine.lastPage();
      open = mine.streams();
    }
    Map<String, Seen> others = remote.of(m);
    if (others != null) {
      for (Seen s : others.values()) {
        known = true;
        lastSeen = Math.max(lastSeen, s.lastSeen());
        lastPage = Math.max(lastPage, s.lastPage());
        if (s.streams() > 0 && wall - s.beatAt() < STREAM_STALE_MS) {
          open += s.streams();
        }
      }
    }
    if (!known) {
      return Presence.OFFLINE;
    }
    boolean streaming = open > 0;
    boolean browsing = streaming || lastPage + wapIdle.toMillis() > t;
    boolean online = browsing || lastSeen + onlineIdle.toMillis() > t;
    return new Presence(online, browsing, streaming);
  }

  @Override
  public List<Msisdn> onlineUsers(Instant now) {
    Set<Msisdn> all = new TreeSet<>(local.keySet());
    all.addAll(remote.users());
    return all.stream().filter(m -> presence(m, now).online()).toList();
  }

  private void writeSoon(Msisdn m) {
    dirty.add(m);
    writer.execute(this::flush);
  }

  /** Writes this node's changed entries. Runs on the writer thread only, so writes of one key keep their order. */
  private void flush() {
    if (dirty.isEmpty()) {
      return;
    }
    long beat = System.currentTimeMillis();
    for (Msisdn m : List.copyOf(dirty)) {
      dirty.remove(m);
      Seen s = local.get(m);
      if (s == null) {
        continue;
      }
      put(m, s, beat);
    }
  }

  private void put(Msisdn m, Seen s, long beat) {
    try {
      kv.put(key(m, node), new Seen(s.lastSeen(), s.lastPage(), s.streams(), beat).bytes());
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      dirty.add(m); // written again at the next flush
      log.debug("presence write for {} failed: {}", m.masked(), e.toString());
    }
  }

  /** Re-writes entries with open streams (so they stay counted) and forgets what has long expired. */
  private void heartbeat() {
    long beat = System.currentTimeMillis();
    local.forEach((m, s) -> {
      if (s.streams() > 0) {
        put(m, s, beat);
      }
    });
    long horizon = clock.millis() - onlineIdle.toMillis() - wapIdle.toMillis();
    local.entrySet().removeIf(e -> e.getValue().streams() == 0 && Math.max(e.getValue().lastSeen(),
        e.getValue().lastPage()) < horizon && !dirty.contains(e.getKey()));
    remote.expire(horizon, beat, STREAM_STALE_MS);
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      watch.unsubscribe();
    } catch (RuntimeException e) {
      log.debug("presence watch close: {}", e.toString());
    }
  }
}
