package chatgate.core.port;

import chatgate.core.model.Msisdn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Web sessions, one-time login codes, failure counters for lockouts, limits, and server secrets. */
public interface AuthStore {

  /** A logged-in browser. The id is stored hashed; the cookie holds the raw value. */
  record WebSession(String idHash, Msisdn msisdn, Instant createdAt, Instant lastSeenAt, Instant expiresAt) {}

  /** A one-time code sent by SMS, stored hashed, with the wrong guesses counted. */
  record LoginCode(Msisdn msisdn, String codeHash, Instant expiresAt, int failures) {}

  void saveSession(WebSession session);

  Optional<WebSession> session(String idHash);

  void touchSession(String idHash, Instant lastSeenAt, Instant expiresAt);

  void deleteSession(String idHash);

  /** Ends every session of this phone (the user was removed); returns how many. */
  int deleteSessions(Msisdn msisdn);

  /** Keeps the phone's {@code keep} newest sessions and ends the older ones; returns how many ended. */
  int trimSessions(Msisdn msisdn, int keep);

  /**
   * Housekeeping: deletes sessions and login codes expired at {@code now}, and failure rows
   * recorded before {@code failuresBefore}; returns the rows deleted.
   */
  int sweep(Instant now, Instant failuresBefore);

  /** Replaces any previous code for this number. */
  void saveLoginCode(LoginCode code);

  Optional<LoginCode> loginCode(Msisdn msisdn);

  void deleteLoginCode(Msisdn msisdn);

  /**
   * Records one failure (a wrong code, a wrong IM password) under a key such as
   * {@code "code:+86..."} or {@code "ip:10.0.0.1"}; returns the failures within the window.
   */
  int recordFailure(String key, Instant now, Duration window);

  /** Failures recorded under the key within the window ending now. */
  int failures(String key, Instant now, Duration window);

  void clearFailures(String key);

  /**
   * A limit: at most {@code max} units under {@code key} per window. Windows are fixed and aligned
   * to the epoch (a day runs from 00:00 UTC, an hour from :00), so every node of a cluster counts
   * in the same window; across a boundary up to twice {@code max} can pass in one window's length.
   */
  record Limit(String key, int max, Duration window) {
    public Limit {
      if (window.toMillis() < 1) {
        throw new IllegalArgumentException("window must be positive");
      }
    }

    public Instant windowStart(Instant now) {
      long w = window.toMillis();
      return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), w) * w);
    }

    public Instant windowEnd(Instant now) {
      return windowStart(now).plus(window);
    }
  }

  /**
   * Takes one unit of every limit, or of none: atomically, across threads and the nodes sharing
   * the store (one conditional upsert per limit in one transaction). Returns the first limit that
   * had no unit left in its current window, or empty when all were taken.
   */
  Optional<Limit> take(Instant now, List<Limit> limits);

  /** Gives back one unit taken in the current window (the thing it was taken for did not happen). */
  void giveBack(Instant now, Limit limit);

  /** Units taken in the current window: a read, for refusing early; {@link #take} decides. */
  int used(Instant now, Limit limit);

  /** Forgets the counter of a key (a correct code ends the lockout of its number). */
  void clearLimit(String key);

  /** Drops counters whose window ended before now; returns how many. */
  int sweepLimits(Instant now);

  /** The named secret, created by the generator on first use and the same afterwards. */
  String secret(String name, Supplier<String> generator);
}
