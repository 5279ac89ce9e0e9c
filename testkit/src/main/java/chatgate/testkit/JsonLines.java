package chatgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** A peer's stdout read as one JSON event a line (the npm SMSC, the slixmpp client), until it ends. */
public final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {
  }

  /** Each line parsed to {@code event}; a line that is not JSON goes to {@code other}. */
  public static void read(InputStream in, Consumer<JsonNode> event, Consumer<String> other) throws IOException {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode parsed;
        try {
          parsed = JSON.readTree(line);
        } catch (IOException e) {
          other.accept(line);
          continue;
        }
        event.accept(parsed);
      }
    }
  }
}
