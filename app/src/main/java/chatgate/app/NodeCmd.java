package chatgate.app;

import chatgate.app.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code chatgate admin node drain}: takes the running node of this config out of service (issue 20). */
@Command(name = "node", description = "Act on the running gateway node of this configuration.",
    subcommands = NodeCmd.Drain.class, mixinStandardHelpOptions = true)
final class NodeCmd implements Callable<Integer> {
  @ParentCommand
  Admin admin;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  @Command(name = "drain", description = "Take the node out of service before stopping it: /readyz answers 503"
      + " \"draining\" so a load balancer sends no more here, and open pages reconnect (to another node).")
  static final class Drain implements Callable<Integer> {
    @ParentCommand
    NodeCmd node;

    @Option(names = "--url", paramLabel = "URL", description = "the node's HTTP base (default: its [http] listen"
        + " address, on loopback)")
    String url;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      Optional<Config> c = Main.config(node.admin.config);
      if (c.isEmpty()) {
        return 2;
      }
      String base = url != null ? url : localBase(c.get());
      String token;
      try {
        token = DrainHandler.token(KeyFile.load(Path.of(c.get().security().keyFile())));
      } catch (RuntimeException e) {
        err.println("chatgate admin: " + e.getMessage());
        return 2;
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> r;
      try {
        r = http.send(HttpRequest.newBuilder(URI.create(base + DrainHandler.PATH)).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        err.println("chatgate admin: no gateway answers at " + base + ": " + e.getMessage());
        return 1;
      }
      if (r.statusCode() != 200) {
        err.println("chatgate admin: " + base + " answered " + r.statusCode() + ": " + r.body().strip());
        return 1;
      }
      spec.commandLine().getOut().print(r.body());
      return 0;
    }

    /** The node's listener as reached from this host: a wildcard address is reached on loopback. */
    static String localBase(Config c) {
      String host = c.http().host();
      if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
        host = "127.0.0.1";
      }
      if (host.contains(":") && !host.startsWith("[")) {
        host = "[" + host + "]";
      }
      return "http://" + host + ":" + c.http().port();
    }
  }
}
