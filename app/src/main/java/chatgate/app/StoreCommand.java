package chatgate.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/**
 * An {@code admin} subcommand that works on the store: the store is opened with the admin's
 * {@code --config}, the command runs, the store is closed; a store failure ends with 1 and its
 * message (issue 19: this was written out in each of 21 commands).
 */
abstract class StoreCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  /** Does the work; returns the exit code (0 done, 1 refused, 2 bad arguments). */
  abstract int run(Admin.Context ctx);

  @Override
  public final Integer call() {
    return admin().withStore(err(), this::run);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The {@code admin} command above this one, which holds {@code --config}. */
  Admin admin() {
    for (CommandLine.Model.CommandSpec s = spec.parent(); s != null; s = s.parent()) {
      if (s.userObject() instanceof Admin a) {
        return a;
      }
    }
    throw new IllegalStateException(spec.qualifiedName() + " is not under admin");
  }
}
