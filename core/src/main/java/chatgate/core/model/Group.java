package chatgate.core.model;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** A group (P2.10): its id, a name to show, and its members. */
public record Group(GroupId id, String name, Set<Msisdn> members) {
  public Group {
    Objects.requireNonNull(id, "id");
    name = name == null || name.isBlank() ? id.value() : name;
    members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
  }

  public boolean hasMember(Msisdn m) {
    return members.contains(m);
  }
}
