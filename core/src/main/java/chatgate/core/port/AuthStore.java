package chatgate.core.port;

import chatgate.core.model.Msisdn;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Web sessions, one-time login codes, failure counters for lockouts, and server secrets. */
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

  /** The named secret, created by the generator on first use and the same afterwards. */
  String secret(String name, java.util.function.Supplier<String> generator);
}
