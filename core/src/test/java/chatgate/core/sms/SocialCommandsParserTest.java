package chatgate.core.sms;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.sms.SmsCommand.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 18: the name, group and block commands, in English and Chinese, and what stays chat. */
class SocialCommandsParserTest {
  private final SmsCommandParser p = new SmsCommandParser();

  @Test
  void ownNameInBothLanguages() {
    assertThat(p.parse("NAME Lucy")).isEqualTo(new SmsCommand.SetName("Lucy"));
    assertThat(p.parse("name 小红")).isEqualTo(new SmsCommand.SetName("小红"));
    assertThat(p.parse("名字 小红")).isEqualTo(new SmsCommand.SetName("小红"));
    assertThat(p.parse("名字：小红")).isEqualTo(new SmsCommand.SetName("小红"));
    assertThat(p.parse("改名 小红")).isEqualTo(new SmsCommand.SetName("小红"));
    assertThat(p.parse("ＮＡＭＥ Ｌｕｃｙ")).isEqualTo(new SmsCommand.SetName("Lucy"));
  }

  @Test
  void contactNameInBothLanguages() {
    assertThat(p.parse("NAME @13800000002 Uncle Bob")).isEqualTo(new SmsCommand.NameContact("13800000002", "Uncle Bob"));
    assertThat(p.parse("名字 @13800000002 小明")).isEqualTo(new SmsCommand.NameContact("13800000002", "小明"));
    assertThat(p.parse("名字＠13800000002 小明")).isEqualTo(new SmsCommand.NameContact("13800000002", "小明"));
    assertThat(p.parse("name @13800000002")).isEqualTo(new SmsCommand.NameContact("13800000002", ""));
  }

  @Test
  void groupAndBlockCommandsInBothLanguages() {
    assertThat(p.parse("MEMBERS @家人")).isEqualTo(new SmsCommand.Members("家人"));
    assertThat(p.parse("成员 @家人")).isEqualTo(new SmsCommand.Members("家人"));
    assertThat(p.parse("join @Family")).isEqualTo(new SmsCommand.Join("Family"));
    assertThat(p.parse("加入@家人")).isEqualTo(new SmsCommand.Join("家人"));
    assertThat(p.parse("LEAVE @family")).isEqualTo(new SmsCommand.Leave("family"));
    assertThat(p.parse("退群 @家人")).isEqualTo(new SmsCommand.Leave("家人"));
    assertThat(p.parse("BLOCK @13800000002")).isEqualTo(new SmsCommand.Block("13800000002"));
    assertThat(p.parse("屏蔽 @13800000002")).isEqualTo(new SmsCommand.Block("13800000002"));
    assertThat(p.parse("unblock @13800000002")).isEqualTo(new SmsCommand.Unblock("13800000002"));
    assertThat(p.parse("解除屏蔽 @13800000002")).isEqualTo(new SmsCommand.Unblock("13800000002"));
    assertThat(p.parse("HELP 2")).isEqualTo(new SmsCommand.HelpMore());
    assertThat(p.parse("帮助2")).isEqualTo(new SmsCommand.HelpMore());
  }

  @Test
  void startHasAChineseForm() {
    assertThat(p.parse("开始")).isEqualTo(new SmsCommand.Start());
    assertThat(p.parse("START")).isEqualTo(new SmsCommand.Start());
  }

  @Test
  void bareKeywordsOrExtraWordsAreAnsweredWithTheUsage() {
    assertThat(p.parse("name")).isEqualTo(new SmsCommand.Malformed(Usage.NAME));
    assertThat(p.parse("名字")).isEqualTo(new SmsCommand.Malformed(Usage.NAME));
    assertThat(p.parse("members")).isEqualTo(new SmsCommand.Malformed(Usage.GROUP));
    assertThat(p.parse("加入")).isEqualTo(new SmsCommand.Malformed(Usage.GROUP));
    assertThat(p.parse("block @13800000002 now")).isEqualTo(new SmsCommand.Malformed(Usage.GROUP));
  }

  @ParameterizedTest
  @ValueSource(strings = {"join us at 8", "name the baby", "leave it", "block party tonight", "名字叫什么",
      "加入我们吧", "name: Bob", "members only"})
  void everydayTextStaysChat(String sms) {
    assertThat(p.parse(sms)).isInstanceOf(SmsCommand.SendToLast.class);
  }
}
