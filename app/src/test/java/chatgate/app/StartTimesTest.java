package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The start's "ready in" line and the fast path of {@code run} (issue 17). */
class StartTimesTest {
  @Test
  void theJvmAgeComesFromProc() {
    long age = StartTimes.jvmAgeNanos();
    // This test JVM has run for a while, not for hours.
    assertThat(age).isPositive().isLessThan(TimeUnit.HOURS.toNanos(6));
  }

  @Test
  void theSummaryNamesEachPartInOrder() {
    StartTimes t = StartTimes.fromNow();
    t.mark("store");
    t.mark("web");
    assertThat(t.summary()).matches("\\d+ ms \\(store \\d+, web \\d+\\)");
    assertThat(StartTimes.fromJvmStart().summary()).matches("\\d+ ms \\(jvm \\d+\\)");
  }

  @Test
  void runAndItsConfigAreReadWithoutPicocli() {
    assertThat(Main.Run.plain(new String[] {"run"})).get().extracting(r -> r.config).isNull();
    assertThat(Main.Run.plain(new String[] {"run", "--config", "a.toml"})).get()
        .extracting(r -> r.config).isEqualTo(Path.of("a.toml"));
    assertThat(Main.Run.plain(new String[] {"run", "--config=b.toml"})).get()
        .extracting(r -> r.config).isEqualTo(Path.of("b.toml"));
    // Everything else is picocli's: help, typos, a missing value.
    for (String[] other : new String[][] {{"run", "--help"}, {"run", "--config"}, {"run", "--confg", "a"},
        {"admin", "user", "list"}, {}, {"run", "--config", "--help"}, {"run", "--config", "a\0b"}}) {
      assertThat(Main.Run.plain(other)).as(String.join(" ", other)).isEmpty();
    }
  }
}
