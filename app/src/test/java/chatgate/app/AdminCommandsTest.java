package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code chatgate admin user|im-account|send} on a SQLite store: their lines and exit codes (0 done,
 * 1 refused, 2 bad arguments or configuration), pinned before the commands were split (issue 19).
 */
class AdminCommandsTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";

  @TempDir
  Path dir;

  Path configFile;
  String output;

  @BeforeEach
  void config() throws Exception {
    configFile = dir.resolve("chatgate.toml");
    Files.writeString(configFile, """
        [store]
        url = "jdbc:sqlite:%s"
        [security]
        key_file = "%s"
        """.formatted(dir.resolve("chatgate.db"), dir.resolve("chatgate.key")));
  }

  private int admin(String... args) {
    StringWriter out = new StringWriter();
    String[] all = new String[args.length + 3];
    all[0] = "admin";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--config";
    all[args.length + 2] = configFile.toString();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int code = cl.execute(all);
    output = out.toString();
    return code;
  }

  @Test
  void usersAreAddedChangedListedAndRemoved() {
    assertThat(admin("user", "add", "13800000001")).isZero();
    assertThat(output).isEqualTo(A + "\t-\ten\n");
    assertThat(admin("user", "add", "13800000001", "--name", " Li Lei ", "--lang", "ZH", "--wap-push")).isZero();
    assertThat(output).isEqualTo(A + "\tLi Lei\tzh\twap-push\n");
    assertThat(admin("user", "add", "13800000001", "--no-wap-push")).isZero();
    assertThat(output).isEqualTo(A + "\tLi Lei\tzh\n");
    assertThat(admin("user", "add", "13800000002", "--lang", "fr")).isEqualTo(2);
    assertThat(output).isEqualTo("--lang must be en or zh\n");
    assertThat(admin("user", "add", "not-a-number")).isEqualTo(2);
    assertThat(output).isEqualTo("not a phone number: not-a-number\n");
    assertThat(admin("user", "list")).isZero();
    assertThat(output).isEqualTo(A + "\tLi Lei\tzh\n" + B + "\t-\ten\n");
    assertThat(admin("user", "remove", "13800000002")).isZero();
    assertThat(output).isEqualTo("removed " + B + "\n");
    assertThat(admin("user", "remove", "13800000002")).isEqualTo(1);
    assertThat(output).isEqualTo("no such user: " + B + "\n");
    assertThat(admin("user", "remove", "x")).isEqualTo(2);
  }

  @Test
  void imAccountsAreAddedListedAndRemoved() {
    assertThat(admin("im-account", "add", "Alice", "--password", "secret", "--name", "Alice W")).isZero();
    assertThat(output).isEqualTo("alice@chatgate.local\tAlice W\n");
    assertThat(admin("im-account", "add", "bob@example.org")).isEqualTo(2);
    assertThat(output).isEqualTo("a new account needs --password or --password-stdin\n");
    assertThat(admin("im-account", "add", "bad name!", "--password", "x")).isEqualTo(2);
    assertThat(output).isEqualTo("not an account name: bad name!\n");
    assertThat(admin("im-account", "add", "alice", "--web-user", "13800000001")).isZero();
    assertThat(output).isEqualTo("alice@chatgate.local\tAlice W\t" + A + "\n");
    assertThat(admin("im-account", "add", "alice", "--web-user", "nope")).isEqualTo(2);
    InputStream in = System.in;
    try {
      System.setIn(new ByteArrayInputStream("pw from stdin\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(admin("im-account", "add", "carol", "--password-stdin")).isZero();
    } finally {
      System.setIn(in);
    }
    assertThat(admin("im-account", "list")).isZero();
    assertThat(output).isEqualTo("alice@chatgate.local\tAlice W\t" + A + "\ncarol@chatgate.local\t-\n");
    assertThat(admin("im-account", "remove", "carol")).isZero();
    assertThat(output).isEqualTo("removed carol@chatgate.local\n");
    assertThat(admin("im-account", "remove", "carol")).isEqualTo(1);
    assertThat(output).isEqualTo("no such account: carol@chatgate.local\n");
  }

  @Test
  void sendStoresTheMessageForTheRunningGateway() {
    assertThat(admin("send", "--to", "13800000002", "--text", "hello")).isZero();
    assertThat(output).matches("accepted message \\d+ for 1 recipient\\(s\\)\n");
    assertThat(admin("send", "--from", "13800000001", "--to", "13800000002", "--text", "hi")).isZero();
    assertThat(admin("send", "--to", "family", "--text", "x")).isEqualTo(2);
    assertThat(output).isEqualTo("not a phone number: family\n");
    assertThat(admin("send", "--from", A, "--to", "nosuch", "--text", "x")).isEqualTo(1);
    assertThat(output).startsWith("not sent: ");
    assertThat(admin("queue", "list")).isZero();
    assertThat(output).startsWith("queued 2");
  }

  @Test
  void aBadConfigurationEndsWith2AndAStoreFailureWith1() throws Exception {
    Files.writeString(configFile, "[store]\nnope = 1\n");
    assertThat(admin("user", "list")).isEqualTo(2);
    // A store that cannot be opened: its folder would be inside a plain file.
    Files.writeString(dir.resolve("plain"), "");
    Files.writeString(configFile, "[store]\nurl = \"jdbc:sqlite:%s\"\n".formatted(dir.resolve("plain/x.db")));
    assertThat(admin("user", "list")).isEqualTo(1);
    assertThat(output).startsWith("chatgate admin: ");
  }

  @Test
  void adminAloneShowsItsUsage() {
    assertThat(admin()).isZero();
  }
}
