package chatgate.core.memory;

import chatgate.core.model.Msisdn;
import chatgate.core.port.AuthStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Sessions, codes, failure counters and secrets in memory. */
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

  @Override
  public synchronized String secret(String name, Supplier<String> generator) {
    return secrets.computeIfAbsent(name, n -> generator.get());
  }
}
