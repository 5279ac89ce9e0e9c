package chatgate.core.memory;

import chatgate.core.port.MoPartStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** MO parts in memory, for tests and the in-process demo. */
public final class MemoryMoPartStore implements MoPartStore {
  private final Map<String, TreeMap<Integer, MoPart>> waiting = new HashMap<>();
  private final Map<String, Instant> completed = new HashMap<>();

  @Override
  public synchronized List<MoPart> add(MoPart part) {
    if (completed.containsKey(part.key())) {
      return List.of();
    }
    waiting.computeIfAbsent(part.key(), k -> new TreeMap<>()).putIfAbsent(part.seq(), part);
    return parts(part.key());
  }

  @Override
  public synchronized List<MoPart> parts(String key) {
    TreeMap<Integer, MoPart> p = waiting.get(key);
    return p == null ? List.of() : List.copyOf(p.values());
  }

  @Override
  public synchronized void complete(String key, Instant at) {
    waiting.remove(key);
    completed.put(key, at);
  }

  @Override
  public synchronized List<String> waitingSince(Instant before) {
    List<String> out = new ArrayList<>();
    for (var e : waiting.entrySet()) {
      Instant first = e.getValue().values().stream().map(MoPart::receivedAt).min(Comparator.naturalOrder()).orElseThrow();
      if (first.isBefore(before)) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  @Override
  public synchronized void forgetCompleted(Instant before) {
    completed.values().removeIf(at -> at.isBefore(before));
  }
}
