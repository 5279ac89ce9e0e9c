package chatgate.store;

import chatgate.core.model.Msisdn;
import chatgate.core.port.AuthStore;
import java.time.Duration;
import java.time.Instant;
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
