package chatgate.app;

import chatgate.core.model.MaskedFailure;
import chatgate.core.model.Msisdn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * How a failure is logged (issue 19): one that the network or the database is expected to cause
 * now and then in one line; any other with its stack trace, so an unexpected one can be found. In
 * both, numbers in messages are masked.
 */
final class Failures {
  private Failures() {}

  static void warn(Logger log, String what, Throwable e) {
    if (expected(e)) {
      log.warn("{}: {}", what, Msisdn.maskAll(e.toString()));
    } else {
      log.warn(what, MaskedFailure.of(e));
    }
  }

  /** An I/O failure, a timeout, or a database that could not be reached (SQLSTATE class 08), anywhere in the causes. */
  static boolean expected(Throwable e) {
    int depth = 0;
    for (Throwable c = e; c != null && depth < 16; c = c.getCause(), depth++) {
      if (c instanceof IOException || c instanceof UncheckedIOException || c instanceof TimeoutException) {
        return true;
      }
      if (c instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
        return true;
      }
      if (c instanceof SQLTransientConnectionException) {
        return true;
      }
    }
    return false;
  }
}
