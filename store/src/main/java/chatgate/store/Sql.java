package chatgate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw failed(sql, e);
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
