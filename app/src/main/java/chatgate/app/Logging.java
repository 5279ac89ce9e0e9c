package chatgate.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import chatgate.app.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code [log]} to Logback: the level of chatgate's own loggers, and {@code json} lines
 * (one JSON object per event, Logback's {@link JsonEncoder}) for log shippers.
 */
final class Logging {
  private Logging() {}

  static void configure(Config.Log log) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    ctx.getLogger("chatgate").setLevel(Level.toLevel(log.level(), Level.INFO));
    if (log.format().equals("json")) {
      ConsoleAppender<ILoggingEvent> console = console(ctx);
      if (console != null && !(console.getEncoder() instanceof JsonEncoder)) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(ctx);
        json.start();
        console.stop();
        console.setEncoder(json);
        console.start();
      }
    }
  }

  /** The console appender of the root logger, directly or behind an asynchronous one (logback.xml). */
  @SuppressWarnings("unchecked")
  static ConsoleAppender<ILoggingEvent> console(LoggerContext ctx) {
    var it = ctx.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
    while (it.hasNext()) {
      Appender<ILoggingEvent> a = it.next();
      if (a instanceof ConsoleAppender<ILoggingEvent> c) {
        return c;
      }
      if (a instanceof AsyncAppenderBase<ILoggingEvent> async) {
        var inner = async.iteratorForAppenders();
        while (inner.hasNext()) {
          if (inner.next() instanceof ConsoleAppender<ILoggingEvent> c) {
            return c;
          }
        }
      }
    }
    return null;
  }
}
