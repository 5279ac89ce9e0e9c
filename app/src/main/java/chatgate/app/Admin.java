package chatgate.app;

import chatgate.app.config.Config;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.ChatSettings;
import chatgate.core.chat.SendResult;
import chatgate.core.ids.SnowflakeIds;
import chatgate.core.im.Passwords;
import chatgate.core.limits.Destinations;
import chatgate.core.limits.SenderQuotas;
import chatgate.core.memory.LocalPresence;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.model.Origin;
import chatgate.core.model.User;
import chatgate.core.port.ImAccounts;
import chatgate.store.JdbcStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code chatgate admin …}: works on the store a running gateway uses (SQLite in WAL mode lets
 * both open it). Exit codes: 0 done, 1 refused (unknown user, group taken…), 2 bad arguments or
 * configuration.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    // Every subcommand takes --help (issue 18), whatever its required options.
    scope = CommandLine.ScopeType.INHERIT,
    description = "Manage users, groups, built-in IM accounts and the delivery queue, and send messages.",
    subcommands = {Admin.Users.class, GroupCmd.class, Admin.ImAccountsCmd.class, QueueCmd.class, Admin.Send.class,
        NodeCmd.class})
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

  @Command(name = "user", description = "Add, list or remove users.",
      subcommands = {Users.Add.class, Users.ListUsers.class, Users.Remove.class})
  static final class Users {
    @ParentCommand
    Admin admin;

    @Command(name = "add", description = "Add a user, or change one.")
    static final class Add implements Callable<Integer> {
      @ParentCommand
      Users users;

      @Parameters(paramLabel = "MSISDN")
      String number;

      @Option(names = "--name", description = "display name")
      String name;

      @Option(names = "--lang", description = "en or zh")
      String lang;

      @Option(names = "--wap-push", negatable = true, description = "the handset takes WAP Push SI")
      Boolean wapPush;

      @Spec
      CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return users.admin.withStore(err, ctx -> {
          Optional<Msisdn> m = ctx.number(number, err);
          if (m.isEmpty()) {
            return 2;
          }
          User u = ctx.store().users().ensure(m.get(), Language.EN, ctx.clock().instant());
          if (name != null) {
            u = u.withDisplayName(name.strip());
          }
          if (lang != null) {
            if (!lang.equalsIgnoreCase("en") && !lang.equalsIgnoreCase("zh")) {
              err.println("--lang must be en or zh");
              return 2;
            }
            u = u.withLanguage(lang.equalsIgnoreCase("zh") ? Language.ZH : Language.EN);
          }
          if (wapPush != null) {
            u = u.withWapPush(wapPush);
          }
          ctx.store().users().save(u);
          out.println(line(u));
          return 0;
        });
      }
    }

    @Command(name = "list", description = "List users.")
    static final class ListUsers implements Callable<Integer> {
      @ParentCommand
      Users users;

      @Spec
      CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return users.admin.withStore(spec.commandLine().getErr(), ctx -> {
          int page = 500;
          for (int off = 0; ; off += page) {
            List<User> us = ctx.store().users().list(off, page);
            us.forEach(u -> out.println(line(u)));
            if (us.size() < page) {
              break;
            }
          }
          return 0;
        });
      }
    }

    @Command(name = "remove", description = "Remove a user, their group memberships and their web sessions.")
    static final class Remove implements Callable<Integer> {
      @ParentCommand
      Users users;

      @Parameters(paramLabel = "MSISDN")
      String number;

      @Spec
      CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        return users.admin.withStore(err, ctx -> {
          Optional<Msisdn> m = ctx.number(number, err);
          if (m.isEmpty()) {
            return 2;
          }
          // Their web sessions end with them: the running gateway reads sessions from the store,
          // so the phone's cookies stop working at once.
          int sessions = ctx.store().auth().deleteSessions(m.get());
          if (!ctx.store().users().remove(m.get()) && sessions == 0) {
            err.println("no such user: " + m.get());
            return 1;
          }
          spec.commandLine().getOut().println("removed " + m.get() + (sessions > 0 ? " (" + sessions
              + " web session(s) ended)" : ""));
          return 0;
        });
      }
    }

    static String line(User u) {
      return u.msisdn() + "\t" + (u.displayName().isEmpty() ? "-" : u.displayName()) + "\t" + u.language().tag()
          + (u.smsStopped() ? "\tSTOP" : "") + (u.wapPush() ? "\twap-push" : "");
    }
  }

  @Command(name = "im-account", description = "Accounts of the built-in IM service (used when no [xmpp] host is set).",
      subcommands = {ImAccountsCmd.Add.class, ImAccountsCmd.ListAccounts.class, ImAccountsCmd.Remove.class})
  static final class ImAccountsCmd {
    @ParentCommand
    Admin admin;

    static String address(Context ctx, String typed) {
      String a = typed.strip().toLowerCase(Locale.ROOT);
      return a.contains("@") ? a : a + "@" + Gateway.imDomain(ctx.config());
    }

    @Command(name = "add", description = "Add an account, or change its password, name or web user.")
    static final class Add implements Callable<Integer> {
      @ParentCommand
      ImAccountsCmd parent;

      @Parameters(paramLabel = "ACCOUNT", description = "local part or local@domain")
      String account;

      @Option(names = "--name", description = "display name shown to contacts")
      String name;

      @Option(names = "--password", description = "the password (visible to other local users in ps; prefer --password-stdin)")
      String password;

      @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
      boolean passwordStdin;

      @Option(names = "--web-user", paramLabel = "MSISDN", description = "a chat-page user this account stands for")
      String webUser;

      @Spec
      CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        char[] pw = null;
        if (passwordStdin) {
          String line = new BufferedReader(new InputStreamReader(System.in,
              StandardCharsets.UTF_8)).readLine();
          pw = line == null ? null : line.toCharArray();
        } else if (password != null) {
          pw = password.toCharArray();
        }
        char[] secret = pw;
        return parent.admin.withStore(err, ctx -> {
          String address = address(ctx, account);
          if (!address.matches("[a-z0-9._-]{1,64}@[a-z0-9.-]{1,253}")) {
            err.println("not an account name: " + account);
            return 2;
          }
          Optional<ImAccounts.Account> old = ctx.store().imAccounts().find(address);
          if (old.isEmpty() && (secret == null || secret.length == 0)) {
            err.println("a new account needs --password or --password-stdin");
            return 2;
          }
          Optional<Msisdn> web = Optional.empty();
          if (webUser != null) {
            web = ctx.number(webUser, err);
            if (web.isEmpty()) {
              return 2;
            }
          } else if (old.isPresent()) {
            web = old.get().webUser();
          }
          String hash = secret != null && secret.length > 0 ? Passwords.hash(secret) : old.get().passwordHash();
          String display = name != null ? name.strip() : old.map(ImAccounts.Account::name).orElse("");
          ctx.store().imAccounts().save(new ImAccounts.Account(address, display, hash, web,
              old.map(ImAccounts.Account::createdAt).orElse(ctx.clock().instant())));
          spec.commandLine().getOut().println(address + "\t" + (display.isEmpty() ? "-" : display)
              + web.map(m -> "\t" + m).orElse(""));
          return 0;
        });
      }
    }

    @Command(name = "list", description = "List accounts.")
    static final class ListAccounts implements Callable<Integer> {
      @ParentCommand
      ImAccountsCmd parent;

      @Spec
      CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return parent.admin.withStore(spec.commandLine().getErr(), ctx -> {
          for (var a : ctx.store().imAccounts().all()) {
            out.println(a.address() + "\t" + (a.name().isEmpty() ? "-" : a.name()) + a.webUser().map(m -> "\t" + m).orElse(""));
          }
          return 0;
        });
      }
    }

    @Command(name = "remove", description = "Remove an account.")
    static final class Remove implements Callable<Integer> {
      @ParentCommand
      ImAccountsCmd parent;

      @Parameters(paramLabel = "ACCOUNT")
      String account;

      @Spec
      CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        return parent.admin.withStore(err, ctx -> {
          String address = address(ctx, account);
          if (!ctx.store().imAccounts().remove(address)) {
            err.println("no such account: " + address);
            return 1;
          }
          spec.commandLine().getOut().println("removed " + address);
          return 0;
        });
      }
    }
  }

  @Command(name = "send", description = "Send a message: from a phone with --from, else a notice from the gateway.")
  static final class Send implements Callable<Integer> {
    @ParentCommand
    Admin admin;

    @Option(names = "--to", required = true, description = "phone number or group id")
    String to;

    @Option(names = "--text", required = true)
    String text;

    @Option(names = "--from", description = "the phone it is from")
    String from;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      return admin.withStore(err, ctx -> {
        Config c = ctx.config();
        ChatService chat = new ChatService(ctx.store().users(), ctx.store().groups(), ctx.store().messages(),
            new LocalPresence(c.chat().wapIdle(), c.chat().onlineIdle()), new SnowflakeIds(1023, ctx.clock()),
            ctx.numbers(), ctx.clock(), new ChatSettings(c.chat().maxChars(), c.sms().retention(), c.chat().wapIdle(),
                c.http().publicUrl()), KeyFile.load(Path.of(c.security().keyFile())));
        // The operator's own sends: allowed destinations hold, the phones' quotas do not.
        chat.limits(Destinations.of(c.sms().allowedDestinations()),
            SenderQuotas.Settings.unlimited(), c.sms().maxSegments());
        // No dispatcher here: the running gateway's delivery stage finds the stored message.
        SendResult r;
        if (from == null) {
          Optional<Msisdn> m = ctx.number(to, err);
          if (m.isEmpty()) {
            return 2;
          }
          r = chat.notice(m.get(), text, null); // the operator's, unsolicited: not after STOP
        } else {
          Optional<Msisdn> f = ctx.number(from, err);
          if (f.isEmpty()) {
            return 2;
          }
          r = chat.send(f.get(), to, text, Origin.API, null);
        }
        if (r instanceof SendResult.Rejected rej) {
          err.println("not sent: " + rej.problem().name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + (rej.detail().isEmpty() ? "" : " (" + rej.detail() + ")"));
          return 1;
        }
        SendResult.Sent s = (SendResult.Sent) r;
        spec.commandLine().getOut().println("accepted message " + s.message().id() + " for "
            + s.deliveries().size() + " recipient(s)");
        return 0;
      });
    }
  }
}
