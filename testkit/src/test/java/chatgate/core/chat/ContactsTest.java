package chatgate.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import chatgate.core.testing.CoreFixture;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 18: how a typed target resolves, and what a name may be. */
class ContactsTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  static final Msisdn B = Msisdn.of("+8613800000002");
  static final Msisdn C = Msisdn.of("+8613800000003");
  final CoreFixture f = new CoreFixture().started();
  final Contacts c = f.chat.contacts();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void numbersThenContactNamesThenGroupIdsThenGroupNames() {
    f.groups.create(new Group(GroupId.of("family"), "家人", Set.of(A, B)));
    f.groups.create(new Group(GroupId.of("bob"), "Bob's group", Set.of(C)));
    assertThat(c.resolve(A, "13800000002")).contains(B);
    assertThat(c.resolve(A, "bob")).contains(GroupId.of("bob"));
    c.nameContact(A, "13800000002", "Bob");
    assertThat(c.resolve(A, "BOB")).contains(B); // A's own name for a contact wins over a group id
    assertThat(c.resolve(C, "bob")).contains(GroupId.of("bob")); // only for A
    assertThat(c.resolve(A, "家人")).contains(GroupId.of("family"));
    assertThat(c.resolve(A, "family")).contains(GroupId.of("family"));
    assertThat(c.resolve(A, "nosuch")).contains(GroupId.of("nosuch")); // an unknown id stays one, to be named
    assertThat(c.resolve(A, "无此群")).isEmpty();
  }

  @Test
  void aGroupNameSeveralGroupsShareIsTheOneTheSenderIsIn() {
    f.groups.create(new Group(GroupId.of("fam1"), "家人", Set.of(A)));
    f.groups.create(new Group(GroupId.of("fam2"), "家人", Set.of(B)));
    assertThat(c.resolve(A, "家人")).contains(GroupId.of("fam1"));
    assertThat(c.resolve(B, "家人")).contains(GroupId.of("fam2"));
    assertThat(c.resolve(C, "家人")).isEmpty(); // ambiguous for an outsider
  }

  @Test
  void whatANameMayBe() {
    assertThat(DisplayNames.clean("  小红  ")).contains("小红");
    assertThat(DisplayNames.clean("Uncle\u202E Bob\t Jr")).contains("Uncle Bob Jr");
    assertThat(DisplayNames.clean("x".repeat(20))).isPresent();
    assertThat(DisplayNames.clean("x".repeat(21))).isEmpty();
    for (String bad : new String[] {"", "   ", "13800000001", "+86 138", "@family", "Bob: hi", "[家人]", "<b>", "【x】",
        "a：b"}) {
      assertThat(DisplayNames.clean(bad)).as(bad).isEqualTo(Optional.empty());
    }
  }
}
