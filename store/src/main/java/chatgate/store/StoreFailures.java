package chatgate.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Tells an expected failure of the database link (logged in one line) from an unexpected one (logged with its trace). */
final class StoreFailures {
  private StoreFailures() {}

  /** The database could not be reached or dropped the connection: SQLSTATE class 08, or the pool gave up waiting. */
  static boolean connectionLost(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLTransientConnectionException || c instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (c instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }
}
