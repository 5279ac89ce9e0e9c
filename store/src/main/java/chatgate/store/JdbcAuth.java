package chatgate.store;

import chatgate.core.model.Msisdn;
import chatgate.core.port.AuthStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

final class JdbcAuth implements AuthStore {
  private final Jdbi reads;
  private final GroupCommit writes;

  JdbcAuth(Jdbi reads, GroupCommit writes) {
    this.reads = reads;
    this.writes = writes;
  }

  @Override
  public void saveSession(WebSession s) {
    writes.write(h -> h.createUpdate("""
            INSERT INTO web_sessions (id_hash, msisdn, created_at, last_seen_at, expires_at)
            VALUES (:id, :m, :c, :l, :e)
            ON CONFLICT (id_hash) DO UPDATE SET msisdn = excluded.msisdn, last_seen_at = excluded.last_seen_at,
              expires_at = excluded.expires_at""")
        .bind("id", s.idHash()).bind("m", s.msisdn().e164()).bind("c", Rows.millis(s.createdAt()))
        .bind("l", Rows.millis(s.lastSeenAt())).bind("e", Rows.millis(s.expiresAt())).execute());
  }

  @Override
  public Optional<WebSession> session(String idHash) {
    return reads.withHandle(h -> h.createQuery("SELECT * FROM web_sessions WHERE id_hash = :id").bind("id", idHash)
        .map((rs, ctx) -> new WebSession(rs.getString("id_hash"), Msisdn.of(rs.getString("msisdn")),
            Rows.instant(rs, "created_at"), Rows.instant(rs, "last_seen_at"), Rows.instant(rs, "expires_at")))
        .findOne());
  }

  @Override
  public void touchSession(String idHash, Instant lastSeenAt, Instant expiresAt) {
    writes.write(h -> h.createUpdate("UPDATE web_sessions SET last_seen_at = :l, expires_at = :e WHERE id_hash = :id")
        .bind("l", Rows.millis(lastSeenAt)).bind("e", Rows.millis(expiresAt)).bind("id", idHash).execute());
  }

  @Override
  public void deleteSession(String idHash) {
    writes.write(h -> h.createUpdate("DELETE FROM web_sessions WHERE id_hash = :id").bind("id", idHash).execute());
  }

  @Override
  public int deleteSessions(Msisdn msisdn) {
    return writes.write(h -> h.createUpdate("DELETE FROM web_sessions WHERE msisdn = :m").bind("m", msisdn.e164())
        .execute());
  }

  @Override
  public int trimSessions(Msisdn msisdn, int keep) {
    return writes.write(h -> h.createUpdate("""
            DELETE FROM web_sessions WHERE msisdn = :m AND id_hash NOT IN (
              SELECT id_hash FROM web_sessions WHERE msisdn = :m ORDER BY created_at DESC, id_hash DESC LIMIT :k)""")
        .bind("m", msisdn.e164()).bind("k", keep).execute());
  }

  @Override
  public int sweep(Instant now, Instant failuresBefore) {
    return writes.write(h -> {
      long t = Rows.millis(now);
      int n = h.createUpdate("DELETE FROM web_sessions WHERE expires_at < :t").bind("t", t).execute();
      n += h.createUpdate("DELETE FROM login_codes WHERE expires_at < :t").bind("t", t).execute();
      n += h.createUpdate("DELETE FROM failures WHERE at < :f").bind("f", Rows.millis(failuresBefore)).execute();
      return n;
    });
  }

  @Override
  public void saveLoginCode(LoginCode c) {
    writes.write(h -> h.createUpdate("""
            INSERT INTO login_codes (msisdn, code_hash, expires_at, failures) VALUES (:m, :h, :e, :f)
            ON CONFLICT (msisdn) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at,
              failures = excluded.failures""")
        .bind("m", c.msisdn().e164()).bind("h", c.codeHash()).bind("e", Rows.millis(c.expiresAt()))
        .bind("f", c.failures()).execute());
  }

  @Override
  public Optional<LoginCode> loginCode(Msisdn msisdn) {
    return reads.withHandle(h -> h.createQuery("SELECT * FROM login_codes WHERE msisdn = :m").bind("m", msisdn.e164())
        .map((rs, ctx) -> new LoginCode(Msisdn.of(rs.getString("msisdn")), rs.getString("code_hash"),
            Rows.instant(rs, "expires_at"), rs.getInt("failures")))
        .findOne());
  }

  @Override
  public void deleteLoginCode(Msisdn msisdn) {
    writes.write(h -> h.createUpdate("DELETE FROM login_codes WHERE msisdn = :m").bind("m", msisdn.e164()).execute());
  }

  @Override
  public int recordFailure(String key, Instant now, Duration window) {
    return writes.write(h -> {
      // Old rows of this key are dropped as new ones come, so the table stays small.
      h.createUpdate("DELETE FROM failures WHERE fkey = :k AND at <= :from")
          .bind("k", key).bind("from", Rows.millis(now.minus(window))).execute();
      h.createUpdate("INSERT INTO failures (fkey, at) VALUES (:k, :at)").bind("k", key).bind("at", Rows.millis(now))
          .execute();
      return h.createQuery("SELECT COUNT(*) FROM failures WHERE fkey = :k AND at > :from")
          .bind("k", key).bind("from", Rows.millis(now.minus(window))).mapTo(Integer.class).one();
    });
  }

  @Override
  public int failures(String key, Instant now, Duration window) {
    return reads.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM failures WHERE fkey = :k AND at > :from")
        .bind("k", key).bind("from", Rows.millis(now.minus(window))).mapTo(Integer.class).one());
  }

  @Override
  public void clearFailures(String key) {
    writes.write(h -> h.createUpdate("DELETE FROM failures WHERE fkey = :k").bind("k", key).execute());
  }

  /*
   * One statement takes a unit: a new window (or a key never seen) starts at 1; within the window
   * the row is only updated while used < max, and the RETURNING row says whether it was. On
   * PostgreSQL the upsert locks the row and re-checks the condition on its latest version; SQLite
   * has one writer. A node whose clock lags counts in the newer window a row already holds.
   */
  private static final String TAKE = """
      INSERT INTO limit_counters (lkey, window_start, used, expires_at) VALUES (:k, :ws, 1, :exp)
      ON CONFLICT (lkey) DO UPDATE SET
        used = CASE WHEN excluded.window_start > limit_counters.window_start THEN 1
          ELSE limit_counters.used + 1 END,
        expires_at = CASE WHEN excluded.window_start > limit_counters.window_start THEN excluded.expires_at
          ELSE limit_counters.expires_at END,
        window_start = CASE WHEN excluded.window_start > limit_counters.window_start THEN excluded.window_start
          ELSE limit_counters.window_start END
      WHERE excluded.window_start > limit_counters.window_start OR limit_counters.used < :max
      RETURNING window_start""";

  @Override
  public Optional<Limit> take(Instant now, List<Limit> limits) {
    return writes.write(h -> {
      List<long[]> taken = new ArrayList<>(limits.size());
      for (Limit l : limits) {
        Optional<Long> ws = l.max() <= 0 ? Optional.empty() : h.createQuery(TAKE).bind("k", l.key())
            .bind("ws", Rows.millis(l.windowStart(now))).bind("exp", Rows.millis(l.windowEnd(now)))
            .bind("max", l.max()).mapTo(Long.class).findOne();
        if (ws.isEmpty()) {
          // All or nothing: the units already taken by this call go back, in the same transaction.
          for (int i = 0; i < taken.size(); i++) {
            h.createUpdate("UPDATE limit_counters SET used = used - 1 WHERE lkey = :k AND window_start = :ws AND used > 0")
                .bind("k", limits.get(i).key()).bind("ws", taken.get(i)[0]).execute();
          }
          return Optional.of(l);
        }
        taken.add(new long[] {ws.get()});
      }
      return Optional.<Limit>empty();
    });
  }

  @Override
  public void giveBack(Instant now, Limit limit) {
    writes.write(h -> h.createUpdate(
            "UPDATE limit_counters SET used = used - 1 WHERE lkey = :k AND window_start = :ws AND used > 0")
        .bind("k", limit.key()).bind("ws", Rows.millis(limit.windowStart(now))).execute());
  }

  @Override
  public int used(Instant now, Limit limit) {
    return reads.withHandle(h -> h.createQuery(
            "SELECT used FROM limit_counters WHERE lkey = :k AND window_start >= :ws")
        .bind("k", limit.key()).bind("ws", Rows.millis(limit.windowStart(now))).mapTo(Integer.class).findOne()
        .orElse(0));
  }

  @Override
  public void clearLimit(String key) {
    writes.write(h -> h.createUpdate("DELETE FROM limit_counters WHERE lkey = :k").bind("k", key).execute());
  }

  @Override
  public int sweepLimits(Instant now) {
    return writes.write(h -> h.createUpdate("DELETE FROM limit_counters WHERE expires_at <= :now")
        .bind("now", Rows.millis(now)).execute());
  }

  @Override
  public String secret(String name, Supplier<String> generator) {
    Optional<String> found = reads.withHandle(h -> h.createQuery("SELECT value FROM secrets WHERE name = :n")
        .bind("n", name).mapTo(String.class).findOne());
    if (found.isPresent()) {
      return found.get();
    }
    String candidate = generator.get();
    return writes.write(h -> {
      h.createUpdate("INSERT INTO secrets (name, value) VALUES (:n, :v) ON CONFLICT (name) DO NOTHING")
          .bind("n", name).bind("v", candidate).execute();
      return h.createQuery("SELECT value FROM secrets WHERE name = :n").bind("n", name).mapTo(String.class).one();
    });
  }
}
