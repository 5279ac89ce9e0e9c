package chatgate.app;

import chatgate.app.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code chatgate train}: the training run of the launcher's ahead-of-time cache (JDK 25,
 * {@code -XX:AOTCacheOutput}). It starts a gateway on a throw-away folder and free loopback
 * ports, fetches its pages once, runs an admin command, and stops, so the classes a start and an
 * admin command load are loaded, linked and profiled once per build instead of at every start
 * (issue 17: ready in < 1.5 s, admin in < 1 s). Nothing it does is kept.
 */
@Command(name = "train", hidden = true, description = "Training run for the start-up cache (used by ./chatgate).")
final class Train implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("chatgate-train");
    try {
      Path config = ScratchConfig.write(dir, "[log]\nlevel = \"warn\"\n");
      try (Gateway g = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)))) {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + g.httpPort();
        for (String path : new String[] {"/healthz", "/readyz", "/", "/login", "/sim/", "/metrics"}) {
          for (String accept : new String[] {"text/html", "application/vnd.wap.xhtml+xml", "text/vnd.wap.wml"}) {
            http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
          }
        }
      }
      StringWriter out = new StringWriter();
      CommandLine admin = new CommandLine(new Main());
      admin.setOut(new PrintWriter(out));
      admin.setErr(new PrintWriter(out));
      admin.execute("admin", "user", "list", "--config", config.toString());
      return 0;
    } finally {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
