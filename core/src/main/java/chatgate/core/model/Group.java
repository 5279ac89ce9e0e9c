package chatgate.core.model;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A group (P2.10): its id, a name to show (and to address it by: {@code @家人}), its members, and
 * whether anyone may join it by themselves ({@code open}, set by an admin; ADR 0040).
 */
public record Group(GroupId id, String name, Set<Msisdn> members, boolean open) {
  public Group(GroupId id, String name, Set<Msisdn> members) {
    this(id, name, members, false);
  }

  public Group {
    Objects.requireNonNull(id, "id");
    name = name == null || name.isBlank() ? id.value() : name;
    members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
  }

  public boolean hasMember(Msisdn m) {
    return members.contains(m);
  }

  public Group withMembers(Set<Msisdn> ms) {
    return new Group(id, name, ms, open);
  }

  public Group withOpen(boolean o) {
    return new Group(id, name, members, o);
  }
}
