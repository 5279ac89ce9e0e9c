package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Issue 18: every {@code admin} subcommand takes {@code --help}; groups can be opened to joining. */
class AdminCmdTest {
  @TempDir
  Path dir;

  Path configFile;
  String output;

  @BeforeEach
  void config() throws Exception {
    configFile = dir.resolve("chatgate.toml");
    Files.writeString(configFile, "[store]\nurl = \"jdbc:sqlite:%s\"\n".formatted(dir.resolve("chatgate.db")));
  }

  private int run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int code = cl.execute(args);
    output = out.toString();
    return code;
  }

  @ParameterizedTest
  @ValueSource(strings = {"user add", "user list", "user remove", "group create", "group add", "group remove",
      "group list", "group open", "group close", "im-account add", "im-account list", "im-account remove",
      "queue list", "queue retry", "queue purge", "send"})
  void everySubcommandTakesHelp(String sub) {
    String[] words = ("admin " + sub + " --help").split(" ");
    assertThat(run(words)).as(output).isZero();
    assertThat(output).startsWith("Usage: chatgate admin " + sub);
  }

  @Test
  void aGroupIsCreatedOpenOrOpenedLater() {
    String cfg = configFile.toString();
    assertThat(run("admin", "group", "create", "family", "--name", "家人", "+8613800000001", "--config", cfg)).isZero();
    assertThat(run("admin", "group", "create", "club", "--open", "+8613800000002", "--config", cfg)).isZero();
    assertThat(run("admin", "group", "list", "--config", cfg)).isZero();
    assertThat(output).contains("club\tclub\t[+8613800000002]\topen").contains("family\t家人\t[+8613800000001]\n");
    assertThat(run("admin", "group", "open", "family", "--config", cfg)).isZero();
    assertThat(output).contains("family\t家人\t[+8613800000001]\topen");
    assertThat(run("admin", "group", "close", "club", "--config", cfg)).isZero();
    assertThat(output).doesNotContain("open");
    assertThat(run("admin", "group", "open", "nope", "--config", cfg)).isEqualTo(1);
  }
}
