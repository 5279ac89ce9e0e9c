package chatgate.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings the schema up to date with Flyway, one shared migration folder plus one per engine.
 * Flyway's start (scanning the shaded jar for migrations, validating each applied one) cost about
 * half of a start on a current schema, which is the usual case: so when the schema history already
 * ends, successfully, at {@link #NEWEST}, Flyway is not started at all (issue 17, ADR 0045).
 */
final class Migrations {
  /** The newest migration's version; MigrationsTest holds it to the files. */
  static final int NEWEST = 14;

  /**
   * Migrations written once for both engines; each engine's folder holds only those that differ
   * (V1's types). Flyway checks a migration by its content, not its folder, so moving one here
   * leaves databases migrated before as they are.
   */
  static final String COMMON = "classpath:db/migration/common";

  private Migrations() {}

  /** Migrates unless the schema is current; {@code engine} names the engine's folder. */
  static void migrate(DataSource ds, String engine) {
    if (current(ds)) {
      return;
    }
    Flyway.configure().dataSource(ds).locations(COMMON, "classpath:db/migration/" + engine).load().migrate();
  }

  /**
   * Whether every migration ran: the history has no failed row and ends at {@link #NEWEST}. A
   * history past it (a newer build ran here) or none at all is left to Flyway, which says what is
   * wrong or creates the schema.
   */
  static boolean current(DataSource ds) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT version, success FROM flyway_schema_history")) {
      long newest = -1;
      while (r.next()) {
        if (!r.getBoolean(2)) {
          return false;
        }
        String v = r.getString(1);
        if (v != null) {
          newest = Math.max(newest, Long.parseLong(v));
        }
      }
      return newest == NEWEST;
    } catch (SQLException | NumberFormatException e) {
      return false; // no history yet (a new store), or one Flyway must read itself
    }
  }
}
