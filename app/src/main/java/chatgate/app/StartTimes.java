package chatgate.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a start's time went, part by part, for the log line "ready in … ms" (issue 17: an operator
 * and scripts/start-time see which part grew without a profiler). Not thread-safe: the start runs
 * on one thread.
 */
final class StartTimes {
  private final List<String> parts = new ArrayList<>();
  private final long origin;
  private long last;

  private StartTimes(long originNanos) {
    this.origin = originNanos;
    this.last = originNanos;
  }

  /** Counting from now. */
  static StartTimes fromNow() {
    return new StartTimes(System.nanoTime());
  }

  /** Counting from the JVM's start where the system tells it (Linux), the first part named "jvm". */
  static StartTimes fromJvmStart() {
    long now = System.nanoTime();
    StartTimes t = new StartTimes(now - jvmAgeNanos());
    t.mark("jvm");
    return t;
  }

  /**
   * How long this process has run, from /proc in 10 ms steps ({@code ProcessHandle}'s start
   * instant counts from the boot time in whole seconds); 0 where there is no /proc.
   */
  static long jvmAgeNanos() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name (which may hold spaces), from field 3 on: start time is field 22.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double startedAfterBoot = Long.parseLong(f[19]) / 100.0; // USER_HZ is 100 on Linux
      double up = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
      return Math.max(0, (long) ((up - startedAfterBoot) * 1e9));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Ends the part running since the last mark. */
  void mark(String part) {
    long now = System.nanoTime();
    parts.add(part + " " + (now - last) / 1_000_000);
    last = now;
  }

  /** "ready in 812 ms (jvm 180, config 60, …)" */
  String summary() {
    return (last - origin) / 1_000_000 + " ms (" + String.join(", ", parts) + ")";
  }
}
