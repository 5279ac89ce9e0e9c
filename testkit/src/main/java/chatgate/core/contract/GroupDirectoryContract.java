package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import chatgate.core.port.GroupDirectory;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link GroupDirectory} does (P2.10). */
public interface GroupDirectoryContract {
  GroupDirectory groups();

  Msisdn A = Msisdn.of("+8613800000001");
  Msisdn B = Msisdn.of("+8613800000002");
  Msisdn C = Msisdn.of("+8613800000003");

  @Test
  default void createFindAndRefuseADuplicateId() {
    assertThat(groups().create(new Group(GroupId.of("family"), "家人", Set.of(A, B)))).isTrue();
    assertThat(groups().create(new Group(GroupId.of("FAMILY"), "other", Set.of(C)))).isFalse();
    Group g = groups().find(GroupId.of("family")).orElseThrow();
    assertThat(g.name()).isEqualTo("家人");
    assertThat(g.members()).containsExactlyInAnyOrder(A, B);
  }

  @Test
  default void membersComeAndGo() {
    groups().create(new Group(GroupId.of("team"), "Team", Set.of(A)));
    assertThat(groups().addMember(GroupId.of("team"), B)).isTrue();
    assertThat(groups().addMember(GroupId.of("team"), B)).isFalse();
    assertThat(groups().addMember(GroupId.of("nope"), B)).isFalse();
    assertThat(groups().find(GroupId.of("team")).orElseThrow().members()).containsExactlyInAnyOrder(A, B);
    assertThat(groups().removeMember(GroupId.of("team"), A)).isTrue();
    assertThat(groups().removeMember(GroupId.of("team"), A)).isFalse();
    assertThat(groups().find(GroupId.of("team")).orElseThrow().members()).containsExactly(B);
  }

  @Test
  default void groupsOfAMemberAndListAreOrderedById() {
    groups().create(new Group(GroupId.of("zeta"), "", Set.of(A)));
    groups().create(new Group(GroupId.of("alpha"), "", Set.of(A, B)));
    groups().create(new Group(GroupId.of("mid"), "", Set.of(B)));
    assertThat(groups().groupsOf(A)).extracting(Group::id).containsExactly(GroupId.of("alpha"), GroupId.of("zeta"));
    assertThat(groups().list()).extracting(Group::id)
        .containsExactly(GroupId.of("alpha"), GroupId.of("mid"), GroupId.of("zeta"));
    assertThat(groups().find(GroupId.of("zeta")).orElseThrow().name()).isEqualTo("zeta");
  }

  @Test
  default void deleteForgetsTheGroup() {
    groups().create(new Group(GroupId.of("gone"), "", Set.of(A)));
    assertThat(groups().delete(GroupId.of("gone"))).isTrue();
    assertThat(groups().find(GroupId.of("gone"))).isEmpty();
    assertThat(groups().groupsOf(A)).isEmpty();
    assertThat(groups().delete(GroupId.of("gone"))).isFalse();
  }

  @Test
  default void openFlagAndLookupByName() {
    groups().create(new Group(GroupId.of("family"), "家人", Set.of(A)));
    groups().create(new Group(GroupId.of("club"), "Chess Club", Set.of(B), true));
    groups().create(new Group(GroupId.of("club2"), "chess club", Set.of(C)));
    assertThat(groups().find(GroupId.of("family")).orElseThrow().open()).isFalse();
    assertThat(groups().find(GroupId.of("club")).orElseThrow().open()).isTrue();
    assertThat(groups().setOpen(GroupId.of("family"), true)).isTrue();
    assertThat(groups().setOpen(GroupId.of("nope"), true)).isFalse();
    assertThat(groups().addMember(GroupId.of("family"), B)).isTrue();
    Group family = groups().find(GroupId.of("family")).orElseThrow();
    assertThat(family.open()).isTrue();
    assertThat(family.members()).containsExactlyInAnyOrder(A, B);
    assertThat(groups().named("家人")).extracting(Group::id).containsExactly(GroupId.of("family"));
    assertThat(groups().named("CHESS club")).extracting(Group::id)
        .containsExactly(GroupId.of("club"), GroupId.of("club2"));
    assertThat(groups().named("nobody")).isEmpty();
  }
}
