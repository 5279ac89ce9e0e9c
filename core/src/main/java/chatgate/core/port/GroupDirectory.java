package chatgate.core.port;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import java.util.List;
import java.util.Optional;

/** Groups and their members (P2.10, P2.13 "group info storage"). */
public interface GroupDirectory {
  /** Creates the group; false if the id is taken (nothing changes then). */
  boolean create(Group group);

  Optional<Group> find(GroupId id);

  /** All groups ordered by id. */
  List<Group> list();

  /** The groups this phone belongs to, ordered by id. */
  List<Group> groupsOf(Msisdn member);

  /** Adds a member; false if the group is unknown or they already belong. */
  boolean addMember(GroupId id, Msisdn member);

  /** Removes a member; false if the group is unknown or they did not belong. */
  boolean removeMember(GroupId id, Msisdn member);

  /** Marks the group open (anyone may join it) or closed; false if unknown. */
  boolean setOpen(GroupId id, boolean open);

  /** The groups with this display name, case-insensitive for ASCII letters, ordered by id. */
  List<Group> named(String name);

  /** Deletes the group; false if unknown. */
  boolean delete(GroupId id);
}
