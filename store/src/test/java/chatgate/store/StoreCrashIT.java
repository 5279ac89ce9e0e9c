package chatgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.DeliveryState;
import chatgate.core.model.MessageId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost: a child JVM accepts messages under load and is killed with
 * SIGKILL; every message it reported as accepted is in the store after reopening.
 */
class StoreCrashIT {
  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedMessageSurvivesSigkill() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("crash.db");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), CrashWriter.class.getName(), url, "1000000")
        .redirectErrorStream(false).start();
    List<long[]> acked = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String first;
      while ((first = out.readLine()) != null && !first.equals("READY")) {
        // start-up chatter
      }
      assertThat(first).isEqualTo("READY");
      // Killed in the middle of the stream, once it is well under way (a count, not a time: on a
      // busy machine the child's first second may see only a few commits).
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while (acked.size() < 500 && System.nanoTime() < until && (line = out.readLine()) != null) {
        if (!line.startsWith("ACK ")) {
          continue;
        }
        String[] p = line.split(" ");
        acked.add(new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])});
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acked).hasSizeGreaterThan(100);
    try (JdbcStore store = JdbcStore.open(url, "", "")) {
      for (long[] a : acked) {
        assertThat(store.messages().message(new MessageId(a[0]))).as("message " + a[0]).isPresent();
        assertThat(store.messages().item(a[1])).as("delivery " + a[1]).isPresent();
      }
      System.out.printf("StoreCrashIT: %d messages acknowledged before SIGKILL, all %d present after reopening (%d pending)%n",
          acked.size(), acked.size(), store.messages().count(DeliveryState.PENDING));
    }
  }
}
