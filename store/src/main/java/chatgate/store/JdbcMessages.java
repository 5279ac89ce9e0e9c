package chatgate.store;

import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.GroupId;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Target;
import chatgate.core.port.MessageStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

final class JdbcMessages implements MessageStore {
  private static final String ITEM_SELECT =
      "SELECT " + Rows.MESSAGE_COLS + ", " + Rows.DELIVERY_COLS + " FROM deliveries d JOIN messages m ON m.id = d.message_id ";

  private static final String ITEM_BY_ID = ITEM_SELECT + "WHERE d.id = ?";
  private static final String DUE =
      ITEM_SELECT + "WHERE d.done = 0 AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?";
  private static final String BY_SMSC_ID =
      "SELECT " + Rows.DELIVERY_COLS + " FROM smsc_ids s JOIN deliveries d ON d.id = s.delivery_id WHERE s.smsc_id = ?";

  /** Served by deliveries_undone_by_recipient (V5): a short range of one phone's unfinished work. */
  private static final String OLDER_PENDING = "SELECT " + Rows.DELIVERY_COLS + " FROM deliveries d"
      + " WHERE d.recipient = ? AND d.done = 0 AND d.id < ? AND d.state = 'PENDING'"
      + " AND (d.route IS NULL OR d.route <> 'IM') ORDER BY d.id LIMIT 1";

  private static Item item(ResultSet rs) throws SQLException {
    return new Item(Rows.delivery(rs), Rows.message(rs));
  }

  private final Jdbi reads;
  private final GroupCommit writes;
  private final boolean postgres;
  /** Set when several nodes share this store: this node's name and how long its claims last. */
  private volatile String claimNode;
  private volatile long claimHoldMs;

  JdbcMessages(Jdbi reads, GroupCommit writes, boolean postgres) {
    this.reads = reads;
    this.writes = writes;
    this.postgres = postgres;
  }

  void shareWith(String node, Duration hold) {
    this.claimNode = node;
    this.claimHoldMs = hold.toMillis();
  }

  @Override
  public Accepted accept(Message m, List<Delivery> ds) {
    return writes.write(h -> {
      if (m.originRef().isPresent()) {
        Optional<Long> existing = h.createQuery("SELECT id FROM messages WHERE origin_ref = :r")
            .bind("r", m.originRef().get()).mapTo(Long.class).findOne();
        if (existing.isPresent()) {
          MessageId id = new MessageId(existing.get());
          return new Accepted(message(h, id).orElseThrow(), deliveriesOf(h, id), true);
        }
      }
      try {
        PreparedStatement pm = Sql.prepared(h, INSERT_MESSAGE);
        pm.setLong(1, m.id().value());
        Sql.text(pm, 2, m.sender().map(Msisdn::e164));
        pm.setString(3, Rows.kind(m.target()));
        pm.setString(4, m.target().id());
        pm.setString(5, m.body());
        pm.setString(6, m.origin().name());
        Sql.text(pm, 7, m.originRef());
        pm.setInt(8, m.secret() ? 1 : 0);
        pm.setLong(9, Rows.millis(m.acceptedAt()));
        pm.executeUpdate();
        if (!ds.isEmpty()) {
          PreparedStatement pd = Sql.prepared(h, INSERT_DELIVERY);
          for (Delivery d : ds) {
            pd.setLong(1, d.id());
            pd.setLong(2, d.messageId().value());
            pd.setString(3, d.recipient().e164());
            bindState(pd, 4, d);
            pd.setString(14, d.replyHash());
            // The accepting node dispatches its own deliveries at once: it claims them as it stores them.
            Sql.text(pd, 15, claimNode);
            Sql.bigint(pd, 16, claimNode == null ? null : Rows.millis(m.acceptedAt()) + claimHoldMs);
            pd.executeUpdate();
          }
          for (Delivery d : ds) {
            writeSmscIds(h, d);
          }
        }
      } catch (SQLException e) {
        throw Sql.failed(INSERT_MESSAGE, e);
      }
      return new Accepted(m, List.copyOf(ds), false);
    });
  }

  private static final String INSERT_MESSAGE = """
      INSERT INTO messages (id, sender, target_kind, target, body, origin, origin_ref, secret, accepted_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String INSERT_DELIVERY = """
      INSERT INTO deliveries (id, message_id, recipient, state, done, route, attempts, next_attempt_at,
        keep_until, seen_at, smsc_ids, last_error, updated_at, reply_hash, claim_node, claim_until)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String UPDATE_DELIVERY = """
      UPDATE deliveries SET state = ?, done = ?, route = ?, attempts = ?, next_attempt_at = ?, keep_until = ?,
        seen_at = ?, smsc_ids = ?, last_error = ?, updated_at = ?
      WHERE id = ?""";
  private static final String UPSERT_SMSC_ID = """
      INSERT INTO smsc_ids (smsc_id, delivery_id) VALUES (?, ?)
      ON CONFLICT (smsc_id) DO UPDATE SET delivery_id = excluded.delivery_id""";

  /** The mutable state of a delivery: nine parameters from {@code first}, in the order of the statements above. */
  private static void bindState(PreparedStatement ps, int first, Delivery d) throws SQLException {
    ps.setString(first, d.state().name());
    ps.setInt(first + 1, d.state().done() ? 1 : 0);
    Sql.text(ps, first + 2, d.route().map(Enum::name));
    ps.setInt(first + 3, d.attempts());
    ps.setLong(first + 4, Rows.millis(d.nextAttemptAt()));
    Sql.bigint(ps, first + 5, Rows.millis(d.keepUntil()));
    Sql.bigint(ps, first + 6, Rows.millis(d.seenAt()));
    Sql.text(ps, first + 7, d.smscIds());
    Sql.text(ps, first + 8, d.lastError());
    ps.setLong(first + 9, Rows.millis(d.updatedAt()));
  }

  private void writeSmscIds(Handle h, Delivery d) throws SQLException {
    if (d.smscIds().isEmpty()) {
      return;
    }
    for (String id : d.smscIds().get().split(",")) {
      if (!id.isEmpty()) {
        PreparedStatement ps = Sql.prepared(h, UPSERT_SMSC_ID);
        ps.setString(1, id);
        ps.setLong(2, d.id());
        ps.executeUpdate();
      }
    }
  }

  @Override
  public Optional<Message> message(MessageId id) {
    return reads.withHandle(h -> message(h, id));
  }

  private static final String MESSAGE_BY_ID = "SELECT " + Rows.MESSAGE_COLS + " FROM messages m WHERE m.id = ?";

  private static Optional<Message> message(Handle h, MessageId id) {
    // A kept statement: the delivery stage's listeners read a message per state it reaches.
    return Sql.one(h, MESSAGE_BY_ID, ps -> ps.setLong(1, id.value()), Rows::message);
  }

  @Override
  public List<Delivery> deliveriesOf(MessageId id) {
    return reads.withHandle(h -> deliveriesOf(h, id));
  }

  private static List<Delivery> deliveriesOf(Handle h, MessageId id) {
    return h.createQuery("SELECT " + Rows.DELIVERY_COLS + " FROM deliveries d WHERE d.message_id = :id ORDER BY d.id")
        .bind("id", id.value()).map((rs, ctx) -> Rows.delivery(rs)).list();
  }

  @Override
  public Optional<Item> item(long deliveryId) {
    return reads.withHandle(h -> Sql.one(h, ITEM_BY_ID, ps -> ps.setLong(1, deliveryId), JdbcMessages::item));
  }

  @Override
  public Optional<Item> itemByReplyHash(String replyHash) {
    return reads.withHandle(h -> h.createQuery(ITEM_SELECT + "WHERE d.reply_hash = :t").bind("t", replyHash)
        .map((rs, ctx) -> new Item(Rows.delivery(rs), Rows.message(rs))).findOne());
  }

  @Override
  public boolean claimReplyLink(String replyHash, String claimHash) {
    return writes.write(h -> {
      // One statement decides: of any number of browsers opening the link at once, one sets the claim.
      int claimed = h.createUpdate("UPDATE deliveries SET reply_claim = :c WHERE reply_hash = :h AND reply_claim IS NULL")
          .bind("c", claimHash).bind("h", replyHash).execute();
      if (claimed == 1) {
        return true;
      }
      return h.createQuery("SELECT reply_claim FROM deliveries WHERE reply_hash = :h").bind("h", replyHash)
          .mapTo(String.class).findOne().map(claimHash::equals).orElse(false);
    });
  }

  @Override
  public List<Item> due(Instant now, int limit) {
    String node = claimNode;
    if (node == null) {
      return reads.withHandle(h -> Sql.list(h, DUE, ps -> {
        ps.setLong(1, Rows.millis(now));
        ps.setInt(2, limit);
      }, JdbcMessages::item));
    }
    long t = Rows.millis(now);
    String claim = postgres ? CLAIM_DUE + " FOR UPDATE SKIP LOCKED) RETURNING id" : CLAIM_DUE + ") RETURNING id";
    List<Long> ids = writes.write(h -> Sql.list(h, claim, ps -> {
      ps.setString(1, node);
      ps.setLong(2, t + claimHoldMs);
      ps.setLong(3, t);
      ps.setLong(4, t);
      ps.setString(5, node);
      ps.setInt(6, limit);
    }, rs -> rs.getLong(1)));
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Item> items = new ArrayList<>(ids.size());
    for (Long id : ids) {
      item(id).ifPresent(items::add);
    }
    items.sort(Comparator.comparing((Item i) -> i.delivery().nextAttemptAt())
        .thenComparingLong(i -> i.delivery().id()));
    return items;
  }

  /**
   * Claims due deliveries for one node: those nobody holds, whose holder's claim ran out, or that
   * this node already holds. PostgreSQL skips rows another node is claiming this instant.
   */
  private static final String CLAIM_DUE = """
      UPDATE deliveries SET claim_node = ?, claim_until = ?
      WHERE id IN (SELECT id FROM deliveries
        WHERE done = 0 AND next_attempt_at <= ? AND (claim_until IS NULL OR claim_until <= ? OR claim_node = ?)
        ORDER BY next_attempt_at, id LIMIT ?""";

  private static final String HOLD_FOR_SEND =
      "UPDATE deliveries SET claim_until = ? WHERE id = ? AND done = 0 AND claim_node = ?";

  /** The longest a submit may be under way on another node: a handed-over MT's 15 s, and margin. */
  private static final long SUBMIT_MAX_MS = 30_000;

  @Override
  public boolean claimedElsewhere(long deliveryId, Instant now) {
    String node = claimNode;
    if (node == null) {
      return false;
    }
    // Held, or marked SUBMITTING so recently that its submit may still be on its way through the
    // bind holder's queue (a handed-over MT may take SUBMIT_MAX), whatever the claim says.
    return reads.withHandle(h -> Sql.one(h,
        "SELECT 1 FROM deliveries WHERE id = ? AND claim_node IS NOT NULL AND claim_node <> ?"
            + " AND (claim_until > ? OR updated_at > ?)", ps -> {
          ps.setLong(1, deliveryId);
          ps.setString(2, node);
          ps.setLong(3, Rows.millis(now));
          ps.setLong(4, Rows.millis(now) - SUBMIT_MAX_MS);
        }, rs -> 1)).isPresent();
  }

  private static final String RELEASE_CLAIMS =
      "UPDATE deliveries SET claim_until = NULL WHERE claim_node = ? AND done = 0 AND claim_until IS NOT NULL";

  @Override
  public int releaseClaims() {
    String node = claimNode;
    if (node == null) {
      return 0;
    }
    return writes.write(h -> {
      try {
        PreparedStatement ps = Sql.prepared(h, RELEASE_CLAIMS);
        ps.setString(1, node);
        return ps.executeUpdate();
      } catch (SQLException e) {
        throw Sql.failed(RELEASE_CLAIMS, e);
      }
    });
  }

  @Override
  public boolean holdForSend(long deliveryId, Instant now) {
    String node = claimNode;
    if (node == null) {
      return true;
    }
    return writes.write(h -> {
      try {
        PreparedStatement ps = Sql.prepared(h, HOLD_FOR_SEND);
        ps.setLong(1, Rows.millis(now) + claimHoldMs);
        ps.setLong(2, deliveryId);
        ps.setString(3, node);
        return ps.executeUpdate() == 1;
      } catch (SQLException e) {
        throw Sql.failed(HOLD_FOR_SEND, e);
      }
    });
  }

  @Override
  public void update(Collection<Delivery> ds) {
    if (ds.isEmpty()) {
      return;
    }
    writes.write(h -> {
      try {
        PreparedStatement ps = Sql.prepared(h, UPDATE_DELIVERY);
        for (Delivery d : ds) {
          bindState(ps, 1, d);
          ps.setLong(11, d.id());
          ps.executeUpdate();
        }
        for (Delivery d : ds) {
          writeSmscIds(h, d);
        }
      } catch (SQLException e) {
        throw Sql.failed(UPDATE_DELIVERY, e);
      }
      return null;
    });
  }

  @Override
  public Optional<Delivery> deliveryBySmscId(String smscId) {
    return reads.withHandle(h -> Sql.one(h, BY_SMSC_ID, ps -> ps.setString(1, smscId), Rows::delivery));
  }

  @Override
  public List<Message> conversation(Msisdn me, Target partner, int limit) {
    return conversationBefore(me, partner, new MessageId(Long.MAX_VALUE), limit);
  }

  @Override
  public List<Message> conversationBefore(Msisdn me, Target partner, MessageId before, int limit) {
    return reads.withHandle(h -> {
      if (partner instanceof GroupId g) {
        return h.createQuery("SELECT " + Rows.MESSAGE_COLS + " FROM messages m WHERE m.target_kind = 'group'"
                + " AND m.target = :g AND m.id < :before ORDER BY m.id DESC LIMIT :limit")
            .bind("g", g.value()).bind("before", before.value()).bind("limit", limit)
            .map((rs, ctx) -> Rows.message(rs)).list();
      }
      // Two index range scans (target, sender, id) merged, rather than one OR that scans the table.
      return h.createQuery("SELECT * FROM ("
              + "SELECT " + Rows.MESSAGE_COLS + " FROM messages m WHERE m.target = :p AND m.sender = :me"
              + " AND m.target_kind = 'msisdn' AND m.id < :before UNION ALL "
              + "SELECT " + Rows.MESSAGE_COLS + " FROM messages m WHERE m.target = :me AND m.sender = :p"
              + " AND m.target_kind = 'msisdn' AND m.id < :before) x ORDER BY m_id DESC LIMIT :limit")
          .bind("me", me.e164()).bind("p", partner.id()).bind("before", before.value()).bind("limit", limit)
          .map((rs, ctx) -> Rows.message(rs)).list();
    });
  }

  @Override
  public List<Item> unseen(Msisdn me, Instant now, int limit) {
    List<Item> newestFirst = reads.withHandle(h -> h.createQuery(ITEM_SELECT
            + "WHERE d.recipient = :me AND d.seen_at IS NULL AND d.keep_until IS NOT NULL AND d.keep_until > :now "
            + "ORDER BY d.id DESC LIMIT :limit")
        .bind("me", me.e164()).bind("now", Rows.millis(now)).bind("limit", limit)
        .map((rs, ctx) -> new Item(Rows.delivery(rs), Rows.message(rs))).list());
    return List.copyOf(newestFirst.reversed());
  }

  @Override
  public void markSeen(Collection<Long> ids, Instant at) {
    if (ids.isEmpty()) {
      return;
    }
    writes.write(h -> {
      PreparedBatch b = h.prepareBatch("UPDATE deliveries SET seen_at = :at WHERE id = :id AND seen_at IS NULL");
      for (Long id : ids) {
        b.bind("at", Rows.millis(at)).bind("id", id).add();
      }
      b.execute();
      return null;
    });
  }

  @Override
  public List<Partner> partners(Msisdn me, int limit) {
    return reads.withHandle(h -> h.createQuery("""
            SELECT kind, other, MAX(id) AS last_id, MAX(accepted_at) AS last_at FROM (
              SELECT target_kind AS kind, target AS other, id, accepted_at FROM messages
                WHERE sender = :me AND origin <> 'SYSTEM' AND target_kind <> 'im'
              UNION ALL
              SELECT 'msisdn', sender, id, accepted_at FROM messages
                WHERE target = :me AND target_kind = 'msisdn' AND sender IS NOT NULL AND origin <> 'SYSTEM'
              UNION ALL
              SELECT 'group', m.target, m.id, m.accepted_at FROM deliveries d JOIN messages m ON m.id = d.message_id
                WHERE d.recipient = :me AND m.target_kind = 'group'
            ) p GROUP BY kind, other ORDER BY last_id DESC LIMIT :limit""")
        .bind("me", me.e164()).bind("limit", limit)
        .map((rs, ctx) -> new Partner(Rows.target(rs.getString("kind"), rs.getString("other")),
            Instant.ofEpochMilli(rs.getLong("last_at"))))
        .list());
  }

  @Override
  public List<SentBy> sentBy(Msisdn sender, Instant since, int limit) {
    // messages_by_sender (sender, id) walks the sender's rows newest first; ids follow time.
    return reads.withHandle(h -> h.createQuery("""
            SELECT m.accepted_at, m.body,
              (SELECT COUNT(*) FROM deliveries d WHERE d.message_id = m.id AND m.target_kind <> 'im'
                AND (d.route IS NULL OR d.route IN ('SMS', 'WAP_PUSH'))) AS sms
            FROM messages m WHERE m.sender = :s AND m.accepted_at >= :since ORDER BY m.id DESC LIMIT :n""")
        .bind("s", sender.e164()).bind("since", Rows.millis(since)).bind("n", limit)
        .map((rs, ctx) -> new SentBy(Rows.instant(rs, "accepted_at"), rs.getString("body"), rs.getInt("sms")))
        .list());
  }

  @Override
  public List<Outgoing> outgoing(Msisdn sender, Optional<Target> to, int limit) {
    // The sender's newest messages first (messages_by_sender, or messages_by_target for one
    // partner), then their deliveries (deliveries_by_message); a message with none still counts.
    String one = to.isPresent() ? " AND target = :t AND target_kind = :k" : "";
    String sql = "SELECT " + Rows.MESSAGE_COLS + ", " + Rows.DELIVERY_COLS
        + " FROM (SELECT * FROM messages WHERE sender = :s" + one + " ORDER BY id DESC LIMIT :n) m"
        + " LEFT JOIN deliveries d ON d.message_id = m.id ORDER BY m.id DESC, d.id";
    return reads.withHandle(h -> {
      var q = h.createQuery(sql).bind("s", sender.e164()).bind("n", limit);
      if (to.isPresent()) {
        q.bind("t", to.get().id()).bind("k", Rows.kind(to.get()));
      }
      List<Outgoing> out = new ArrayList<>();
      q.map((rs, ctx) -> {
        Message m = Rows.message(rs);
        if (out.isEmpty() || !out.getLast().message().id().equals(m.id())) {
          out.add(new Outgoing(m, new ArrayList<>()));
        }
        rs.getLong("d_id");
        if (!rs.wasNull()) {
          out.getLast().deliveries().add(Rows.delivery(rs));
        }
        return 0;
      }).forEach(x -> {});
      return out.stream().map(o -> new Outgoing(o.message(), List.copyOf(o.deliveries()))).toList();
    });
  }

  @Override
  public long count(DeliveryState state) {
    return reads.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM deliveries WHERE state = :s")
        .bind("s", state.name()).mapTo(Long.class).one());
  }

  @Override
  public int purge(Instant before) {
    return writes.write(h -> {
      String unfinished = "EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = messages.id AND d.done = 0)";
      List<Long> old = h.createQuery("SELECT id FROM messages WHERE accepted_at < :before AND NOT " + unfinished)
          .bind("before", Rows.millis(before)).mapTo(Long.class).list();
      for (List<Long> chunk : chunks(old, 500)) {
        h.createUpdate("DELETE FROM smsc_ids WHERE delivery_id IN (SELECT id FROM deliveries WHERE message_id IN (<ids>))")
            .bindList("ids", chunk).execute();
        h.createUpdate("DELETE FROM deliveries WHERE message_id IN (<ids>)").bindList("ids", chunk).execute();
        h.createUpdate("DELETE FROM messages WHERE id IN (<ids>)").bindList("ids", chunk).execute();
      }
      h.createUpdate("UPDATE messages SET body = '' WHERE secret = 1 AND body <> '' AND NOT " + unfinished).execute();
      return old.size();
    });
  }

  private static List<List<Long>> chunks(List<Long> all, int size) {
    List<List<Long>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += size) {
      out.add(all.subList(i, Math.min(all.size(), i + size)));
    }
    return out;
  }

  @Override
  public List<Item> inState(DeliveryState state, int limit) {
    return reads.withHandle(h -> Sql.list(h, ITEM_SELECT + "WHERE d.state = ? ORDER BY d.id LIMIT ?", ps -> {
      ps.setString(1, state.name());
      ps.setInt(2, limit);
    }, JdbcMessages::item));
  }

  @Override
  public List<Item> submittingTo(Msisdn recipient, int limit) {
    // The (recipient, id) index of undone deliveries (V5) finds them: at most a window's worth.
    return reads.withHandle(h -> Sql.list(h, ITEM_SELECT
        + "WHERE d.recipient = ? AND d.done = 0 AND d.state = 'SUBMITTING' AND (d.route IS NULL OR d.route <> 'IM')"
        + " ORDER BY d.id LIMIT ?", ps -> {
          ps.setString(1, recipient.e164());
          ps.setInt(2, limit);
        }, JdbcMessages::item));
  }

  @Override
  public List<Item> undoneTo(Msisdn recipient, int limit) {
    // The (recipient, id) index of undone deliveries (V5).
    return reads.withHandle(h -> Sql.list(h, ITEM_SELECT + "WHERE d.recipient = ? AND d.done = 0 ORDER BY d.id LIMIT ?",
        ps -> {
          ps.setString(1, recipient.e164());
          ps.setInt(2, limit);
        }, JdbcMessages::item));
  }

  @Override
  public QueueStats queueStats() {
    // Both parts come from the partial index of work not done (deliveries_due).
    return reads.withHandle(h -> Sql.one(h,
        "SELECT COUNT(*) AS depth, MIN(m.accepted_at) AS oldest FROM deliveries d JOIN messages m ON m.id = d.message_id"
            + " WHERE d.done = 0",
        ps -> {}, rs -> new QueueStats(rs.getLong("depth"), Rows.optInstant(rs, "oldest"))).orElseThrow());
  }

  @Override
  public Optional<Delivery> olderPending(Msisdn recipient, long deliveryId) {
    return reads.withHandle(h -> Sql.one(h, OLDER_PENDING, ps -> {
      ps.setString(1, recipient.e164());
      ps.setLong(2, deliveryId);
    }, Rows::delivery));
  }
}
