package chatgate.store;

import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Target;
import chatgate.core.port.MessageStore.Item;
import chatgate.core.port.ReadMarkers;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Read markers in the {@code read_markers} table (V13, ADR 0047). */
final class JdbcReadMarkers implements ReadMarkers {
  // The reader's newest deliveries (deliveries_by_recipient, backwards), each joined to its
  // message and to the marker of its conversation: one bounded read however long the history.
  private static final String UNREAD = "SELECT " + Rows.MESSAGE_COLS + ", " + Rows.DELIVERY_COLS
      + " FROM (SELECT * FROM deliveries WHERE recipient = :me ORDER BY message_id DESC LIMIT :w) d"
      + " JOIN messages m ON m.id = d.message_id"
      + " LEFT JOIN read_markers r ON r.reader = :me AND r.target_kind = m.target_kind"
      + " AND r.target = (CASE WHEN m.target_kind = 'group' THEN m.target ELSE m.sender END)"
      + " WHERE m.sender IS NOT NULL AND m.sender <> :me AND m.target_kind IN ('msisdn', 'group')"
      + " AND m.id > COALESCE(r.up_to, 0) ORDER BY m.id DESC";

  private final Jdbi reads;
  private final GroupCommit writes;

  JdbcReadMarkers(Jdbi reads, GroupCommit writes) {
    this.reads = reads;
    this.writes = writes;
  }

  @Override
  public void markRead(Msisdn reader, Target conversation, MessageId upTo) {
    writes.write(h -> h.createUpdate("INSERT INTO read_markers (reader, target_kind, target, up_to)"
            + " VALUES (:r, :k, :t, :u) ON CONFLICT (reader, target_kind, target)"
            + " DO UPDATE SET up_to = excluded.up_to WHERE read_markers.up_to < excluded.up_to")
        .bind("r", reader.e164()).bind("k", Rows.kind(conversation)).bind("t", conversation.id())
        .bind("u", upTo.value()).execute());
  }

  @Override
  public List<Item> unread(Msisdn reader, int window) {
    return reads.withHandle(h -> h.createQuery(UNREAD).bind("me", reader.e164()).bind("w", window)
        .map((rs, ctx) -> new Item(Rows.delivery(rs), Rows.message(rs))).list());
  }
}
