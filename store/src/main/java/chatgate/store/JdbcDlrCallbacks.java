package chatgate.store;

import chatgate.core.model.MessageId;
import chatgate.core.port.DlrCallbacks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

final class JdbcDlrCallbacks implements DlrCallbacks {
  private static final String COLUMNS = "message_id, url, mask, sender, delivery_id, client_to, service, mt";

  private final Jdbi reads;
  private final GroupCommit writes;

  JdbcDlrCallbacks(Jdbi reads, GroupCommit writes) {
    this.reads = reads;
    this.writes = writes;
  }

  @Override
  public void save(Callback c) {
    writes.write(h -> h.createUpdate("INSERT INTO dlr_callbacks (" + COLUMNS + """
            ) VALUES (:m, :u, :k, :s, :d, :t, :n, :o)
            ON CONFLICT (message_id) DO UPDATE SET url = excluded.url, mask = excluded.mask, sender = excluded.sender,
              delivery_id = excluded.delivery_id, client_to = excluded.client_to, service = excluded.service,
              mt = excluded.mt""")
        .bind("m", c.message().value()).bind("u", c.url()).bind("k", c.mask()).bind("s", c.sender())
        .bind("d", c.deliveryId() == 0 ? null : c.deliveryId()).bind("t", c.clientTo()).bind("n", c.service())
        .bind("o", c.mt()).execute());
  }

  @Override
  public Optional<Callback> find(MessageId message) {
    // Asked for SMS stored before this node started (most are known in memory): plain JDBC, by position.
    return reads.withHandle(h -> Sql.one(h, "SELECT " + COLUMNS + " FROM dlr_callbacks WHERE message_id = ?",
        ps -> ps.setLong(1, message.value()), JdbcDlrCallbacks::callback));
  }

  @Override
  public Optional<Callback> findByDelivery(long deliveryId) {
    if (deliveryId == 0) {
      return Optional.empty();
    }
    return reads.withHandle(h -> Sql.one(h, "SELECT " + COLUMNS + " FROM dlr_callbacks WHERE delivery_id = ?",
        ps -> ps.setLong(1, deliveryId), JdbcDlrCallbacks::callback));
  }

  private static Callback callback(ResultSet rs) throws SQLException {
    return new Callback(new MessageId(rs.getLong(1)), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getLong(5),
        rs.getString(6), rs.getString(7), rs.getString(8));
  }
}
