package chatgate.core.ids;

import chatgate.core.port.IdGenerator;
import java.time.Clock;

/**
 * Snowflake-style ids: 41 bits of milliseconds since 2026-01-01, 10 bits of node id, 12 bits of
 * sequence. Unique per node without coordination; a cluster gives each node its own id.
 */
public final class SnowflakeIds implements IdGenerator {
  private static final long EPOCH_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private final Clock clock;
  private final long node;
  private long lastMs = -1;
  private long seq;
  /** The first millisecond this generator could have used: ids before it are an earlier run's. */
  private final long firstMs;

  public SnowflakeIds(int nodeId, Clock clock) {
    if (nodeId < 0 || nodeId > 1023) {
      throw new IllegalArgumentException("node id must be 0..1023");
    }
    this.node = nodeId;
    this.clock = clock;
    this.firstMs = clock.millis() - EPOCH_MS;
  }

  @Override
  public synchronized long next() {
    long ms = Math.max(clock.millis() - EPOCH_MS, lastMs);
    if (ms == lastMs) {
      seq = (seq + 1) & 0xFFF;
      if (seq == 0) {
        ms = lastMs + 1; // borrow the next millisecond rather than wait; the clock catches up
      }
    } else {
      seq = 0;
    }
    lastMs = ms;
    return (ms << 22) | (node << 12) | seq;
  }

  @Override
  public boolean minted(long id) {
    return ((id >> 12) & 0x3FF) == node && (id >> 22) >= firstMs;
  }
}
