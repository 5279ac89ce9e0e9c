package chatgate.store;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import chatgate.core.port.GroupDirectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

final class JdbcGroups implements GroupDirectory {
  private final Jdbi reads;
  private final GroupCommit writes;

  JdbcGroups(Jdbi reads, GroupCommit writes) {
    this.reads = reads;
    this.writes = writes;
  }

  @Override
  public boolean create(Group g) {
    return writes.write(h -> {
      int n = h.createUpdate("INSERT INTO chat_groups (id, name, joinable) VALUES (:id, :name, :open) ON CONFLICT (id) DO NOTHING")
          .bind("id", g.id().value()).bind("name", g.name()).bind("open", g.open() ? 1 : 0).execute();
      if (n == 0) {
        return false;
      }
      for (Msisdn m : g.members()) {
        h.createUpdate("INSERT INTO group_members (group_id, msisdn) VALUES (:g, :m)")
            .bind("g", g.id().value()).bind("m", m.e164()).execute();
      }
      return true;
    });
  }

  @Override
  public Optional<Group> find(GroupId id) {
    return reads.withHandle(h -> load(h, "WHERE g.id = :id", id.value())).stream().findFirst();
  }

  @Override
  public List<Group> list() {
    return reads.withHandle(h -> load(h, "", null));
  }

  @Override
  public List<Group> groupsOf(Msisdn member) {
    return reads.withHandle(h -> load(h,
        "WHERE g.id IN (SELECT group_id FROM group_members WHERE msisdn = :id)", member.e164()));
  }

  @Override
  public List<Group> named(String name) {
    // lower() folds ASCII letters in SQLite, all in PostgreSQL; names are mostly Chinese or ASCII.
    return reads.withHandle(h -> load(h, "WHERE lower(g.name) = lower(:id)", name.strip()));
  }

  @Override
  public boolean setOpen(GroupId id, boolean open) {
    return writes.write(h -> h.createUpdate("UPDATE chat_groups SET joinable = :o WHERE id = :g")
        .bind("o", open ? 1 : 0).bind("g", id.value()).execute() > 0);
  }

  private static List<Group> load(Handle h, String where, String param) {
    var q = h.createQuery("SELECT g.id, g.name, g.joinable, gm.msisdn FROM chat_groups g "
        + "LEFT JOIN group_members gm ON gm.group_id = g.id " + where + " ORDER BY g.id, gm.msisdn");
    if (param != null) {
      q.bind("id", param);
    }
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, Boolean> open = new LinkedHashMap<>();
    Map<String, Set<Msisdn>> members = new LinkedHashMap<>();
    q.map((rs, ctx) -> {
      String id = rs.getString("id");
      names.putIfAbsent(id, rs.getString("name"));
      open.putIfAbsent(id, rs.getInt("joinable") != 0);
      Set<Msisdn> ms = members.computeIfAbsent(id, k -> new TreeSet<>());
      String m = rs.getString("msisdn");
      if (m != null) {
        ms.add(Msisdn.of(m));
      }
      return id;
    }).list();
    List<Group> out = new ArrayList<>();
    names.forEach((id, name) -> out.add(new Group(GroupId.of(id), name, members.get(id), open.get(id))));
    return out;
  }

  @Override
  public boolean addMember(GroupId id, Msisdn member) {
    return writes.write(h -> {
      if (!exists(h, id)) {
        return false;
      }
      return h.createUpdate("INSERT INTO group_members (group_id, msisdn) VALUES (:g, :m) ON CONFLICT DO NOTHING")
          .bind("g", id.value()).bind("m", member.e164()).execute() > 0;
    });
  }

  @Override
  public boolean removeMember(GroupId id, Msisdn member) {
    return writes.write(h -> h.createUpdate("DELETE FROM group_members WHERE group_id = :g AND msisdn = :m")
        .bind("g", id.value()).bind("m", member.e164()).execute() > 0);
  }

  @Override
  public boolean delete(GroupId id) {
    return writes.write(h -> {
      h.createUpdate("DELETE FROM group_members WHERE group_id = :g").bind("g", id.value()).execute();
      return h.createUpdate("DELETE FROM chat_groups WHERE id = :g").bind("g", id.value()).execute() > 0;
    });
  }

  private static boolean exists(Handle h, GroupId id) {
    return h.createQuery("SELECT COUNT(*) FROM chat_groups WHERE id = :g").bind("g", id.value())
        .mapTo(Integer.class).one() > 0;
  }
}
