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
}
