package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.sms.peer.NodeSmsc;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** What the process-level ITs share: the gateway jar as a process, readiness, and reading the SMSC peer. */
final class ItSupport {
  private ItSupport() {}

  /** The shaded jar of this build ({@code package} phase) run with a config; its output appended to {@code log}. */
  static Process startJar(Path config, Path log, String... jvmArgs) throws Exception {
    Path jar = Path.of("target", "chatgate.jar").toAbsolutePath();
    assertThat(jar).as("the shaded jar (package phase)").exists();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  static void awaitReady(String base, Duration atMost) {
    HttpClient c = HttpClient.newHttpClient();
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> c.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  /** How many times the SMSC took (status 0) an SMS whose text carries each number {@code mark} captures. */
  static Map<Integer, Integer> marked(NodeSmsc smsc, Pattern mark) {
    Map<Integer, Integer> count = new HashMap<>();
    for (JsonNode e : smsc.events("submit_sm")) {
      if (e.get("status").asInt() != 0 || !e.hasNonNull("text")) {
        continue;
      }
      Matcher m = mark.matcher(e.get("text").asText());
      if (m.find()) {
        count.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
      }
    }
    return count;
  }

  /** An SMS from a handset in UCS-2 (so any text goes), on one bind session of the SMSC, or any when null. */
  static JsonNode moUcs2(NodeSmsc smsc, Integer session, String fromDigits, String text) {
    Map<String, Object> cmd = new LinkedHashMap<>(Map.of("cmd", "mo", "source_addr", fromDigits, "source_addr_ton", 1,
        "source_addr_npi", 1, "destination_addr", "10658", "data_coding", 8, "esm_class", 0,
        "short_message_hex", HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_16BE))));
    if (session != null) {
      cmd.put("session", session);
    }
    return smsc.command(cmd);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** How many times {@code what} occurs in {@code text} (log lines of one kind). */
  static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
      n++;
    }
    return n;
  }
}
