package chatgate.store;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.User;
import chatgate.core.port.UserDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Users, with a read cache: every message looks up its sender and recipients, and a user row
 * changes rarely. Writes through this directory update the cache at once; a change made by
 * another process (the admin command, another node) is seen within {@link #CACHE_TTL}.
 */
final class JdbcUsers implements UserDirectory {
  static final Duration CACHE_TTL = Duration.ofSeconds(10);
  private static final int CACHE_MAX = 100_000;

  private record Cached(Optional<User> user, long until) {}

  private final Jdbi reads;
  private final GroupCommit writes;
  private final Map<Msisdn, Cached> cache = new ConcurrentHashMap<>();

  JdbcUsers(Jdbi reads, GroupCommit writes) {
    this.reads = reads;
    this.writes = writes;
  }

  @Override
  public Optional<User> find(Msisdn msisdn) {
    long now = System.nanoTime();
    Cached c = cache.get(msisdn);
    if (c != null && c.until() - now > 0) {
      return c.user();
    }
    Optional<User> u = reads.withHandle(h -> h.createQuery("SELECT * FROM users WHERE msisdn = :m")
        .bind("m", msisdn.e164()).map((rs, ctx) -> Rows.user(rs)).findOne());
    remember(msisdn, u);
    return u;
  }

  private void remember(Msisdn m, Optional<User> u) {
    if (cache.size() >= CACHE_MAX) {
      cache.clear(); // crude, but bounded; the working set refills in a few lookups
    }
    cache.put(m, new Cached(u, System.nanoTime() + CACHE_TTL.toNanos()));
  }

  @Override
  public void save(User u) {
    writes.write(h -> h.createUpdate("""
            INSERT INTO users (msisdn, display_name, language, sms_stopped, wap_push, imsi, created_at)
            VALUES (:m, :name, :lang, :stopped, :wap, :imsi, :created)
            ON CONFLICT (msisdn) DO UPDATE SET display_name = excluded.display_name, language = excluded.language,
              sms_stopped = excluded.sms_stopped, wap_push = excluded.wap_push, imsi = excluded.imsi""")
        .bind("m", u.msisdn().e164())
        .bind("name", u.displayName())
        .bind("lang", u.language().name())
        .bind("stopped", u.smsStopped() ? 1 : 0)
        .bind("wap", u.wapPush() ? 1 : 0)
        .bind("imsi", u.imsi().orElse(null))
        .bind("created", Rows.millis(u.createdAt()))
        .execute());
    remember(u.msisdn(), Optional.of(u));
  }

  @Override
  public User ensure(Msisdn msisdn, Language language, Instant now) {
    // Read first: on the hot path the user nearly always exists, and a read costs no commit.
    Optional<User> found = find(msisdn);
    if (found.isPresent()) {
      return found.get();
    }
    User u = writes.write(h -> {
      h.createUpdate("""
              INSERT INTO users (msisdn, display_name, language, sms_stopped, wap_push, imsi, created_at)
              VALUES (:m, '', :lang, 0, 0, NULL, :created) ON CONFLICT (msisdn) DO NOTHING""")
          .bind("m", msisdn.e164()).bind("lang", language.name()).bind("created", Rows.millis(now)).execute();
      return h.createQuery("SELECT * FROM users WHERE msisdn = :m").bind("m", msisdn.e164())
          .map((rs, ctx) -> Rows.user(rs)).one();
    });
    remember(msisdn, Optional.of(u));
    return u;
  }

  @Override
  public List<User> list(int offset, int limit) {
    return reads.withHandle(h -> h.createQuery("SELECT * FROM users ORDER BY msisdn LIMIT :limit OFFSET :offset")
        .bind("limit", limit).bind("offset", offset).map((rs, ctx) -> Rows.user(rs)).list());
  }

  @Override
  public boolean remove(Msisdn msisdn) {
    cache.remove(msisdn);
    return writes.write(h -> {
      h.createUpdate("DELETE FROM group_members WHERE msisdn = :m").bind("m", msisdn.e164()).execute();
      return h.createUpdate("DELETE FROM users WHERE msisdn = :m").bind("m", msisdn.e164()).execute() > 0;
    });
  }
}
