package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code chatgate admin queue list|retry|purge} on a SQLite store, as an operator runs them. */
class QueueCmdTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  static final String C = "+8613800000003";

  @TempDir
  Path dir;

  Path configFile;
  String output;

  @BeforeEach
  void config() throws Exception {
    configFile = dir.resolve("chatgate.toml");
    Files.writeString(configFile, "[store]\nurl = \"jdbc:sqlite:%s\"\n".formatted(dir.resolve("chatgate.db")));
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

  private List<String> deliveryIds() {
    return output.lines().filter(l -> l.matches("\\d+\\t.*")).map(l -> l.substring(0, l.indexOf('\t'))).toList();
  }

  @Test
  void listShowsTheQueueAndPurgeAndRetryMoveDeliveries() {
    // No gateway runs: what admin send accepts waits in the queue.
    assertThat(admin("send", "--from", A, "--to", B, "--text", "one")).isZero();
    assertThat(admin("send", "--from", A, "--to", B, "--text", "two")).isZero();
    assertThat(admin("send", "--from", A, "--to", C, "--text", "three")).isZero();

    assertThat(admin("queue", "list")).isZero();
    assertThat(output).startsWith("queued 3, oldest accepted ").contains("; failed 0");
    List<String> ids = deliveryIds();
    assertThat(ids).hasSize(3);
    assertThat(output).contains(B + "\tPENDING\t-\tattempts=0").contains("next=due");

    assertThat(admin("queue", "purge", "--id", ids.get(0))).isZero();
    assertThat(output).contains("purged 1 delivery");
    assertThat(admin("queue", "list")).isZero();
    assertThat(output).startsWith("queued 2,").contains("; failed 1");
    assertThat(deliveryIds()).doesNotContain(ids.get(0));
    assertThat(admin("queue", "list", "--failed")).isZero();
    assertThat(deliveryIds()).containsExactly(ids.get(0));
    assertThat(output).contains("FAILED").contains("error=" + QueueCmd.PURGED);

    assertThat(admin("queue", "retry", "--id", ids.get(0))).isZero();
    assertThat(output).contains("retrying 1 delivery");
    assertThat(admin("queue", "list")).isZero();
    assertThat(output).startsWith("queued 3,").contains("; failed 0");

    assertThat(admin("queue", "purge", "--to", "13800000002")).isZero();
    assertThat(output).contains("purged 2 deliveries");
    assertThat(admin("queue", "retry", "--all")).isZero();
    assertThat(output).contains("retrying 3 deliveries"); // two failed, one pending brought forward
    assertThat(admin("queue", "list", "--limit", "1")).isZero();
    assertThat(output).startsWith("queued 3,");
    assertThat(deliveryIds()).hasSize(1);
  }

  @Test
  void badSelectionsAreRefusedAndChangeNothing() {
    assertThat(admin("send", "--from", A, "--to", B, "--text", "one")).isZero();
    assertThat(admin("queue", "retry")).isEqualTo(2); // a selection is required
    assertThat(admin("queue", "purge", "--all", "--to", B)).isEqualTo(2); // one kind of selection
    assertThat(admin("queue", "retry", "--id", "999")).isEqualTo(1);
    assertThat(output).contains("no delivery 999");
    assertThat(admin("queue", "purge", "--to", "not-a-number")).isEqualTo(1);
    assertThat(output).contains("not a phone number");
    assertThat(admin("queue", "list")).isZero();
    String id = deliveryIds().getFirst();
    assertThat(admin("queue", "purge", "--id", id)).isZero();
    assertThat(admin("queue", "purge", "--id", id)).isEqualTo(1); // already failed: not purgeable
    assertThat(output).contains("is FAILED");
    assertThat(admin("queue", "list", "--failed")).isZero();
    assertThat(deliveryIds()).containsExactly(id);
  }
}
