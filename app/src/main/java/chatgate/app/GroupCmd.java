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
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chatgate admin group …}: groups, their members, and whether anyone may join them. */
@Command(name = "group", description = "Create groups, add or remove members, open or close them to joining, list groups.",
    subcommands = {GroupCmd.Create.class, GroupCmd.AddMembers.class, GroupCmd.Remove.class, GroupCmd.ListGroups.class,
        GroupCmd.Open.class, GroupCmd.Close.class})
final class GroupCmd {
  @ParentCommand
  Admin admin;

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

  @Command(name = "create", description = "Create a group.")
  static final class Create implements Callable<Integer> {
    @ParentCommand
    GroupCmd groups;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", paramLabel = "MSISDN", description = "members")
    List<String> members = new ArrayList<>();

    @Option(names = "--name", description = "name shown to members, and to address it by (@家人)")
    String name;

    @Option(names = "--open", description = "anyone may join it by themselves (SMS JOIN @group, the page)")
    boolean open;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      return groups.admin.withStore(err, ctx -> {
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
        spec.commandLine().getOut().println("created " + gid.get() + " with " + ms.get().size() + " members");
        return 0;
      });
    }
  }

  @Command(name = "add", description = "Add members to a group.")
  static final class AddMembers implements Callable<Integer> {
    @ParentCommand
    GroupCmd groups;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "MSISDN")
    List<String> members;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      return groups.admin.withStore(err, ctx -> {
        Optional<GroupId> gid = id(id, err);
        Optional<Set<Msisdn>> ms = numbers(ctx, members, err);
        if (gid.isEmpty() || ms.isEmpty()) {
          return 2;
        }
        if (ctx.store().groups().find(gid.get()).isEmpty()) {
          err.println("no such group: " + gid.get());
          return 1;
        }
        for (Msisdn m : ms.get()) {
          ctx.store().users().ensure(m, Language.EN, ctx.clock().instant());
          ctx.store().groups().addMember(gid.get(), m);
        }
        spec.commandLine().getOut().println(groupLine(ctx.store().groups().find(gid.get()).orElseThrow()));
        return 0;
      });
    }
  }

  @Command(name = "remove", description = "Remove members from a group; with no members, delete the group.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand
    GroupCmd groups;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", paramLabel = "MSISDN")
    List<String> members = new ArrayList<>();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      return groups.admin.withStore(err, ctx -> {
        Optional<GroupId> gid = id(id, err);
        Optional<Set<Msisdn>> ms = numbers(ctx, members, err);
        if (gid.isEmpty() || ms.isEmpty()) {
          return 2;
        }
        if (ctx.store().groups().find(gid.get()).isEmpty()) {
          err.println("no such group: " + gid.get());
          return 1;
        }
        if (ms.get().isEmpty()) {
          ctx.store().groups().delete(gid.get());
          spec.commandLine().getOut().println("deleted " + gid.get());
          return 0;
        }
        for (Msisdn m : ms.get()) {
          ctx.store().groups().removeMember(gid.get(), m);
        }
        spec.commandLine().getOut().println(groupLine(ctx.store().groups().find(gid.get()).orElseThrow()));
        return 0;
      });
    }
  }

  @Command(name = "list", description = "List groups and their members.")
  static final class ListGroups implements Callable<Integer> {
    @ParentCommand
    GroupCmd groups;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return groups.admin.withStore(spec.commandLine().getErr(), ctx -> {
        ctx.store().groups().list().forEach(g -> spec.commandLine().getOut().println(groupLine(g)));
        return 0;
      });
    }
  }

  static String groupLine(Group g) {
    return g.id() + "\t" + g.name() + "\t" + g.members().stream().map(Msisdn::e164).toList() + (g.open() ? "\topen" : "");
  }

  /** Sets whether anyone may join a group (ADR 0040). */
  static int setOpen(GroupCmd groups, CommandLine.Model.CommandSpec spec, String id, boolean open) {
    PrintWriter err = spec.commandLine().getErr();
    return groups.admin.withStore(err, ctx -> {
      Optional<GroupId> gid = id(id, err);
      if (gid.isEmpty()) {
        return 2;
      }
      if (!ctx.store().groups().setOpen(gid.get(), open)) {
        err.println("no such group: " + gid.get());
        return 1;
      }
      spec.commandLine().getOut().println(groupLine(ctx.store().groups().find(gid.get()).orElseThrow()));
      return 0;
    });
  }

  @Command(name = "open", description = "Let anyone join the group by themselves (SMS JOIN @group, or the page).")
  static final class Open implements Callable<Integer> {
    @ParentCommand
    GroupCmd groups;

    @Parameters(paramLabel = "ID")
    String id;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return setOpen(groups, spec, id, true);
    }
  }

  @Command(name = "close", description = "Only an admin adds members (the default).")
  static final class Close implements Callable<Integer> {
    @ParentCommand
    GroupCmd groups;

    @Parameters(paramLabel = "ID")
    String id;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return setOpen(groups, spec, id, false);
    }
  }
}
