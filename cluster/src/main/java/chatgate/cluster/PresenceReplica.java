package chatgate.cluster;

import chatgate.cluster.NatsPresence.Seen;
import chatgate.core.model.Msisdn;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the other nodes saw of each user ({@link NatsPresence}): a replica of their entries in the
 * presence bucket, fed by a watch, so a routing decision reads memory, not the network.
 */
final class PresenceReplica implements KeyValueWatcher {
  private static final Logger log = LoggerFactory.getLogger(NatsPresence.class);
  private final String node;
  private final Consumer<Msisdn> ownEntryDeleted;
  /** user → node → what that node saw. */
  private final Map<Msisdn, Map<String, Seen>> remote = new ConcurrentHashMap<>();

  /**
   * @param node this node, whose own entries the replica skips
   * @param ownEntryDeleted told when another node deletes this node's entry of a user (a logout there: offline is global)
   */
  PresenceReplica(String node, Consumer<Msisdn> ownEntryDeleted) {
    this.node = node;
    this.ownEntryDeleted = ownEntryDeleted;
  }

  @Override
  public void watch(KeyValueEntry e) {
    String key = e.getKey();
    int dot = key.lastIndexOf('.');
    if (dot <= 0) {
      return;
    }
    String owner = key.substring(dot + 1);
    Msisdn m;
    try {
      m = Msisdn.of("+" + key.substring(0, dot));
    } catch (RuntimeException bad) {
      return; // not ours
    }
    if (e.getOperation() != KeyValueOperation.PUT) {
      Map<String, Seen> byNode = remote.get(m);
      if (byNode != null) {
        byNode.remove(owner);
      }
      if (owner.equals(node)) {
        ownEntryDeleted.accept(m);
      }
      return;
    }
    if (owner.equals(node)) {
      return; // our own write coming back: local state is ahead of it
    }
    try {
      remote.computeIfAbsent(m, k -> new ConcurrentHashMap<>()).put(owner, Seen.parse(e.getValue()));
    } catch (RuntimeException bad) {
      log.warn("presence entry {} unreadable: {}", Msisdn.maskAll(key), Msisdn.maskAll(bad.toString()));
    }
  }

  @Override
  public void endOfData() {}

  /** Other nodes' entries of the user, by node; null when none. */
  Map<String, Seen> of(Msisdn m) {
    return remote.get(m);
  }

  Set<Msisdn> users() {
    return remote.keySet();
  }

  /** Drops the user's entries here (offline); returns them, by node, or null. */
  Map<String, Seen> forget(Msisdn m) {
    return remote.remove(m);
  }

  /** Forgets entries seen last before {@code horizon} whose streams are closed or no longer heartbeated. */
  void expire(long horizon, long now, long streamStaleMs) {
    remote.values().forEach(byNode -> byNode.values().removeIf(s -> Math.max(s.lastSeen(), s.lastPage()) < horizon
        && (s.streams() == 0 || now - s.beatAt() > streamStaleMs)));
    remote.values().removeIf(Map::isEmpty);
  }
}
