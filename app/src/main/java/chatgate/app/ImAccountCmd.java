package chatgate.app;

import chatgate.core.im.Passwords;
import chatgate.core.model.Msisdn;
import chatgate.core.port.ImAccounts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chatgate admin im-account add|list|remove}: accounts of the built-in IM service. */
@Command(name = "im-account", description = "Accounts of the built-in IM service (used when no [xmpp] host is set).",
    subcommands = {ImAccountCmd.Add.class, ImAccountCmd.ListAccounts.class, ImAccountCmd.Remove.class})
final class ImAccountCmd {

  static String address(Admin.Context ctx, String typed) {
    String a = typed.strip().toLowerCase(Locale.ROOT);
    return a.contains("@") ? a : a + "@" + ImWiring.imDomain(ctx.config());
  }

  @Command(name = "add", description = "Add an account, or change its password, name or web user.")
  static final class Add extends StoreCommand {
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

    @Override
    int run(Admin.Context ctx) {
      char[] secret = secret();
      String address = address(ctx, account);
      if (!address.matches("[a-z0-9._-]{1,64}@[a-z0-9.-]{1,253}")) {
        err().println("not an account name: " + account);
        return 2;
      }
      Optional<ImAccounts.Account> old = ctx.store().imAccounts().find(address);
      if (old.isEmpty() && (secret == null || secret.length == 0)) {
        err().println("a new account needs --password or --password-stdin");
        return 2;
      }
      Optional<Msisdn> web = Optional.empty();
      if (webUser != null) {
        web = ctx.number(webUser, err());
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
      out().println(address + "\t" + (display.isEmpty() ? "-" : display) + web.map(m -> "\t" + m).orElse(""));
      return 0;
    }

    private char[] secret() {
      if (passwordStdin) {
        try {
          String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
          return line == null ? null : line.toCharArray();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return password == null ? null : password.toCharArray();
    }
  }

  @Command(name = "list", description = "List accounts.")
  static final class ListAccounts extends StoreCommand {
    @Override
    int run(Admin.Context ctx) {
      for (var a : ctx.store().imAccounts().all()) {
        out().println(a.address() + "\t" + (a.name().isEmpty() ? "-" : a.name()) + a.webUser().map(m -> "\t" + m).orElse(""));
      }
      return 0;
    }
  }

  @Command(name = "remove", description = "Remove an account.")
  static final class Remove extends StoreCommand {
    @Parameters(paramLabel = "ACCOUNT")
    String account;

    @Override
    int run(Admin.Context ctx) {
      String address = address(ctx, account);
      if (!ctx.store().imAccounts().remove(address)) {
        err().println("no such account: " + address);
        return 1;
      }
      out().println("removed " + address);
      return 0;
    }
  }
}
