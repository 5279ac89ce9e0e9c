package chatgate.core.memory;

import chatgate.core.model.Msisdn;
import chatgate.core.model.Presence;
import chatgate.core.port.PresenceRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence of one node's users, in memory (P2.8, P2.13). Online lasts {@code onlineIdle} after
 * the last sign of life; browsing lasts {@code wapIdle} after the last page fetch, or while an
 * event stream is open. A restart forgets everyone, which errs toward SMS: nothing is lost.
 */
public final class LocalPresence implements PresenceRegistry {
  private record State(Instant lastSeen, Instant lastPage, int streams) {}

  private final Map<Msisdn, State> states = new ConcurrentHashMap<>();
  private final Duration wapIdle;
  private final Duration onlineIdle;

  public LocalPresence(Duration wapIdle, Duration onlineIdle) {
    this.wapIdle = wapIdle;
    this.onlineIdle = onlineIdle;
  }

  @Override
  public void online(Msisdn m, Instant now) {
    states.merge(m, new State(now, Instant.EPOCH, 0), (a, b) -> new State(now, a.lastPage(), a.streams()));
  }

  @Override
  public void pageFetched(Msisdn m, Instant now) {
    states.merge(m, new State(now, now, 0), (a, b) -> new State(now, now, a.streams()));
  }

  @Override
  public void streamOpened(Msisdn m, Instant now) {
    states.merge(m, new State(now, now, 1), (a, b) -> new State(now, now, a.streams() + 1));
  }

  @Override
  public void streamClosed(Msisdn m, Instant now) {
    // The stream just ended: the page was in use until now.
    states.computeIfPresent(m, (k, a) -> new State(now, now, Math.max(0, a.streams() - 1)));
  }

  @Override
  public void offline(Msisdn m) {
    states.remove(m);
  }

  @Override
  public Presence presence(Msisdn m, Instant now) {
    State s = states.get(m);
    if (s == null) {
      return Presence.OFFLINE;
    }
    boolean streaming = s.streams() > 0;
    boolean browsing = streaming || s.lastPage().plus(wapIdle).isAfter(now);
    boolean online = browsing || s.lastSeen().plus(onlineIdle).isAfter(now);
    return new Presence(online, browsing, streaming);
  }

  @Override
  public List<Msisdn> onlineUsers(Instant now) {
    return states.keySet().stream().filter(m -> presence(m, now).online()).sorted().toList();
  }
}
