package chatgate.core.sms;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.i18n.Texts;
import chatgate.core.i18n.Texts.Sms;
import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsInbound.MobileOriginated;
import chatgate.core.testing.CoreFixture;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 18 by SMS: names, group addressing by name, members, join/leave, block; zh and en, one segment each. */
class SocialCommandsTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  static final Msisdn B = Msisdn.of("+8613800000002");
  static final Msisdn C = Msisdn.of("+8613800000003");
  final CoreFixture f = new CoreFixture().started();
  int seq;

  @AfterEach
  void close() {
    f.close();
  }

  private void mo(Msisdn from, String text) {
    f.mo.onMobileOriginated(new MobileOriginated("s" + (++seq), from, "10658", text, f.clock.instant(), Optional.empty()));
    f.settle();
  }

  private String lastTo(Msisdn m) {
    var s = f.sms.sentTo(m);
    assertThat(s).isNotEmpty();
    String text = s.get(s.size() - 1).text();
    return text;
  }

  private int countTo(Msisdn m) {
    return f.sms.sentTo(m).size();
  }

  @Test
  @DisplayName("NAME sets the name everyone sees; NAME @number names a contact for this phone only")
  void namesShowWhereTheSenderShows() {
    mo(A, "名字 小红");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.ZH, Sms.NAME_SET, "小红"));
    mo(A, "@13800000002 hi");
    assertThat(lastTo(B)).startsWith("小红: hi http://gw.test/r/");
    mo(B, "NAME @13800000001 Sis");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.EN, Sms.CONTACT_NAMED, "13800000001", "Sis"));
    mo(A, "@13800000002 again");
    assertThat(lastTo(B)).startsWith("Sis: again ");
    mo(A, "@13800000003 hello C");
    assertThat(lastTo(C)).startsWith("小红: hello C ");
    mo(B, "@Sis by name");
    assertThat(lastTo(A)).startsWith("13800000002: by name ");
    mo(B, "NAME @13800000001");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.EN, Sms.CONTACT_UNNAMED, "13800000001"));
  }

  @Test
  void aBadNameIsRefusedAndNothingChanges() {
    mo(A, "NAME 13800000009");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.EN, Sms.BAD_NAME));
    mo(A, "名字 @家人:x");
    mo(A, "NAME " + "x".repeat(21));
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.EN, Sms.BAD_NAME));
    assertThat(f.chat.label(A)).isEqualTo("13800000001");
  }

  @Test
  @DisplayName("a group is addressed by its display name, @家人, as well as by id")
  void groupByDisplayName() {
    f.groups.create(new Group(GroupId.of("family"), "家人", Set.of(A, B)));
    mo(A, "@家人 晚饭八点");
    assertThat(lastTo(B)).startsWith("[家人]13800000001: 晚饭八点 "); // framed in B's language
    mo(A, "＠家人 再说一次");
    assertThat(lastTo(B)).contains("再说一次");
  }

  @Test
  void membersOnlyForMembers() {
    f.groups.create(new Group(GroupId.of("family"), "家人", Set.of(A, B)));
    mo(B, "名字 小明");
    mo(A, "成员 @家人");
    assertThat(lastTo(A)).isEqualTo("家人（2人）：13800000001、小明");
    mo(C, "MEMBERS @family");
    assertThat(lastTo(C)).isEqualTo(Texts.sms(Language.EN, Sms.NOT_IN, "家人"));
    mo(C, "MEMBERS @nothing");
    assertThat(lastTo(C)).isEqualTo(Texts.sms(Language.EN, Sms.NO_GROUP, "nothing"));
  }

  @Test
  void aLongMemberListFitsOneSms() {
    java.util.Set<Msisdn> many = new java.util.TreeSet<>();
    for (int i = 10; i < 60; i++) {
      many.add(Msisdn.of("+86138000000" + i));
    }
    many.add(A);
    f.groups.create(new Group(GroupId.of("big"), "Big", many));
    mo(A, "MEMBERS @big");
    assertThat(Segmenter.fitsOne(lastTo(A))).isTrue();
    assertThat(lastTo(A)).startsWith("Big (51): ").contains(" more");
  }

  @Test
  @DisplayName("JOIN only an open group; LEAVE any group one is in")
  void joinAndLeave() {
    f.groups.create(new Group(GroupId.of("family"), "家人", Set.of(A)));
    f.groups.create(new Group(GroupId.of("club"), "Chess", Set.of(A), true));
    mo(B, "加入 @家人");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.ZH, Sms.JOIN_CLOSED, "家人"));
    mo(B, "JOIN @Chess");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.EN, Sms.JOINED, "Chess", "club"));
    assertThat(f.groups.find(GroupId.of("club")).orElseThrow().members()).contains(B);
    mo(B, "JOIN @club");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.EN, Sms.ALREADY_IN, "Chess"));
    mo(A, "@club welcome");
    assertThat(lastTo(B)).startsWith("[Chess]13800000001: welcome ");
    mo(B, "LEAVE @club");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.EN, Sms.LEFT, "Chess"));
    mo(B, "退群 @家人");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.ZH, Sms.NOT_IN, "家人"));
    int before = countTo(B);
    mo(A, "@club bye");
    assertThat(countTo(B)).isEqualTo(before);
  }

  @Test
  @DisplayName("BLOCK: the blocked sender is told their message was refused; in a group the blocker is left out")
  void blockAndUnblock() {
    f.groups.create(new Group(GroupId.of("family"), "家人", Set.of(A, B, C)));
    mo(B, "屏蔽 @13800000001");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.ZH, Sms.BLOCKED, "13800000001", "13800000001"));
    int before = countTo(B);
    mo(A, "@13800000002 hello?");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.EN, Sms.ERR_BLOCKED, "13800000002"));
    mo(A, "@family all of you");
    assertThat(countTo(B)).isEqualTo(before);
    assertThat(lastTo(C)).contains("all of you");
    mo(B, "屏蔽 @13800000001");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.ZH, Sms.ALREADY_BLOCKED, "13800000001"));
    mo(B, "解除屏蔽 @13800000001");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.ZH, Sms.UNBLOCKED, "13800000001"));
    mo(A, "@13800000002 now?");
    assertThat(lastTo(B)).startsWith("13800000001：now? "); // B last wrote in Chinese
  }

  @Test
  void startAndHelpMoreInChinese() {
    mo(A, "退订");
    mo(A, "开始");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.ZH, Sms.STARTED));
    mo(A, "帮助2");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.ZH, Sms.HELP_MORE));
    mo(A, "join");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.EN, Sms.GROUP_USAGE));
  }
}
