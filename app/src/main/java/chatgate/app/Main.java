package chatgate.app;

import chatgate.app.config.Config;
import chatgate.app.config.ConfigException;
import chatgate.app.config.ConfigLoader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code chatgate run} and {@code chatgate admin …}. */
@Command(
    name = "chatgate",
    mixinStandardHelpOptions = true,
    version = "chatgate 0.1.0",
    description = "SMS / WAP / instant-messaging chat gateway.",
    subcommands = {Main.Run.class, Admin.class, Train.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    Optional<Run> run = Run.plain(args);
    System.exit(run.isPresent() ? run.get().direct() : new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** Loads the configuration or prints what is wrong with it. */
  static Optional<Config> config(Path file) {
    try {
      Config c = new ConfigLoader(System.getenv()).load(Optional.ofNullable(file));
      Logging.configure(c.log());
      return Optional.of(c);
    } catch (ConfigException e) {
      System.err.println("chatgate: " + e.getMessage());
      return Optional.empty();
    }
  }

  @Command(name = "run", description = "Start the gateway (embedded defaults when no --config).")
  static final class Run implements Callable<Integer> {
    /**
     * SIGTERM to halt, at the latest: the contract's 10 s less what a JVM with thousands of
     * threads takes to exit on a loaded machine (1.6–1.7 s measured in StopUnderLoadIT, load average 25).
     */
    static final Duration STOP_HARD_LIMIT = Duration.ofMillis(7_500);

    @Option(names = "--config", paramLabel = "FILE", description = "TOML configuration file")
    Path config;

    /**
     * {@code run} or {@code run --config FILE}, read without picocli: it builds the model of every
     * command (all of admin's) first, about 0.3 s of a start's CPU (issue 17). Anything else
     * (help, a typo) goes to picocli, which answers it as before.
     */
    static Optional<Run> plain(String[] args) {
      String file;
      if (args.length == 1 && args[0].equals("run")) {
        file = null;
      } else if (args.length == 3 && args[0].equals("run") && args[1].equals("--config") && !args[2].startsWith("-")) {
        file = args[2];
      } else if (args.length == 2 && args[0].equals("run") && args[1].startsWith("--config=") && args[1].length() > 9) {
        file = args[1].substring(9);
      } else {
        return Optional.empty();
      }
      Run r = new Run();
      try {
        r.config = file == null ? null : Path.of(file);
      } catch (InvalidPathException e) {
        return Optional.empty(); // picocli says what is wrong with it
      }
      return Optional.of(r);
    }

    /** {@link #call()} as picocli runs it: an exception is printed and ends with 1. */
    int direct() {
      try {
        return call();
      } catch (Exception e) {
        e.printStackTrace();
        return 1;
      }
    }

    @Override
    public Integer call() throws Exception {
      StartTimes times = StartTimes.fromJvmStart();
      Optional<Config> c = config(config);
      if (c.isEmpty()) {
        return 2;
      }
      times.mark("config");
      Gateway g;
      try {
        g = Gateway.start(c.get(), times);
      } catch (RuntimeException e) {
        System.err.println("chatgate: could not start: " + e.getMessage());
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        // The contract's 10 s, whatever a peer does: past it the process ends as after a kill,
        // which the store survives (nothing is acknowledged before it is durable).
        Thread.ofPlatform().daemon().name("stop-watchdog").start(() -> {
          try {
            Thread.sleep(STOP_HARD_LIMIT.toMillis());
          } catch (InterruptedException e) {
            return;
          }
          System.err.println("chatgate: not stopped within " + STOP_HARD_LIMIT.toMillis() + " ms: halting");
          Runtime.getRuntime().halt(1);
        });
        g.close();
        stopped.countDown();
      }, "shutdown"));
      stopped.await();
      return 0;
    }
  }
}
