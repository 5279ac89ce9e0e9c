package chatgate.xmpp.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prosody (Debian's {@code prosody}) for tests: its own config and data in a temp dir,
 * loopback only, plain c2s on a free port, accounts made with {@code prosodyctl register}.
 * {@code run_as_root} because CI runs as root (Prosody otherwise refuses to start).
 */
public final class ProsodyServer implements AutoCloseable {
  public static final String DOMAIN = "localhost";
  private static final Path PROSODY = Path.of("/usr/bin/prosody");
  private static final Path PROSODYCTL = Path.of("/usr/bin/prosodyctl");

  private final Path dir;
  private final int port;
  private Process process;

  private ProsodyServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static ProsodyServer start() throws IOException, InterruptedException {
    return start("internal_hashed");
  }

  /** Plain-text account storage, so a load run can write thousands of accounts as files ({@link #bulkUsers}). */
  public static ProsodyServer startPlain() throws IOException, InterruptedException {
    return start("internal_plain");
  }

  private static ProsodyServer start(String auth) throws IOException, InterruptedException {
    if (!Files.isExecutable(PROSODY) || !Files.isExecutable(PROSODYCTL)) {
      throw new IllegalStateException("/usr/bin/prosody is missing: install prosody (scripts/test does)");
    }
    Path dir = Files.createTempDirectory("prosody");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("prosody.cfg.lua"), """
        pidfile = "%1$s/prosody.pid"
        data_path = "%1$s/data"
        run_as_root = true
        daemonize = false
        log = { info = "%1$s/prosody.log"; error = "%1$s/prosody.err" }
        interfaces = { "127.0.0.1" }
        c2s_ports = { %2$d }
        c2s_direct_tls_ports = {}
        s2s_ports = {}
        http_ports = {}
        https_ports = {}
        modules_enabled = { "disco"; "roster"; "saslauth"; "ping"; "posix"; "smacks"; "carbons" }
        modules_disabled = { "s2s" }
        authentication = "%3$s"
        storage = "internal"
        c2s_require_encryption = false
        allow_unencrypted_plain_auth = true
        certificates = "%1$s/certs"
        VirtualHost "localhost"
        """.formatted(dir, port, auth));
    ProsodyServer p = new ProsodyServer(dir, port);
    p.run();
    return p;
  }

  private Path config() {
    return dir.resolve("prosody.cfg.lua");
  }

  private void run() throws IOException, InterruptedException {
    process = new ProcessBuilder(PROSODY.toString(), "--config", config().toString(), "-F")
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < until) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!process.isAlive()) {
          throw new IllegalStateException("prosody exited: " + Files.readString(dir.resolve("stdout.txt")));
        }
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("prosody did not open port " + port);
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  /** Creates (or resets) an account. */
  public void addUser(String local, String password) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(PROSODYCTL.toString(), "--config", config().toString(), "register", local, DOMAIN,
        password).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("prosodyctl register " + local + " failed: " + out);
    }
  }

  /**
   * Writes {@code n} accounts {@code prefix0…} with this password straight into the storage (only
   * with {@link #startPlain}), each with {@code contactOf.apply(i)} (a bare JID, or null) as a
   * contact with subscription both. Prosody reads them at login.
   */
  public void bulkUsers(String prefix, int n, String password, java.util.function.IntFunction<String> contactOf)
      throws IOException {
    Path accounts = dir.resolve("data").resolve(DOMAIN).resolve("accounts");
    Path rosters = dir.resolve("data").resolve(DOMAIN).resolve("roster");
    Files.createDirectories(accounts);
    Files.createDirectories(rosters);
    for (int i = 0; i < n; i++) {
      Files.writeString(accounts.resolve(prefix + i + ".dat"), "return {\n\t[\"password\"] = \"" + password + "\";\n};\n");
      String contact = contactOf.apply(i);
      if (contact != null) {
        Files.writeString(rosters.resolve(prefix + i + ".dat"), """
            return {
            	[false] = { ["version"] = 1; ["pending"] = {}; };
            	["%1$s"] = { ["subscription"] = "both"; ["groups"] = {}; ["name"] = "%2$s"; };
            };
            """.formatted(contact, contact.substring(0, contact.indexOf('@'))));
      }
    }
  }

  /** Stops Prosody (clients see their streams end) and starts it again on the same port and data. */
  public void restart(Duration down) throws IOException, InterruptedException {
    stop();
    Thread.sleep(down.toMillis());
    run();
  }

  private void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Override
  public void close() throws Exception {
    stop();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Prosody's own log, for a failing test's message. */
  public List<String> log() throws IOException {
    Path l = dir.resolve("prosody.log");
    return Files.exists(l) ? Files.readAllLines(l) : List.of();
  }
}
