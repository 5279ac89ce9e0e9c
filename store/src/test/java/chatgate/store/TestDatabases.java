package chatgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Throw-away PostgreSQL databases for tests, on the local server (trust auth). */
public final class TestDatabases {
  public static final String HOST = System.getProperty("chatgate.pg.host", "127.0.0.1:5432");
  public static final String USER = System.getProperty("chatgate.pg.user", "postgres");
  private final List<String> created = new ArrayList<>();

  public static String url(String db) {
    return "jdbc:postgresql://" + HOST + "/" + db;
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(url("postgres"), USER, "");
  }

  /** Fails clearly when the server is not there (the test command starts it). */
  public void check() {
    try (Connection c = admin()) {
      c.isValid(2);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL is not reachable at " + HOST + " as " + USER
          + " (scripts/test starts it): " + e.getMessage(), e);
    }
  }

  public synchronized String create() {
    String db = "chatgate_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    exec("CREATE DATABASE " + db);
    created.add(db);
    return db;
  }

  public synchronized void drop(String db) {
    exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    created.remove(db);
  }

  public synchronized void dropAll() {
    for (String db : List.copyOf(created)) {
      drop(db);
    }
  }

  private static void exec(String sql) {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
