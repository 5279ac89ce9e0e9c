package chatgate.core.memory;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import chatgate.core.port.GroupDirectory;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/** Groups in memory. */
public final class MemoryGroupDirectory implements GroupDirectory {
  private final ConcurrentSkipListMap<GroupId, Group> groups = new ConcurrentSkipListMap<>();

  @Override
  public boolean create(Group group) {
    return groups.putIfAbsent(group.id(), group) == null;
  }

  @Override
  public Optional<Group> find(GroupId id) {
    return Optional.ofNullable(groups.get(id));
  }

  @Override
  public List<Group> list() {
    return List.copyOf(groups.values());
  }

  @Override
  public List<Group> groupsOf(Msisdn member) {
    return groups.values().stream().filter(g -> g.hasMember(member)).toList();
  }

  @Override
  public synchronized boolean addMember(GroupId id, Msisdn member) {
    Group g = groups.get(id);
    if (g == null || g.hasMember(member)) {
      return false;
    }
    Set<Msisdn> ms = new HashSet<>(g.members());
    ms.add(member);
    groups.put(id, g.withMembers(ms));
    return true;
  }

  @Override
  public synchronized boolean removeMember(GroupId id, Msisdn member) {
    Group g = groups.get(id);
    if (g == null || !g.hasMember(member)) {
      return false;
    }
    Set<Msisdn> ms = new HashSet<>(g.members());
    ms.remove(member);
    groups.put(id, g.withMembers(ms));
    return true;
  }

  @Override
  public synchronized boolean setOpen(GroupId id, boolean open) {
    Group g = groups.get(id);
    if (g == null) {
      return false;
    }
    groups.put(id, g.withOpen(open));
    return true;
  }

  @Override
  public List<Group> named(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    return groups.values().stream().filter(g -> g.name().toLowerCase(Locale.ROOT).equals(n)).toList();
  }

  @Override
  public boolean delete(GroupId id) {
    return groups.remove(id) != null;
  }

  synchronized void dropMember(Msisdn member) {
    for (Group g : List.copyOf(groups.values())) {
      if (g.hasMember(member)) {
        removeMember(g.id(), member);
      }
    }
  }
}
