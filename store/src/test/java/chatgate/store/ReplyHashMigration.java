package chatgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.auth.Tokens;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * V8 (ADR 0014) on a database written before it: the stored reply tokens become their hashes, so
 * links already sent keep working, and no plain token is left.
 */
final class ReplyHashMigration {
  private ReplyHashMigration() {}

  static void check(String url, String user, String engine) throws Exception {
    Flyway.configure().dataSource(url, user.isEmpty() ? null : user, null)
        .locations(Migrations.COMMON, "classpath:db/migration/" + engine).target("7").load().migrate();
    try (Connection c = DriverManager.getConnection(url, user.isEmpty() ? null : user, null);
        Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO messages (id, sender, target_kind, target, body, origin, origin_ref, secret,"
          + " accepted_at) VALUES (1, '+8613800000001', 'MSISDN', '+8613800000002', 'hi', 'WEB', NULL, 0, 1000)");
      s.executeUpdate("INSERT INTO deliveries (id, message_id, recipient, state, done, route, attempts,"
          + " next_attempt_at, keep_until, seen_at, reply_token, smsc_ids, last_error, updated_at) VALUES (2, 1,"
          + " '+8613800000002', 'SENT', 1, 'SMS', 1, 1000, NULL, NULL, 'OldToken1234', NULL, NULL, 1000)");
    }
    try (JdbcStore store = JdbcStore.open(url, user, "")) {
      assertThat(store.messages().itemByReplyHash(Tokens.sha256("OldToken1234")))
          .hasValueSatisfying(i -> assertThat(i.delivery().id()).isEqualTo(2));
      assertThat(store.messages().itemByReplyHash("OldToken1234")).isEmpty();
    }
    try (Connection c = DriverManager.getConnection(url, user.isEmpty() ? null : user, null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM deliveries")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("reply_hash")).isEqualTo(Tokens.sha256("OldToken1234"));
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        assertThat(String.valueOf(rs.getObject(i))).as(rs.getMetaData().getColumnName(i))
            .doesNotContain("OldToken1234");
      }
    }
  }
}
