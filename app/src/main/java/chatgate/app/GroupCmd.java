package chatgate.app;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Option;

/** {@code chatgate admin group …}: groups, their members, and whether anyone may join them. */
@Command(name = "group", description = "Create groups, add or remove members, open or close them to joining, list groups.",
    subcommands = {GroupCmd.Create.class, GroupCmd.AddMembers.class, GroupCmd.Remove.class, GroupCmd.ListGroups.class,
        GroupCmd.Open.class, GroupCmd.Close.class})
final class GroupCmd {
  static Optional<Set<Msisdn>> numbers(Admin.Context ctx, List<String> raw, PrintWriter err) {
    Set<Msisdn> out = new HashSet<>();
    for (String r : raw == null ? List.<String>of() : raw) {
      Optional<Msisdn> m = ctx.number(r, err);
      if (m.isEmpty()) {
        return Optional.empty();
      }
      out.add(m.get());
    }
    return Optional.of(out);
  }

  static Optional<GroupId> id(String raw, PrintWriter err) {
    if (!GroupId.isGroupId(raw)) {
      err.println("not a group id (a letter, then letters, digits, - or _; up to 32): " + raw);
      return Optional.empty();
    }
    return Optional.of(GroupId.of(raw));
  }

  /** Parses the id and members typed (2 when either is bad), checks the group exists (else 1), then acts. */
  static int onExisting(Admin.Context ctx, String rawId, List<String> rawMembers, PrintWriter err,
      BiFunction<GroupId, Set<Msisdn>, Integer> action) {
    Optional<GroupId> gid = id(rawId, err);
    Optional<Set<Msisdn>> ms = numbers(ctx, rawMembers, err);
    if (gid.isEmpty() || ms.isEmpty()) {
      return 2;
    }
    if (ctx.store().groups().find(gid.get()).isEmpty()) {
      err.println("no such group: " + gid.get());
      return 1;
    }
    return action.apply(gid.get(), ms.get());
  }

  @Command(name = "create", description = "Create a group.")
  static final class Create extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", paramLabel = "MSISDN", description = "members")
    List<String> members = new ArrayList<>();

    @Option(names = "--name", description = "name shown to members, and to address it by (@家人)")
    String name;

    @Option(names = "--open", description = "anyone may join it by themselves (SMS JOIN @group, the page)")
    boolean open;

    @Override
    int run(Admin.Context ctx) {
      PrintWriter err = err();
      Optional<GroupId> gid = id(id, err);
      Optional<Set<Msisdn>> ms = numbers(ctx, members, err);
      if (gid.isEmpty() || ms.isEmpty()) {
        return 2;
      }
      for (Msisdn m : ms.get()) {
        ctx.store().users().ensure(m, Language.EN, ctx.clock().instant());
      }
      if (!ctx.store().groups().create(new Group(gid.get(), name, ms.get(), open))) {
        err.println("group exists: " + gid.get());
        return 1;
      }
      out().println("created " + gid.get() + " with " + ms.get().size() + " members");
      return 0;
    }
  }

  @Command(name = "add", description = "Add members to a group.")
  static final class AddMembers extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "MSISDN")
    List<String> members;

    @Override
    int run(Admin.Context ctx) {
      return onExisting(ctx, id, members, err(), (gid, ms) -> {
        for (Msisdn m : ms) {
          ctx.store().users().ensure(m, Language.EN, ctx.clock().instant());
          ctx.store().groups().addMember(gid, m);
        }
        out().println(groupLine(ctx.store().groups().find(gid).orElseThrow()));
        return 0;
      });
    }
  }

  @Command(name = "remove", description = "Remove members from a group; with no members, delete the group.")
  static final class Remove extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", paramLabel = "MSISDN")
    List<String> members = new ArrayList<>();

    @Override
    int run(Admin.Context ctx) {
      return onExisting(ctx, id, members, err(), (gid, ms) -> {
        if (ms.isEmpty()) {
          ctx.store().groups().delete(gid);
          out().println("deleted " + gid);
          return 0;
        }
        for (Msisdn m : ms) {
          ctx.store().groups().removeMember(gid, m);
        }
        out().println(groupLine(ctx.store().groups().find(gid).orElseThrow()));
        return 0;
      });
    }
  }

  @Command(name = "list", description = "List groups and their members.")
  static final class ListGroups extends StoreCommand {
    @Override
    int run(Admin.Context ctx) {
      ctx.store().groups().list().forEach(g -> out().println(groupLine(g)));
      return 0;
    }
  }

  static String groupLine(Group g) {
    return g.id() + "\t" + g.name() + "\t" + g.members().stream().map(Msisdn::e164).toList() + (g.open() ? "\topen" : "");
  }

  /** Sets whether anyone may join a group (ADR 0040). */
  abstract static class SetOpen extends StoreCommand {
    @Parameters(paramLabel = "ID")
    String id;

    abstract boolean open();

    @Override
    int run(Admin.Context ctx) {
      Optional<GroupId> gid = id(id, err());
      if (gid.isEmpty()) {
        return 2;
      }
      if (!ctx.store().groups().setOpen(gid.get(), open())) {
        err().println("no such group: " + gid.get());
        return 1;
      }
      out().println(groupLine(ctx.store().groups().find(gid.get()).orElseThrow()));
      return 0;
    }
  }

  @Command(name = "open", description = "Let anyone join the group by themselves (SMS JOIN @group, or the page).")
  static final class Open extends SetOpen {
    @Override
    boolean open() {
      return true;
    }
  }

  @Command(name = "close", description = "Only an admin adds members (the default).")
  static final class Close extends SetOpen {
    @Override
    boolean open() {
      return false;
    }
  }
}
