package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import chatgate.app.config.Config;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {
  @Test
  void jsonFormatWritesOneJsonObjectPerEvent() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logging.configure(new Config.Log("json", "info"));
    var console = Logging.console(ctx);
    assertThat(console).isNotNull();
    assertThat(console.getEncoder()).isInstanceOf(JsonEncoder.class);
    LoggingEvent e = new LoggingEvent("x", ctx.getLogger("chatgate.test"), ch.qos.logback.classic.Level.INFO,
        "MO {} from {}", null, new Object[] {"r1", "+*********0052"});
    String line = new String(console.getEncoder().encode(e), StandardCharsets.UTF_8).strip();
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("loggerName").asText()).isEqualTo("chatgate.test");
    assertThat(json.toString()).contains("+*********0052");
    Logging.configure(new Config.Log("text", "info"));
  }

  @Test
  void jsonLinesCarryTheDeliverysFieldsAndAFailuresMaskedTrace() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logging.configure(new Config.Log("json", "info"));
    try {
      var console = Logging.console(ctx);
      org.slf4j.MDC.put("delivery", "d42");
      org.slf4j.MDC.put("phone", "+*********0052");
      LoggingEvent e = new LoggingEvent("x", ctx.getLogger("chatgate.test"), ch.qos.logback.classic.Level.WARN,
          "delivery d{} failed", chatgate.core.model.MaskedFailure.of(
              new IllegalStateException("insert for +8613800000052 failed")), new Object[] {42});
      e.prepareForDeferredProcessing();
      JsonNode json = new ObjectMapper().readTree(new String(console.getEncoder().encode(e), StandardCharsets.UTF_8));
      assertThat(json.get("mdc").get("delivery").asText()).isEqualTo("d42");
      assertThat(json.get("mdc").get("phone").asText()).isEqualTo("+*********0052");
      assertThat(json.toString()).contains("IllegalStateException", "LoggingTest").doesNotContain("13800000052");
    } finally {
      org.slf4j.MDC.clear();
      Logging.configure(new Config.Log("text", "info"));
    }
  }
}
