package chatgate.cluster.peer;

import chatgate.testkit.ExternalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real NATS server with JetStream (Debian's {@code nats-server}) for tests: its own port and
 * store directory, loopback only, so a test may stop and restart it without touching the
 * machine's shared one. {@link #restart} keeps the store (file-backed KV buckets survive).
 */
public final class NatsServer implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nats-server");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private final Path dir;
  private final int port;
  private final ExternalProcess process;

  private NatsServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    Path log = dir.resolve("nats.log");
    this.process = new ExternalProcess("nats-server", List.of(BINARY.toString(), "-a", "127.0.0.1",
        "-p", String.valueOf(port), "-js", "-sd", dir.resolve("js").toString()), Map.of(), log, log);
  }

  public static NatsServer start() throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException("/usr/sbin/nats-server is missing: install nats-server (scripts/test does)");
    }
    NatsServer n = new NatsServer(Files.createTempDirectory("nats"), ExternalProcess.freePort());
    n.process.start(n.port, START_TIMEOUT);
    return n;
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public void stop() throws InterruptedException {
    process.stop();
  }

  /** Stops and starts again on the same port and store. */
  public void restart() throws IOException, InterruptedException {
    stop();
    process.start(port, START_TIMEOUT);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    stop();
    ExternalProcess.deleteTree(dir);
  }

  /** The server's output, every start of it. */
  public List<String> log() throws IOException {
    return Files.readAllLines(dir.resolve("nats.log"));
  }
}
