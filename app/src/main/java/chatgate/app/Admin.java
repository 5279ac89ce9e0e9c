package chatgate.app;

import chatgate.app.config.Config;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.store.JdbcStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code chatgate admin …}: works on the store a running gateway uses (SQLite in WAL mode lets
 * both open it). Exit codes: 0 done, 1 refused (unknown user, group taken…), 2 bad arguments or
 * configuration. The store-backed subcommands extend {@link StoreCommand}.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    // Every subcommand takes --help (issue 18), whatever its required options.
    scope = CommandLine.ScopeType.INHERIT,
    description = "Manage users, groups, built-in IM accounts and the delivery queue, and send messages.",
    subcommands = {UserCmd.class, GroupCmd.class, ImAccountCmd.class, QueueCmd.class, SendCmd.class, NodeCmd.class})
final class Admin implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "TOML configuration file", scope = CommandLine.ScopeType.INHERIT)
  Path config;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  /** Opens the store, runs the action, closes the store. */
  int withStore(PrintWriter err, Function<Context, Integer> action) {
    Optional<Config> c = Main.config(config);
    if (c.isEmpty()) {
      return 2;
    }
    try (JdbcStore store = JdbcStore.open(c.get().store().url(), c.get().store().user(), c.get().store().password())) {
      return action.apply(new Context(c.get(), store, new NumberPlan(c.get().sms().defaultRegion()), Clock.systemUTC()));
    } catch (RuntimeException e) {
      err.println("chatgate admin: " + e.getMessage());
      return 1;
    }
  }

  record Context(Config config, JdbcStore store, NumberPlan numbers, Clock clock) {
    Optional<Msisdn> number(String raw, PrintWriter err) {
      Optional<Msisdn> m = numbers.parse(raw);
      if (m.isEmpty()) {
        err.println("not a phone number: " + raw);
      }
      return m;
    }
  }
}
