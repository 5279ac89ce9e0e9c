package chatgate.core.memory;

import chatgate.core.model.Msisdn;
import chatgate.core.port.AuthStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Sessions, codes, failure counters, limits and secrets in memory. */
public final class MemoryAuthStore implements AuthStore {
  private final Map<String, WebSession> sessions = new HashMap<>();
  private final Map<Msisdn, LoginCode> codes = new HashMap<>();
  private final Map<String, Deque<Instant>> failures = new HashMap<>();
  private final Map<String, String> secrets = new HashMap<>();

  @Override
  public synchronized void saveSession(WebSession s) {
    sessions.put(s.idHash(), s);
  }

  @Override
  public synchronized Optional<WebSession> session(String idHash) {
    return Optional.ofNullable(sessions.get(idHash));
  }

  @Override
  public synchronized void touchSession(String idHash, Instant lastSeenAt, Instant expiresAt) {
    WebSession s = sessions.get(idHash);
    if (s != null) {
      sessions.put(idHash, new WebSession(idHash, s.msisdn(), s.createdAt(), lastSeenAt, expiresAt));
    }
  }

  @Override
  public synchronized void deleteSession(String idHash) {
    sessions.remove(idHash);
  }

  @Override
  public synchronized int deleteSessions(Msisdn msisdn) {
    int before = sessions.size();
    sessions.values().removeIf(s -> s.msisdn().equals(msisdn));
    return before - sessions.size();
  }

  @Override
  public synchronized int trimSessions(Msisdn msisdn, int keep) {
    List<WebSession> mine = sessions.values().stream().filter(s -> s.msisdn().equals(msisdn))
        .sorted(Comparator.comparing(WebSession::createdAt).thenComparing(WebSession::idHash).reversed()).toList();
    int n = 0;
    for (WebSession s : mine.subList(Math.min(keep, mine.size()), mine.size())) {
      sessions.remove(s.idHash());
      n++;
    }
    return n;
  }

  @Override
  public synchronized int sweep(Instant now, Instant failuresBefore) {
    int before = sessions.size() + codes.size();
    sessions.values().removeIf(s -> s.expiresAt().isBefore(now));
    codes.values().removeIf(c -> c.expiresAt().isBefore(now));
    int n = before - sessions.size() - codes.size();
    for (Deque<Instant> q : failures.values()) {
      int size = q.size();
      q.removeIf(t -> t.isBefore(failuresBefore));
      n += size - q.size();
    }
    failures.values().removeIf(Deque::isEmpty);
    return n;
  }

  /** Sessions held (tests). */
  public synchronized int sessionCount() {
    return sessions.size();
  }

  @Override
  public synchronized void saveLoginCode(LoginCode code) {
    codes.put(code.msisdn(), code);
  }

  @Override
  public synchronized Optional<LoginCode> loginCode(Msisdn msisdn) {
    return Optional.ofNullable(codes.get(msisdn));
  }

  @Override
  public synchronized void deleteLoginCode(Msisdn msisdn) {
    codes.remove(msisdn);
  }

  @Override
  public synchronized int recordFailure(String key, Instant now, Duration window) {
    Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    q.addLast(now);
    return failures(key, now, window);
  }

  @Override
  public synchronized int failures(String key, Instant now, Duration window) {
    Deque<Instant> q = failures.get(key);
    if (q == null) {
      return 0;
    }
    Instant from = now.minus(window);
    return (int) q.stream().filter(t -> t.isAfter(from)).count();
  }

  @Override
  public synchronized void clearFailures(String key) {
    failures.remove(key);
  }

  /** A counter of one limit key: the window it counts in and the units taken there. */
  private record Counter(Instant windowStart, int used, Instant expiresAt) {}

  private final Map<String, Counter> counters = new HashMap<>();

  @Override
  public synchronized Optional<Limit> take(Instant now, List<Limit> limits) {
    List<Limit> taken = new ArrayList<>(limits.size());
    for (Limit l : limits) {
      Instant ws = l.windowStart(now);
      Counter c = counters.get(l.key());
      int used = c == null || ws.isAfter(c.windowStart()) ? 0 : c.used();
      if (l.max() <= 0 || used >= l.max()) {
        for (Limit t : taken) {
          giveBack(now, t);
        }
        return Optional.of(l);
      }
      Instant start = c == null || ws.isAfter(c.windowStart()) ? ws : c.windowStart();
      counters.put(l.key(), new Counter(start, used + 1, start.plus(l.window())));
      taken.add(l);
    }
    return Optional.empty();
  }

  @Override
  public synchronized void giveBack(Instant now, Limit limit) {
    Counter c = counters.get(limit.key());
    if (c != null && c.windowStart().equals(limit.windowStart(now)) && c.used() > 0) {
      counters.put(limit.key(), new Counter(c.windowStart(), c.used() - 1, c.expiresAt()));
    }
  }

  @Override
  public synchronized int used(Instant now, Limit limit) {
    Counter c = counters.get(limit.key());
    return c == null || limit.windowStart(now).isAfter(c.windowStart()) ? 0 : c.used();
  }

  @Override
  public synchronized void clearLimit(String key) {
    counters.remove(key);
  }

  @Override
  public synchronized int sweepLimits(Instant now) {
    int before = counters.size();
    counters.values().removeIf(c -> !c.expiresAt().isAfter(now));
    return before - counters.size();
  }

  @Override
  public synchronized String secret(String name, Supplier<String> generator) {
    return secrets.computeIfAbsent(name, n -> generator.get());
  }
}
