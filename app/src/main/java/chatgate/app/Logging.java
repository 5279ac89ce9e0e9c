package chatgate.app;

import chatgate.app.config.Config;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Applies {@code [log]} to Logback. */
final class Logging {
  private Logging() {}

  static void configure(Config.Log log) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.getLogger("chatgate").setLevel(Level.toLevel(log.level(), Level.INFO));
    }
  }
}
