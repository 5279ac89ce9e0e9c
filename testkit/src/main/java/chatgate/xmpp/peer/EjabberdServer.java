package chatgate.xmpp.peer;

import chatgate.testkit.ExternalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A real ejabberd (Debian's {@code ejabberd}) for tests, beside {@link ProsodyServer}: started by
 * {@code ejabberdctl foreground} with its own config, Mnesia spool and logs in a temp dir, plain
 * c2s on a free loopback port; accounts made with {@code ejabberdctl register}, kicks with
 * {@code ejabberdctl kick_session}.
 *
 * <p>Parallel runs must not meet: each instance has its own Erlang node name and a random cookie,
 * and Erlang distribution listens on a free loopback port of its own ({@code ERL_DIST_PORT}), so
 * no epmd is started or shared. Its own {@code --ctl-config} keeps Debian's
 * {@code /etc/default/ejabberd} (the system service's config) out of it. ejabberdctl only runs as
 * root or as the {@code ejabberd} user; as root it is told to run the VM as root rather than to
 * switch to {@code ejabberd}, who could not read the test's temp dir.
 */
public final class EjabberdServer extends ProcessXmppServer {
  private static final Path EJABBERDCTL = Path.of("/usr/sbin/ejabberdctl");

  private final List<String> ctl;

  private EjabberdServer(Path dir, int port, List<String> ctl) {
    super(dir, port, new ExternalProcess("ejabberd", Stream.concat(ctl.stream(), Stream.of("foreground")).toList(),
        Map.of(), dir.resolve("stdout.txt"), dir.resolve("logs").resolve("ejabberd.log")), Duration.ofSeconds(60),
        dir.resolve("logs").resolve("ejabberd.log"));
    this.ctl = ctl;
  }

  /** ejabberdctl on this instance's own config, spool, logs and Erlang node. */
  private static List<String> ctlCommand(Path dir, String node) {
    return List.of(EJABBERDCTL.toString(), "--ctl-config", dir.resolve("ejabberdctl.cfg").toString(), "--config",
        dir.resolve("ejabberd.yml").toString(), "--spool", dir.resolve("spool").toString(), "--logs",
        dir.resolve("logs").toString(), "--node", node);
  }

  public static EjabberdServer start() throws IOException, InterruptedException {
    if (!Files.isExecutable(EJABBERDCTL)) {
      throw new IllegalStateException("/usr/sbin/ejabberdctl is missing: install ejabberd (scripts/test does)");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("ejabberdctl runs only as root or as the ejabberd user: run the tests as root (CI does)");
    }
    Path dir = Files.createTempDirectory("ejabberd");
    Files.createDirectories(dir.resolve("spool"));
    Files.createDirectories(dir.resolve("logs"));
    int port = ExternalProcess.freePort();
    int distPort = ExternalProcess.freePort();
    SecureRandom random = new SecureRandom();
    String node = "chatgate-" + HexFormat.of().formatHex(bytes(random, 4)) + "@localhost";
    String cookie = HexFormat.of().formatHex(bytes(random, 16));
    Files.writeString(dir.resolve("ejabberdctl.cfg"), """
        ERLANG_NODE=%1$s
        ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0 -setcookie %2$s -kernel inet_dist_use_interface {127,0,0,1}"
        ERL_DIST_PORT=%3$d
        EXEC_CMD=as_current_user
        EJABBERD_BYPASS_WARNINGS=true
        """.formatted(node, cookie, distPort));
    Files.writeString(dir.resolve("ejabberd.yml"), """
        hosts:
          - %1$s
        loglevel: info
        certfiles: []
        listen:
          -
            port: %2$d
            ip: "127.0.0.1"
            module: ejabberd_c2s
            starttls: false
        auth_method: internal
        auth_password_format: scram
        acl:
          local:
            user_regexp: ""
        access_rules:
          local:
            allow: local
          c2s:
            allow: all
        shaper_rules:
          c2s_shaper: none
        modules:
          mod_roster: {}
          mod_disco: {}
          mod_ping: {}
          mod_stream_mgmt: {}
          mod_offline: {}
          mod_carboncopy: {}
          mod_admin_extra: {}
          # XEP-0313: every message archived, so a text left in doubt can be looked up (ADR 0030)
          mod_mam:
            default: always
        """.formatted(DOMAIN, port));
    EjabberdServer s = new EjabberdServer(dir, port, ctlCommand(dir, node));
    s.run();
    return s;
  }

  private static byte[] bytes(SecureRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * Waits, after the c2s port opened, until the account tables answer: after a restart ejabberd
   * listens before Mnesia has loaded them, and a registration then fails with no_exists.
   */
  @Override
  void run() throws IOException, InterruptedException {
    super.run();
    Awaitility.await("ejabberd's account tables").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> ctl("registered_users", DOMAIN) != null);
  }

  private String ctl(String... command) throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(ctl);
    c.addAll(List.of(command));
    return ExternalProcess.run(c, Map.of(), Duration.ofSeconds(30));
  }

  @Override
  public Kind kind() {
    return Kind.EJABBERD;
  }

  @Override
  public void addUser(String local, String password) throws IOException, InterruptedException {
    try {
      ctl("register", local, DOMAIN, password);
    } catch (IllegalStateException e) {
      if (!e.getMessage().contains("already registered")) {
        throw e;
      }
      ctl("change_password", local, DOMAIN, password);
    }
  }

  /**
   * {@code ejabberdctl kick_session}: ejabberd 23.01 closes the stream with a {@code <conflict/>}
   * stream error whose text is the administrator's reason (the same condition as "Replaced by new
   * connection", told apart only by the text).
   */
  @Override
  public void kick(String local, String resource) throws IOException, InterruptedException {
    List<String> resources = resource != null ? List.of(resource)
        : ctl("user_resources", local, DOMAIN).lines().filter(l -> !l.isBlank()).toList();
    if (resources.isEmpty()) {
      throw new IllegalStateException(local + " has no session to kick");
    }
    for (String r : resources) {
      ctl("kick_session", local, DOMAIN, r, "Kicked by administrator");
    }
  }

  /** The resources {@code local} is logged in with now. */
  public List<String> resources(String local) throws IOException, InterruptedException {
    return ctl("user_resources", local, DOMAIN).lines().filter(l -> !l.isBlank()).toList();
  }

  @Override
  public long logins(String local) throws IOException {
    return ExternalProcess.count(dir.resolve("logs").resolve("ejabberd.log"), "authentication for " + local + "@" + DOMAIN
        + " ");
  }

}
