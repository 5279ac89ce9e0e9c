package chatgate.store;

import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.GroupId;
import chatgate.core.model.ImContact;
import chatgate.core.model.Language;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.Route;
import chatgate.core.model.Target;
import chatgate.core.model.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Row ↔ record mapping, in one place. Instants are epoch milliseconds. */
final class Rows {
  private Rows() {}

  static final String MESSAGE_COLS =
      "m.id AS m_id, m.sender, m.target_kind, m.target, m.body, m.origin, m.origin_ref, m.secret, m.accepted_at";
  static final String DELIVERY_COLS =
      "d.id AS d_id, d.message_id, d.recipient, d.state, d.route, d.attempts, d.next_attempt_at, d.keep_until, "
          + "d.seen_at, d.reply_hash, d.smsc_ids, d.last_error, d.updated_at";

  static long millis(Instant i) {
    return i.toEpochMilli();
  }

  static Long millis(Optional<Instant> i) {
    return i.map(Instant::toEpochMilli).orElse(null);
  }

  static Instant instant(ResultSet rs, String col) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(col));
  }

  static Optional<Instant> optInstant(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }

  static String kind(Target t) {
    return switch (t) {
      case GroupId g -> "group";
      case Msisdn m -> "msisdn";
      case ImContact c -> "im";
    };
  }

  static Target target(String kind, String id) {
    return switch (kind) {
      case "group" -> GroupId.of(id);
      case "im" -> ImContact.of(id);
      default -> Msisdn.of(id);
    };
  }

  static User user(ResultSet rs) throws SQLException {
    return new User(
        Msisdn.of(rs.getString("msisdn")),
        rs.getString("display_name"),
        Language.valueOf(rs.getString("language")),
        rs.getInt("sms_stopped") != 0,
        rs.getInt("wap_push") != 0,
        Optional.ofNullable(rs.getString("imsi")),
        instant(rs, "created_at"));
  }

  static Message message(ResultSet rs) throws SQLException {
    String sender = rs.getString("sender");
    return new Message(
        new MessageId(rs.getLong("m_id")),
        Optional.ofNullable(sender).map(Msisdn::of),
        target(rs.getString("target_kind"), rs.getString("target")),
        rs.getString("body"),
        Origin.valueOf(rs.getString("origin")),
        Optional.ofNullable(rs.getString("origin_ref")),
        rs.getInt("secret") != 0,
        instant(rs, "accepted_at"));
  }

  static Delivery delivery(ResultSet rs) throws SQLException {
    String route = rs.getString("route");
    return new Delivery(
        rs.getLong("d_id"),
        new MessageId(rs.getLong("message_id")),
        Msisdn.of(rs.getString("recipient")),
        DeliveryState.valueOf(rs.getString("state")),
        Optional.ofNullable(route).map(Route::valueOf),
        rs.getInt("attempts"),
        instant(rs, "next_attempt_at"),
        optInstant(rs, "keep_until"),
        optInstant(rs, "seen_at"),
        rs.getString("reply_hash"),
        Optional.ofNullable(rs.getString("smsc_ids")),
        Optional.ofNullable(rs.getString("last_error")),
        instant(rs, "updated_at"));
  }
}
