package chatgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * Plain JDBC for the few statements every message runs (accept, delivery updates, the stage's
 * reads). JDBI builds a statement context, parses named parameters and looks up argument
 * factories for every execution; on the single writer thread that was most of a batch's time
 * (docs/benchmarks.md). Everything else stays on JDBI.
 */
final class Sql {
  private Sql() {}

  /** Binds the parameters of one execution, by position. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  static void text(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  static void text(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
    text(ps, i, v.orElse(null));
  }

  static void bigint(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  static <T> List<T> list(Handle h, String sql, Binder binder, Mapper<T> mapper) {
    Connection physical = null;
    try {
      physical = h.getConnection().unwrap(Connection.class);
      PreparedStatement ps = prepared(physical, sql);
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      if (physical != null) {
        forget(physical);
      }
      throw failed(sql, e);
    }
  }

  /**
   * Statements kept per physical connection: preparing one (SQLite parses the SQL and reads its
   * column names) was the largest single cost of the stage's reads in the JFR samples. A pooled
   * connection is leased to one thread at a time, so each connection's statements are too; they
   * are made on the pool's physical connection, which the pool does not close on return. The
   * writer's statements come from here too (a write runs on the batch's handle).
   */
  private static final Map<Connection, Map<String, PreparedStatement>> PREPARED = new ConcurrentHashMap<>();

  /** The statement for this SQL kept on the handle's physical connection (prepared on first use). */
  static PreparedStatement prepared(Handle h, String sql) {
    try {
      return prepared(h.getConnection().unwrap(Connection.class), sql);
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  private static PreparedStatement prepared(Connection c, String sql) throws SQLException {
    Map<String, PreparedStatement> mine = PREPARED.get(c);
    if (mine == null) {
      // A new physical connection: drop what belonged to connections the pool has closed since.
      PREPARED.keySet().removeIf(Sql::closed);
      mine = new HashMap<>();
      PREPARED.put(c, mine);
    }
    PreparedStatement ps = mine.get(sql);
    if (ps == null || ps.isClosed()) {
      ps = c.prepareStatement(sql);
      mine.put(sql, ps);
    }
    return ps;
  }

  private static void forget(Connection c) {
    Map<String, PreparedStatement> mine = PREPARED.remove(c);
    if (mine != null) {
      for (PreparedStatement ps : mine.values()) {
        try {
          ps.close();
        } catch (SQLException ignored) {
          // the connection is likely broken; it goes with it
        }
      }
    }
  }

  private static boolean closed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  static <T> Optional<T> one(Handle h, String sql, Binder binder, Mapper<T> mapper) {
    List<T> all = list(h, sql, binder, mapper);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
  }

  static StoreException failed(String sql, SQLException e) {
    return new StoreException(e.getMessage() + " [" + sql.strip().lines().findFirst().orElse("") + "]", e);
  }

  /** A database error on a plain-JDBC path. */
  static final class StoreException extends RuntimeException {
    StoreException(String message, SQLException cause) {
      super(message, cause);
    }
  }
}
