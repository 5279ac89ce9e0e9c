package chatgate.store;

import chatgate.core.model.MessageId;
import chatgate.core.port.DlrCallbacks;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

final class JdbcDlrCallbacks implements DlrCallbacks {
  private final Jdbi reads;
  private final GroupCommit writes;

  JdbcDlrCallbacks(Jdbi reads, GroupCommit writes) {
    this.reads = reads;
    this.writes = writes;
  }

  @Override
  public void save(Callback c) {
    writes.write(h -> h.createUpdate("""
            INSERT INTO dlr_callbacks (message_id, url, mask, sender) VALUES (:m, :u, :k, :s)
            ON CONFLICT (message_id) DO UPDATE SET url = excluded.url, mask = excluded.mask, sender = excluded.sender""")
        .bind("m", c.message().value()).bind("u", c.url()).bind("k", c.mask()).bind("s", c.sender()).execute());
  }

  @Override
  public Optional<Callback> find(MessageId message) {
    // Asked on every SENT and DELIVERED of every MT (most have no callback): plain JDBC, by position.
    return reads.withHandle(h -> Sql.one(h, "SELECT url, mask, sender FROM dlr_callbacks WHERE message_id = ?",
        ps -> ps.setLong(1, message.value()),
        rs -> new Callback(message, rs.getString(1), rs.getInt(2), rs.getString(3))));
  }
}
