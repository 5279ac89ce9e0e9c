package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.User;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.UserDirectory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link UserDirectory} does; each adapter's test implements this. */
public interface UserDirectoryContract {
  UserDirectory users();

  GroupDirectory groups();

  Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  Msisdn A = Msisdn.of("+8613800000001");
  Msisdn B = Msisdn.of("+8613800000002");

  @Test
  default void ensureCreatesOnceAndKeepsTheFirstLanguage() {
    User u = users().ensure(A, Language.ZH, NOW);
    assertThat(u.msisdn()).isEqualTo(A);
    assertThat(u.language()).isEqualTo(Language.ZH);
    User again = users().ensure(A, Language.EN, NOW.plusSeconds(5));
    assertThat(again.language()).isEqualTo(Language.ZH);
    assertThat(again.createdAt()).isEqualTo(u.createdAt());
  }

  @Test
  default void saveReplacesEveryField() {
    users().ensure(A, Language.EN, NOW);
    User changed = users().find(A).orElseThrow()
        .withDisplayName("李雷 <b>")
        .withLanguage(Language.ZH)
        .withSmsStopped(true)
        .withWapPush(true)
        .withImsi("460001234567890");
    users().save(changed);
    User read = users().find(A).orElseThrow();
    assertThat(read.displayName()).isEqualTo("李雷 <b>");
    assertThat(read.language()).isEqualTo(Language.ZH);
    assertThat(read.smsStopped()).isTrue();
    assertThat(read.wapPush()).isTrue();
    assertThat(read.imsi()).contains("460001234567890");
    assertThat(read.createdAt().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(NOW);
  }

  @Test
  default void listIsOrderedAndPaged() {
    users().ensure(B, Language.EN, NOW);
    users().ensure(A, Language.EN, NOW);
    assertThat(users().list(0, 10)).extracting(User::msisdn).containsExactly(A, B);
    assertThat(users().list(1, 10)).extracting(User::msisdn).containsExactly(B);
    assertThat(users().list(0, 1)).extracting(User::msisdn).containsExactly(A);
  }

  @Test
  default void removeDropsGroupMemberships() {
    users().ensure(A, Language.EN, NOW);
    users().ensure(B, Language.EN, NOW);
    groups().create(new Group(GroupId.of("family"), "Family", Set.of(A, B)));
    assertThat(users().remove(A)).isTrue();
    assertThat(users().find(A)).isEmpty();
    assertThat(groups().find(GroupId.of("family")).orElseThrow().members()).containsExactly(B);
    assertThat(users().remove(A)).isFalse();
  }

  @Test
  default void contactNamesAreTheOwnersOnly() {
    users().ensure(A, Language.EN, NOW);
    users().ensure(B, Language.EN, NOW);
    users().nameContact(A, B, "小明 <i>");
    assertThat(users().contactNames(A)).containsExactly(java.util.Map.entry(B, "小明 <i>"));
    assertThat(users().contactNames(B)).isEmpty();
    users().nameContact(A, B, "Bob");
    assertThat(users().contactNames(A)).containsExactly(java.util.Map.entry(B, "Bob"));
    users().nameContact(A, B, "");
    assertThat(users().contactNames(A)).isEmpty();
  }

  @Test
  default void blocksComeAndGoAndNameWhoBlocksASender() {
    Msisdn c = Msisdn.of("+8613800000003");
    users().ensure(A, Language.EN, NOW);
    assertThat(users().block(A, B)).isTrue();
    assertThat(users().block(A, B)).isFalse();
    assertThat(users().block(c, B)).isTrue();
    assertThat(users().block(A, c)).isTrue();
    assertThat(users().blocked(A)).containsExactly(B, c);
    assertThat(users().blockers(B)).containsExactlyInAnyOrder(A, c);
    assertThat(users().unblock(A, B)).isTrue();
    assertThat(users().unblock(A, B)).isFalse();
    assertThat(users().blockers(B)).containsExactly(c);
    users().nameContact(A, c, "Carol");
    assertThat(users().remove(A)).isTrue();
    assertThat(users().blocked(A)).isEmpty();
    assertThat(users().contactNames(A)).isEmpty();
  }

  @Test
  default void unknownUserIsEmpty() {
    assertThat(users().find(Msisdn.of("+15550000000"))).isEmpty();
  }
}
