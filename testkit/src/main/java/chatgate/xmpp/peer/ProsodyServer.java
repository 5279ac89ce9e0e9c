package chatgate.xmpp.peer;

import chatgate.testkit.ExternalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Prosody (Debian's {@code prosody}) for tests: its own config and data in a temp dir,
 * loopback only, c2s on a free port, accounts made with {@code prosodyctl register}, the admin
 * shell enabled for {@code prosodyctl shell} (kicks). {@code run_as_root} because CI runs as root
 * (Prosody otherwise refuses to start). Plain c2s unless started with a certificate, then STARTTLS
 * is offered (not required, so the slixmpp contacts still connect in plain).
 */
public final class ProsodyServer extends ProcessXmppServer {
  public static final String DOMAIN = XmppServer.DOMAIN;
  private static final Path PROSODY = Path.of("/usr/bin/prosody");
  private static final Path PROSODYCTL = Path.of("/usr/bin/prosodyctl");

  private ProsodyServer(Path dir, int port) {
    super(dir, port, new ExternalProcess("prosody", List.of(PROSODY.toString(), "--config",
        dir.resolve("prosody.cfg.lua").toString(), "-F"), Map.of(), dir.resolve("stdout.txt"), dir.resolve("prosody.log")),
        Duration.ofSeconds(15), dir.resolve("prosody.log"));
  }

  /** Plain c2s: STARTTLS not offered. */
  public static ProsodyServer start() throws IOException, InterruptedException {
    return start("internal_hashed", false, null, null);
  }

  /** Plain-text account storage, so a load run can write thousands of accounts as files ({@link #bulkUsers}). */
  public static ProsodyServer startPlain() throws IOException, InterruptedException {
    return start("internal_plain", false, null, null);
  }

  /** Offers STARTTLS with this certificate (PEM) and key; encryption stays optional. */
  public static ProsodyServer startWithTls(Path certificate, Path key) throws IOException, InterruptedException {
    return start("internal_hashed", true, certificate, key);
  }

  /** Offers STARTTLS but has no certificate: every TLS handshake fails (a misconfigured server). */
  public static ProsodyServer startWithBrokenTls() throws IOException, InterruptedException {
    return start("internal_hashed", true, null, null);
  }

  private static ProsodyServer start(String auth, boolean tlsModule, Path certificate, Path key)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(PROSODY) || !Files.isExecutable(PROSODYCTL)) {
      throw new IllegalStateException("/usr/bin/prosody is missing: install prosody (scripts/test does)");
    }
    Path dir = Files.createTempDirectory("prosody");
    int port = ExternalProcess.freePort();
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("certs"));
    String tls = certificate == null ? "" : "ssl = { certificate = \"%s\"; key = \"%s\"; }\n".formatted(certificate, key);
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
        modules_enabled = { "disco"; "roster"; "saslauth"; %5$s"ping"; "posix"; "smacks"; "carbons"; "offline"; "admin_shell"; "mam" }
        -- XEP-0313: every message archived, so a text left in doubt can be looked up (ADR 0030)
        default_archive_policy = true
        modules_disabled = { "s2s" }
        authentication = "%3$s"
        storage = "internal"
        c2s_require_encryption = false
        allow_unencrypted_plain_auth = true
        certificates = "%1$s/certs"
        %4$s
        VirtualHost "localhost"
        """.formatted(dir, port, auth, tls, tlsModule ? "\"tls\"; " : ""));
    ProsodyServer p = new ProsodyServer(dir, port);
    p.run();
    return p;
  }

  private Path config() {
    return dir.resolve("prosody.cfg.lua");
  }

  @Override
  public Kind kind() {
    return Kind.PROSODY;
  }

  @Override
  public void addUser(String local, String password) throws IOException, InterruptedException {
    ExternalProcess.run(List.of(PROSODYCTL.toString(), "--config", config().toString(), "register", local, DOMAIN,
        password), Map.of(), Duration.ofSeconds(30));
  }

  /**
   * The admin shell's {@code c2s:close(jid)}: Prosody 0.12 closes the stream with no error at all
   * (a bare {@code </stream:stream>}), whatever the resource.
   */
  @Override
  public void kick(String local, String resource) throws IOException, InterruptedException {
    String out = ExternalProcess.run(List.of(PROSODYCTL.toString(), "--config", config().toString(), "shell", "c2s",
        "close", local + "@" + DOMAIN), Map.of(), Duration.ofSeconds(30));
    if (!out.contains("sessions closed") || out.contains("Total: 0 ")) {
      throw new IllegalStateException("prosodyctl shell c2s close " + local + ": " + out);
    }
  }

  @Override
  public long logins(String local) throws IOException {
    return ExternalProcess.count(dir.resolve("prosody.log"), "Authenticated as " + local + "@" + DOMAIN);
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

}
