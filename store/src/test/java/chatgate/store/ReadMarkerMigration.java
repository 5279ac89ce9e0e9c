package chatgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * V13 (ADR 0047) on a database written before it: what was stored counts as read, so an upgrade
 * does not make a whole history unread; what comes after is unread.
 */
final class ReadMarkerMigration {
  private ReadMarkerMigration() {}

  static void check(String url, String user, String engine) throws Exception {
    var flyway = Flyway.configure();
    if (engine.equals("sqlite")) {
      flyway.dataSource(JdbcStore.migratingSqlite(url)); // V8 needs its sha256_hex
    } else {
      flyway.dataSource(url, user, null);
    }
    flyway.locations(Migrations.COMMON, "classpath:db/migration/" + engine).target("12").load().migrate();
    try (Connection c = DriverManager.getConnection(url, user.isEmpty() ? null : user, null);
        Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO messages (id, sender, target_kind, target, body, origin, origin_ref, secret,"
          + " accepted_at) VALUES (1, '+8613800000002', 'msisdn', '+8613800000001', 'old', 'WEB', NULL, 0, 1000),"
          + " (3, '+8613800000003', 'group', 'family', 'old too', 'WEB', NULL, 0, 1000)");
      s.executeUpdate("INSERT INTO deliveries (id, message_id, recipient, state, done, route, attempts,"
          + " next_attempt_at, keep_until, seen_at, reply_hash, smsc_ids, last_error, updated_at) VALUES"
          + " (2, 1, '+8613800000001', 'SENT', 1, 'SMS', 1, 1000, NULL, NULL, 'h2', NULL, NULL, 1000),"
          + " (4, 3, '+8613800000001', 'SENT', 1, 'SMS', 1, 1000, NULL, NULL, 'h4', NULL, NULL, 1000)");
    }
    try (JdbcStore store = JdbcStore.open(url, user, "")) {
      assertThat(store.readMarkers().unread(Msisdn.of("+8613800000001"), 10)).isEmpty();
    }
  }
}
