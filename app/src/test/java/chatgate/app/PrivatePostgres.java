package chatgate.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own (Debian's binaries, a fresh cluster in a temp dir, a free
 * port on loopback, trust auth), so a test may stop and restart it without touching the
 * machine's server that other tests use. As root it runs the server as the postgres user.
 */
final class PrivatePostgres implements AutoCloseable {
  private final Path dir;
  private final Path bin;
  final int port;

  private PrivatePostgres(Path dir, Path bin, int port) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
  }

  static PrivatePostgres start() throws Exception {
    Path bin;
    try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
      bin = s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
          .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString())))
          .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql"));
    } catch (IOException e) {
      throw new IllegalStateException("PostgreSQL server binaries are missing (Debian package postgresql)", e);
    }
    Path dir = Files.createTempDirectory("pg");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PrivatePostgres pg = new PrivatePostgres(dir, bin, port);
    if (root()) {
      run(List.of("chown", "-R", "postgres", dir.toString()));
    }
    pg.asOwner("initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres", "--no-sync");
    pg.startServer();
    return pg;
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  void startServer() throws Exception {
    asOwner("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
  }

  /** A fast shutdown, as an operator's restart or a failover would do: connections are cut. */
  void stopServer() throws Exception {
    asOwner("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
  }

  private void asOwner(String tool, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (root()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.add(bin.resolve(tool).toString());
    cmd.addAll(List.of(args));
    run(cmd);
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      stopServer();
    } catch (IllegalStateException alreadyStopped) {
      // fine
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
