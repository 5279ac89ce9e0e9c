package chatgate.store;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.User;
import chatgate.core.port.UserDirectory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
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
  /** Names and blockers are read for every delivery and change rarely: cached like users. */
  private final Map<Msisdn, Timed<Map<Msisdn, String>>> names = new ConcurrentHashMap<>();
  private final Map<Msisdn, Timed<Set<Msisdn>>> blockers = new ConcurrentHashMap<>();

  private record Timed<T>(T value, long until) {}

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
    // A kept statement: the delivery stage looks up each recipient it sends to.
    Optional<User> u = reads.withHandle(h -> Sql.one(h, "SELECT * FROM users WHERE msisdn = ?",
        ps -> ps.setString(1, msisdn.e164()), Rows::user));
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
    names.remove(msisdn);
    blockers.clear();
    return writes.write(h -> {
      h.createUpdate("DELETE FROM group_members WHERE msisdn = :m").bind("m", msisdn.e164()).execute();
      h.createUpdate("DELETE FROM contact_names WHERE owner = :m").bind("m", msisdn.e164()).execute();
      h.createUpdate("DELETE FROM blocks WHERE owner = :m").bind("m", msisdn.e164()).execute();
      return h.createUpdate("DELETE FROM users WHERE msisdn = :m").bind("m", msisdn.e164()).execute() > 0;
    });
  }

  @Override
  public Optional<ZoneId> timeZone(Msisdn m) {
    // Read on each page: a setting changed on another node shows at once.
    return reads.withHandle(h -> h.createQuery("SELECT time_zone FROM users WHERE msisdn = :m")
        .bind("m", m.e164()).mapTo(String.class).findOne())
        .filter(z -> !z.isEmpty()).map(ZoneId::of);
  }

  @Override
  public void timeZone(Msisdn m, Optional<ZoneId> zone) {
    writes.write(h -> h.createUpdate("UPDATE users SET time_zone = :z WHERE msisdn = :m")
        .bind("z", zone.map(ZoneId::getId).orElse("")).bind("m", m.e164()).execute());
  }

  private static <K, T> T cached(Map<K, Timed<T>> c, K key, Supplier<T> load) {
    long now = System.nanoTime();
    Timed<T> t = c.get(key);
    if (t != null && t.until() - now > 0) {
      return t.value();
    }
    if (c.size() >= CACHE_MAX) {
      c.clear();
    }
    T v = load.get();
    c.put(key, new Timed<>(v, now + CACHE_TTL.toNanos()));
    return v;
  }

  @Override
  public void nameContact(Msisdn owner, Msisdn contact, String name) {
    writes.write(h -> name == null || name.isBlank()
        ? h.createUpdate("DELETE FROM contact_names WHERE owner = :o AND contact = :c")
            .bind("o", owner.e164()).bind("c", contact.e164()).execute()
        : h.createUpdate("""
                INSERT INTO contact_names (owner, contact, name) VALUES (:o, :c, :n)
                ON CONFLICT (owner, contact) DO UPDATE SET name = excluded.name""")
            .bind("o", owner.e164()).bind("c", contact.e164()).bind("n", name).execute());
    names.remove(owner);
  }

  @Override
  public Map<Msisdn, String> contactNames(Msisdn owner) {
    return cached(names, owner, () -> reads.withHandle(h -> {
      Map<Msisdn, String> out = new LinkedHashMap<>();
      h.createQuery("SELECT contact, name FROM contact_names WHERE owner = :o ORDER BY contact")
          .bind("o", owner.e164())
          .map((rs, ctx) -> out.put(Msisdn.of(rs.getString("contact")), rs.getString("name"))).list();
      return Map.copyOf(out);
    }));
  }

  @Override
  public boolean block(Msisdn owner, Msisdn sender) {
    boolean added = writes.write(h -> h.createUpdate(
            "INSERT INTO blocks (owner, blocked) VALUES (:o, :b) ON CONFLICT DO NOTHING")
        .bind("o", owner.e164()).bind("b", sender.e164()).execute() > 0);
    blockers.remove(sender);
    return added;
  }

  @Override
  public boolean unblock(Msisdn owner, Msisdn sender) {
    boolean removed = writes.write(h -> h.createUpdate("DELETE FROM blocks WHERE owner = :o AND blocked = :b")
        .bind("o", owner.e164()).bind("b", sender.e164()).execute() > 0);
    blockers.remove(sender);
    return removed;
  }

  @Override
  public List<Msisdn> blocked(Msisdn owner) {
    return reads.withHandle(h -> h.createQuery("SELECT blocked FROM blocks WHERE owner = :o ORDER BY blocked")
        .bind("o", owner.e164()).map((rs, ctx) -> Msisdn.of(rs.getString(1))).list());
  }

  @Override
  public Set<Msisdn> blockers(Msisdn sender) {
    return cached(blockers, sender, () -> reads.withHandle(h -> {
      Set<Msisdn> out = new TreeSet<>();
      h.createQuery("SELECT owner FROM blocks WHERE blocked = :b").bind("b", sender.e164())
          .map((rs, ctx) -> out.add(Msisdn.of(rs.getString(1)))).list();
      return Set.copyOf(out);
    }));
  }
}
