package chatgate.core.sms;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.sms.SmsCommand.ImLogin;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SmsCommandParserTest {
  private final SmsCommandParser p = new SmsCommandParser();

  @DisplayName("P1.8 the patent's login format in all its variants")
  @ParameterizedTest
  @ValueSource(strings = {
      "账号：alice@example.org;用户名：Alice;密码：s3cret pw",
      "账号:alice@example.org;用户名:Alice;密码:s3cret pw",
      "账号：alice@example.org；用户名：Alice；密码：s3cret pw",
      " 账号 ： alice@example.org ; 用户名 ： Alice ; 密码 ： s3cret pw ",
      "密码：s3cret pw;账号：alice@example.org;用户名：Alice",
      "用户名：Alice；密码：s3cret pw；帐号：alice@example.org",
      "account: alice@example.org; name: Alice; password: s3cret pw"})
  void p1_8_patentFormat(String sms) {
    assertThat(p.parse(sms)).isEqualTo(new ImLogin("alice@example.org", "Alice", "s3cret pw"));
  }

  @Test
  void p1_8_nameIsOptionalAndAMissingPasswordIsMalformed() {
    assertThat(p.parse("账号：bob;密码：pw")).isEqualTo(new ImLogin("bob", "", "pw"));
    assertThat(p.parse("账号：bob;用户名：Bob")).isEqualTo(new SmsCommand.Malformed(SmsCommand.Usage.LOGIN));
    assertThat(p.parse("账号：bob;foo：bar;密码：x")).isEqualTo(new SmsCommand.Malformed(SmsCommand.Usage.LOGIN));
  }

  @Test
  void shortLoginInBothLanguages() {
    assertThat(p.parse("LOGIN alice pw")).isEqualTo(new ImLogin("alice", "", "pw"));
    assertThat(p.parse("login alice@x.org my pass")).isEqualTo(new ImLogin("alice@x.org", "", "my pass"));
    assertThat(p.parse("登录 alice pw")).isEqualTo(new ImLogin("alice", "", "pw"));
    assertThat(p.parse("登录　alice　pw")).isEqualTo(new ImLogin("alice", "", "pw"));
    assertThat(p.parse("LOGIN alice")).isEqualTo(new SmsCommand.Malformed(SmsCommand.Usage.LOGIN));
  }

  @Test
  void thePasswordNeverShowsInToString() {
    assertThat(p.parse("LOGIN alice hunter2").toString()).doesNotContain("hunter2");
    assertThat(p.parse("账号：a;密码：hunter2").toString()).doesNotContain("hunter2");
  }

  @Test
  void wordCommandsAreWholeMessagesInAnyCase() {
    assertThat(p.parse("who")).isEqualTo(new SmsCommand.Who());
    assertThat(p.parse("好友")).isEqualTo(new SmsCommand.Who());
    assertThat(p.parse("Help")).isEqualTo(new SmsCommand.Help());
    assertThat(p.parse("帮助")).isEqualTo(new SmsCommand.Help());
    assertThat(p.parse("STOP")).isEqualTo(new SmsCommand.Stop());
    assertThat(p.parse("stop.")).isEqualTo(new SmsCommand.Stop());
    assertThat(p.parse("退订")).isEqualTo(new SmsCommand.Stop());
    assertThat(p.parse("start")).isEqualTo(new SmsCommand.Start());
    assertThat(p.parse("LOGOUT")).isEqualTo(new SmsCommand.Logout(""));
    assertThat(p.parse("退出")).isEqualTo(new SmsCommand.Logout(""));
    assertThat(p.parse("logout alice@x.org")).isEqualTo(new SmsCommand.Logout("alice@x.org"));
    assertThat(p.parse("please stop the car")).isEqualTo(new SmsCommand.SendToLast("please stop the car"));
  }

  @Test
  @DisplayName("issue 16: STATUS / 状态 asks for the last messages' states, whole message, any case, after NFKC")
  void statusInBothLanguages() {
    for (String s : java.util.List.of("STATUS", "status", "Status.", " status ", "ＳＴＡＴＵＳ", "ｓｔａｔｕｓ。", "状态",
        "状态。", "狀態")) {
      assertThat(p.parse(s)).as(s).isEqualTo(new SmsCommand.Status());
    }
    assertThat(p.parse("status of my order")).isEqualTo(new SmsCommand.SendToLast("status of my order"));
    assertThat(p.parse("状态不错")).isEqualTo(new SmsCommand.SendToLast("状态不错"));
    assertThat(p.parse("@bob status")).isEqualTo(new SmsCommand.SendTo("bob", "status"));
  }

  @Test
  void p1_5_sendingByNameIndexOrToTheLastPartner() {
    assertThat(p.parse("@+8613800000002 hello there")).isEqualTo(new SmsCommand.SendTo("+8613800000002", "hello there"));
    assertThat(p.parse("＠家人 晚上见")).isEqualTo(new SmsCommand.SendTo("家人", "晚上见"));
    assertThat(p.parse("@bob")).isEqualTo(new SmsCommand.SendTo("bob", ""));
    assertThat(p.parse("2 see you")).isEqualTo(new SmsCommand.SendToIndex(2, "see you", "2 see you"));
    assertThat(p.parse("just text")).isEqualTo(new SmsCommand.SendToLast("just text"));
    assertThat(p.parse("")).isEqualTo(new SmsCommand.SendToLast(""));
    assertThat(p.parse("@ hi")).isEqualTo(new SmsCommand.Malformed(SmsCommand.Usage.SEND));
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> fullWidthCommands() {
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("ＳＴＯＰ", new SmsCommand.Stop()),
        org.junit.jupiter.params.provider.Arguments.of("ｓｔｏｐ。", new SmsCommand.Stop()),
        org.junit.jupiter.params.provider.Arguments.of("ＨＥＬＰ", new SmsCommand.Help()),
        org.junit.jupiter.params.provider.Arguments.of("ＷＨＯ", new SmsCommand.Who()),
        org.junit.jupiter.params.provider.Arguments.of("ＳＴＡＲＴ", new SmsCommand.Start()),
        org.junit.jupiter.params.provider.Arguments.of("开始", new SmsCommand.Start()),
        org.junit.jupiter.params.provider.Arguments.of("恢复", new SmsCommand.Start()),
        org.junit.jupiter.params.provider.Arguments.of("ＬＯＧＯＵＴ", new SmsCommand.Logout("")),
        org.junit.jupiter.params.provider.Arguments.of("ＬＯＧＩＮ ａｌｉｃｅ pw", new ImLogin("alice", "", "pw")),
        org.junit.jupiter.params.provider.Arguments.of("ＬＯＧＩＮ　alice　ｐｗ２", new ImLogin("alice", "", "ｐｗ２")),
        org.junit.jupiter.params.provider.Arguments.of("账号：alice；密码：ｓｅｃｒｅｔ", new ImLogin("alice", "", "ｓｅｃｒｅｔ")),
        org.junit.jupiter.params.provider.Arguments.of("帐户：alice;密码：pw", new ImLogin("alice", "", "pw")),
        org.junit.jupiter.params.provider.Arguments.of("账户:alice;密码:pw", new ImLogin("alice", "", "pw")));
  }

  @DisplayName("issue 15: commands are read after NFKC normalisation (full-width letters and punctuation); passwords stay as typed")
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("fullWidthCommands")
  void fullWidthCommandsAreRecognised(String sms, SmsCommand expected) {
    assertThat(p.parse(sms)).isEqualTo(expected);
  }

  @DisplayName("issue 15: near-miss login texts are failed logins (answered with the login help, never relayed or stored)")
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "LOGIN:", "LOGIN: alice pw", "login:alice pw", "Login=alice", "login", "LOGIN alice", "ＬＯＧＩＮ", "ＬＯＧＩＮ：",
      "登录", "登录bob", "登录bob pw", "登录:bob pw", "登陆 bob", "登录：bob", "帐户：", "账户：alice", "账号 bob；密码：hunter2",
      "账号 bob；密码 hunter2", "账号bob密码hunter2", "密码：hunter2", "密码hunter2", "密码 hunter2", "用户名：bob",
      "password: hunter2", "Password:hunter2", "pwd=hunter2", "PWD hunter2", "password hunter2", "passwd: x",
      "my password: hunter2", "我的密码：hunter2", "@bob my password: hunter2", "账号：bob;用户名：Bob", "账号：bob;foo：bar;密码：x"})
  void nearMissLoginsAreFailedLogins(String sms) {
    assertThat(p.parse(sms)).as(sms).isEqualTo(new SmsCommand.Malformed(SmsCommand.Usage.LOGIN));
    assertThat(p.carriesLogin(sms)).isTrue();
  }

  @DisplayName("issue 15: a friend's ordinary text about logins or passwords is still chat")
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "password is in the email", "I forgot my password", "password?", "登录不了吗", "登录成功了吗？", "登录?",
      "密码是多少", "密码？", "账号呢", "logins are down today", "name: Bob", "account closed, sorry", "the login page",
      "please stop the car", "log in when you can"})
  void ordinaryTextAboutLoginsIsChat(String sms) {
    assertThat(p.parse(sms)).as(sms).isEqualTo(new SmsCommand.SendToLast(sms));
    assertThat(p.carriesLogin(sms)).isFalse();
  }

  @Test
  void chatTextIsKeptAsTypedNotNormalised() {
    assertThat(p.parse("ｈｉ ｔｈｅｒｅ ①")).isEqualTo(new SmsCommand.SendToLast("ｈｉ ｔｈｅｒｅ ①"));
    assertThat(p.parse("＠家人 ｈｉ")).isEqualTo(new SmsCommand.SendTo("家人", "ｈｉ"));
    assertThat(p.parse("＠ｂｏｂ ｈｉ")).isEqualTo(new SmsCommand.SendTo("bob", "ｈｉ"));
    assertThat(p.parse("２ ｓｅｅ you")).isEqualTo(new SmsCommand.SendToIndex(2, "ｓｅｅ you", "２ ｓｅｅ you"));
  }

  @Property
  void noInputThrows(@ForAll String any) {
    assertThat(p.parse(any)).isNotNull();
  }
}
