package chatgate.app;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.User;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chatgate admin user add|list|remove}. */
@Command(name = "user", description = "Add, list or remove users.",
    subcommands = {UserCmd.Add.class, UserCmd.ListUsers.class, UserCmd.Remove.class})
final class UserCmd {

  @Command(name = "add", description = "Add a user, or change one.")
  static final class Add extends StoreCommand {
    @Parameters(paramLabel = "MSISDN")
    String number;

    @Option(names = "--name", description = "display name")
    String name;

    @Option(names = "--lang", description = "en or zh")
    String lang;

    @Option(names = "--wap-push", negatable = true, description = "the handset takes WAP Push SI")
    Boolean wapPush;

    @Override
    int run(Admin.Context ctx) {
      Optional<Msisdn> m = ctx.number(number, err());
      if (m.isEmpty()) {
        return 2;
      }
      User u = ctx.store().users().ensure(m.get(), Language.EN, ctx.clock().instant());
      if (name != null) {
        u = u.withDisplayName(name.strip());
      }
      if (lang != null) {
        if (!lang.equalsIgnoreCase("en") && !lang.equalsIgnoreCase("zh")) {
          err().println("--lang must be en or zh");
          return 2;
        }
        u = u.withLanguage(lang.equalsIgnoreCase("zh") ? Language.ZH : Language.EN);
      }
      if (wapPush != null) {
        u = u.withWapPush(wapPush);
      }
      ctx.store().users().save(u);
      out().println(line(u));
      return 0;
    }
  }

  @Command(name = "list", description = "List users.")
  static final class ListUsers extends StoreCommand {
    @Override
    int run(Admin.Context ctx) {
      int page = 500;
      for (int off = 0; ; off += page) {
        List<User> us = ctx.store().users().list(off, page);
        us.forEach(u -> out().println(line(u)));
        if (us.size() < page) {
          return 0;
        }
      }
    }
  }

  @Command(name = "remove", description = "Remove a user, their group memberships and their web sessions.")
  static final class Remove extends StoreCommand {
    @Parameters(paramLabel = "MSISDN")
    String number;

    @Override
    int run(Admin.Context ctx) {
      Optional<Msisdn> m = ctx.number(number, err());
      if (m.isEmpty()) {
        return 2;
      }
      // Their web sessions end with them: the running gateway reads sessions from the store,
      // so the phone's cookies stop working at once.
      int sessions = ctx.store().auth().deleteSessions(m.get());
      if (!ctx.store().users().remove(m.get()) && sessions == 0) {
        err().println("no such user: " + m.get());
        return 1;
      }
      out().println("removed " + m.get() + (sessions > 0 ? " (" + sessions + " web session(s) ended)" : ""));
      return 0;
    }
  }

  static String line(User u) {
    return u.msisdn() + "\t" + (u.displayName().isEmpty() ? "-" : u.displayName()) + "\t" + u.language().tag()
        + (u.smsStopped() ? "\tSTOP" : "") + (u.wapPush() ? "\twap-push" : "");
  }
}
