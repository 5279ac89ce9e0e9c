package chatgate.store;

import chatgate.core.model.Msisdn;
import chatgate.core.port.MoPartStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

final class JdbcMoParts implements MoPartStore {
  private final Jdbi reads;
  private final GroupCommit writes;

  JdbcMoParts(Jdbi reads, GroupCommit writes) {
    this.reads = reads;
    this.writes = writes;
  }

  @Override
  public List<MoPart> add(MoPart p) {
    return writes.write(h -> {
      boolean done = h.createQuery("SELECT COUNT(*) FROM mo_completed WHERE part_key = :k").bind("k", p.key())
          .mapTo(Integer.class).one() > 0;
      if (done) {
        return List.<MoPart>of();
      }
      h.createUpdate("""
              INSERT INTO mo_parts (part_key, seq, total, msisdn, recipient, body, imsi, received_at)
              VALUES (:k, :seq, :total, :m, :to, :body, :imsi, :at) ON CONFLICT (part_key, seq) DO NOTHING""")
          .bind("k", p.key()).bind("seq", p.seq()).bind("total", p.total()).bind("m", p.from().e164())
          .bind("to", p.to()).bind("body", p.text()).bind("imsi", p.imsi().orElse(null))
          .bind("at", Rows.millis(p.receivedAt())).execute();
      return parts(h, p.key());
    });
  }

  @Override
  public List<MoPart> parts(String key) {
    return reads.withHandle(h -> parts(h, key));
  }

  private static List<MoPart> parts(Handle h, String key) {
    return h.createQuery("SELECT * FROM mo_parts WHERE part_key = :k ORDER BY seq").bind("k", key)
        .map((rs, ctx) -> new MoPart(rs.getString("part_key"), rs.getInt("seq"), rs.getInt("total"),
            Msisdn.of(rs.getString("msisdn")), rs.getString("recipient"), rs.getString("body"),
            Optional.ofNullable(rs.getString("imsi")), Instant.ofEpochMilli(rs.getLong("received_at"))))
        .list();
  }

  @Override
  public void complete(String key, Instant at) {
    writes.write(h -> {
      h.createUpdate("DELETE FROM mo_parts WHERE part_key = :k").bind("k", key).execute();
      return h.createUpdate("""
              INSERT INTO mo_completed (part_key, completed_at) VALUES (:k, :at)
              ON CONFLICT (part_key) DO UPDATE SET completed_at = excluded.completed_at""")
          .bind("k", key).bind("at", Rows.millis(at)).execute();
    });
  }

  @Override
  public List<String> waitingSince(Instant before) {
    return reads.withHandle(h -> h.createQuery(
            "SELECT part_key FROM mo_parts GROUP BY part_key HAVING MIN(received_at) < :b ORDER BY MIN(received_at)")
        .bind("b", Rows.millis(before)).mapTo(String.class).list());
  }

  @Override
  public void forgetCompleted(Instant before) {
    writes.write(h -> h.createUpdate("DELETE FROM mo_completed WHERE completed_at < :b")
        .bind("b", Rows.millis(before)).execute());
  }
}
