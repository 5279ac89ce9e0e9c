package chatgate.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server process a test starts on a free port (Prosody, ejabberd, NATS): started with its
 * output in a file, waited for until its port opens, its log dumped into the failure when it
 * dies, stopped with every process it forked (ejabberdctl runs the Erlang VM as a child of a
 * shell). The one place the peers do this (issue 19).
 */
public final class ExternalProcess {
  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path output;
  private final Path log;
  private Process process;

  /**
   * @param output where stdout and stderr go
   * @param log the server's own log, quoted when it fails to start
   */
  public ExternalProcess(String name, List<String> command, Map<String, String> env, Path output, Path log) {
    this.name = name;
    this.command = command;
    this.env = env;
    this.output = output;
    this.log = log;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts the process and waits until {@code port} accepts connections on loopback. */
  public void start(int port, Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    pb.environment().putAll(env);
    process = pb.start();
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!process.isAlive()) {
          throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + dump());
        }
        Thread.sleep(50);
      }
    }
    stop();
    throw new IllegalStateException(name + " did not open port " + port + " within " + timeout + ":\n" + dump());
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGTERM to the process and its children (servers shut down cleanly on it), then SIGKILL. */
  public void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        h.destroyForcibly();
      }
    }
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * SIGSTOP (or SIGCONT) to the process and its children: a server that hangs with its sockets
   * open (a paused VM, a stalled disk) rather than one that went away.
   */
  public void signal(boolean stop) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("kill", stop ? "-STOP" : "-CONT"));
    Stream.concat(Stream.of(process.toHandle()), process.descendants()).forEach(h -> cmd.add(Long.toString(h.pid())));
    run(cmd, Map.of(), Duration.ofSeconds(10));
  }

  /** The last lines of the output and the server's log, for a failure message. */
  public String dump() {
    StringBuilder b = new StringBuilder();
    for (Path p : output.equals(log) ? List.of(output) : List.of(output, log)) {
      try {
        if (Files.exists(p)) {
          List<String> lines = Files.readAllLines(p);
          b.append("--- ").append(p).append('\n')
              .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))).append('\n');
        }
      } catch (IOException e) {
        b.append("--- ").append(p).append(": ").append(e).append('\n');
      }
    }
    return b.toString();
  }

  /**
   * A file in a module's sources (a peer's script: {@code sms/src/test/node/smsc.js}), found
   * whether Maven runs in that module, in a sibling (app, bench) or at the root.
   */
  public static Path moduleFile(String module, String relative) {
    Path cwd = Path.of("").toAbsolutePath();
    List<Path> candidates = new ArrayList<>();
    String basedir = System.getProperty("basedir");
    if (basedir != null) {
      candidates.add(Path.of(basedir, "..", module, relative));
    }
    candidates.add(cwd.resolve(Path.of("..", module, relative)));
    candidates.add(cwd.resolve(Path.of(module, relative)));
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        return c.normalize();
      }
    }
    throw new IllegalStateException(module + "/" + relative + " not found; looked in " + candidates);
  }

  /** Runs a one-shot command (an admin tool) and returns its output; fails with it if the exit code is not 0. */
  public static String run(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " timed out: " + out);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
    }
    return out;
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Lines of a log file that contain {@code text}. */
  public static long count(Path log, String text) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).count();
    }
  }
}
