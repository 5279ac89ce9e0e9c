package chatgate.cluster.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real NATS server with JetStream (Debian's {@code nats-server}) for tests: its own port and
 * store directory, loopback only, so a test may stop and restart it without touching the
 * machine's shared one. {@link #restart} keeps the store (file-backed KV buckets survive).
 */
public final class NatsServer implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nats-server");
  private final Path dir;
  private final int port;
  private Process process;

  private NatsServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static NatsServer start() throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException("/usr/sbin/nats-server is missing: install nats-server (scripts/test does)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    NatsServer n = new NatsServer(Files.createTempDirectory("nats"), port);
    n.run();
    return n;
  }

  private void run() throws IOException, InterruptedException {
    process = new ProcessBuilder(BINARY.toString(), "-a", "127.0.0.1", "-p", String.valueOf(port), "-js",
        "-sd", dir.resolve("js").toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("nats.log").toFile())
        .start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nats-server exited: " + Files.readString(dir.resolve("nats.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nats-server did not listen on " + port);
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Stops and starts again on the same port and store. */
  public void restart() throws IOException, InterruptedException {
    stop();
    run();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    stop();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  public List<String> log() throws IOException {
    return Files.readAllLines(dir.resolve("nats.log"));
  }
}
