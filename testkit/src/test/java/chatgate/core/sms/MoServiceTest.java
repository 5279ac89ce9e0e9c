package chatgate.core.sms;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.i18n.Texts;
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

class MoServiceTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  static final Msisdn B = Msisdn.of("+8613800000002");
  final CoreFixture f = new CoreFixture().started();
  int seq;

  @AfterEach
  void close() {
    f.close();
  }

  private void mo(Msisdn from, String text) {
    f.mo.onMobileOriginated(new MobileOriginated("r" + (++seq), from, "10658", text, f.clock.instant(), Optional.empty()));
    f.settle();
  }

  /** An MO under a given adapter ref: two MOs with one text in one 30 s slot carry the same ref. */
  private void moWithRef(String ref, Msisdn from, String text) {
    f.mo.onMobileOriginated(new MobileOriginated(ref, from, "10658", text, f.clock.instant(), Optional.empty()));
    f.settle();
  }

  @Test
  @DisplayName("issue 16: a command sent twice within the de-duplication slot is answered twice (it runs twice)")
  void aRepeatedCommandIsAnsweredEachTime() {
    moWithRef("same-slot", A, "HELP");
    moWithRef("same-slot", A, "HELP");
    assertThat(f.sms.sentTo(A)).hasSize(2).allSatisfy(s -> assertThat(s.text()).isEqualTo(Texts.sms(Language.EN,
        Texts.Sms.HELP)));
  }

  private String lastTo(Msisdn m) {
    var s = f.sms.sentTo(m);
    return s.get(s.size() - 1).text();
  }

  @Test
  @DisplayName("P2.12 an SMS recipient carries the conversation on by replying with plain text")
  void p2_12_plainTextGoesToTheLastPartner() {
    mo(A, "@+8613800000002 hello B");
    assertThat(lastTo(B)).startsWith("13800000001: hello B http://gw.test/r/");
    mo(B, "hi A, got it");
    assertThat(lastTo(A)).startsWith("13800000002: hi A, got it http://gw.test/r/");
  }

  @Test
  void groupBySms() {
    f.groups.create(new Group(GroupId.of("family"), "Family", Set.of(A, B)));
    mo(A, "@family dinner at 8");
    assertThat(lastTo(B)).startsWith("[Family]13800000001: dinner at 8 ");
  }

  @Test
  void repliesAreInTheLanguageTheUserWroteIn() {
    mo(A, "help");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.EN, Texts.Sms.HELP));
    mo(A, "帮助");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.ZH, Texts.Sms.HELP));
    mo(A, "你好");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.ZH, Texts.Sms.ERR_NO_PARTNER));
  }

  @Test
  void errorsAreClearAndShort() {
    mo(A, "@nosuch hi");
    assertThat(lastTo(A)).isEqualTo("Not sent: nosuch is not a number or group here.");
    mo(A, "@+8613800000002");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.EN, Texts.Sms.ERR_EMPTY));
    mo(A, "@" + "9".repeat(40) + " hi");
    assertThat(lastTo(A)).hasSizeLessThan(70);
  }

  @Test
  void stopAndStart() {
    mo(A, "@+8613800000002 first");
    mo(B, "STOP");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.EN, Texts.Sms.STOPPED));
    int before = f.sms.sentTo(B).size();
    mo(A, "second");
    assertThat(f.sms.sentTo(B)).hasSize(before);
    mo(B, "start");
    assertThat(lastTo(B)).isEqualTo(Texts.sms(Language.EN, Texts.Sms.STARTED));
    mo(A, "third");
    assertThat(lastTo(B)).contains("third");
  }

  @Test
  @DisplayName("an SMSC repeating a chat MO (same ref) makes one message for the partner")
  void aRepeatedChatMoChangesNothing() {
    MobileOriginated m = new MobileOriginated("same", A, "10658", "@+8613800000002 once", f.clock.instant(), Optional.empty());
    f.mo.onMobileOriginated(m);
    f.mo.onMobileOriginated(m);
    f.settle();
    assertThat(f.sms.sentTo(B)).hasSize(1);
  }

  private String originRefOf(chatgate.core.port.SmsPort.OutboundSms sms) {
    long delivery = Long.parseLong(sms.ref().substring(1));
    return f.store.item(delivery).orElseThrow().message().originRef().orElse("");
  }

  @Test
  @DisplayName("issue 15: the reply to a login SMS carries a random ref, nothing derived from its text or number; a repeat runs again")
  void imPasswordsLeaveNoTextHashInTheReplysRef() {
    String adapterRef = "smpp:+8613800000001:0123456789abcdef:98765";
    for (String text : new String[] {"LOGIN alice hunter2", "账号：alice；密码：hunter2"}) {
      int before = f.sms.sentTo(A).size();
      for (int i = 0; i < 2; i++) {
        f.mo.onMobileOriginated(new MobileOriginated(adapterRef, A, "10658", text, f.clock.instant(), Optional.empty()));
        f.settle();
      }
      var replies = f.sms.sentTo(A).subList(before, f.sms.sentTo(A).size());
      // No stable id for a login SMS: an SMSC's repeat of it is answered again (acceptable: it only logs in again).
      assertThat(replies).hasSize(2);
      var refs = replies.stream().map(this::originRefOf).toList();
      assertThat(refs).doesNotHaveDuplicates();
      for (String r : refs) {
        assertThat(r).doesNotContain("0123456789abcdef").doesNotContain("8613800000001").doesNotContain(adapterRef);
      }
    }
  }

  @Test
  @DisplayName("issue 15: a near-miss login gets the login help; the last partner gets nothing and it is not stored")
  void nearMissLoginIsNeverRelayedOrStored() {
    mo(A, "@+8613800000002 hi");
    int toB = f.sms.sentTo(B).size();
    mo(A, "账号 bob；密码：hunter2");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.ZH, Texts.Sms.LOGIN_HELP));
    mo(A, "my password: hunter2");
    assertThat(lastTo(A)).isEqualTo(Texts.sms(Language.EN, Texts.Sms.LOGIN_HELP));
    assertThat(f.sms.sentTo(B)).hasSize(toB);
    assertThat(f.chat.conversation(A, B, 50)).extracting(m -> m.body()).noneMatch(b -> b.contains("hunter2"));
    mo(A, "ＳＴＯＰ");
    assertThat(f.users.find(A).orElseThrow().smsStopped()).isTrue();
  }

  @Test
  @DisplayName("P1.6 the IMSI an SMSC supplies is recorded for the user")
  void p1_6_imsiIsRecorded() {
    f.mo.onMobileOriginated(new MobileOriginated("i1", A, "10658", "help", f.clock.instant(), Optional.of("460001234567890")));
    assertThat(f.users.find(A).orElseThrow().imsi()).contains("460001234567890");
  }

  // ---- issue 16: STATUS ----

  private static final java.time.format.DateTimeFormatter HH_MM =
      java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneId.systemDefault());

  /** The receipt of the last SMS to this phone, as the SMSC would send it. */
  private void receipt(Msisdn to, boolean delivered, String stat) {
    var m = f.store.conversation(A, to, 1).getFirst();
    String smscId = f.store.deliveriesOf(m.id()).getFirst().smscIds().orElseThrow();
    f.stage.onDeliveryReport(new chatgate.core.port.SmsInbound.DeliveryReport(smscId, delivered, stat,
        f.clock.instant()));
  }

  @Test
  @DisplayName("issue 16: STATUS answers the states of the last messages, newest first, in one GSM-7 segment")
  void statusAnswersTheLastMessagesInOneSegment() {
    Msisdn c = Msisdn.of("+8613800000003");
    Msisdn d = Msisdn.of("+8613800000004");
    String at = HH_MM.format(f.clock.instant());
    mo(A, "@13800000002 hello B");
    receipt(B, true, "DELIVRD");
    mo(c, "STOP");
    mo(A, "@13800000003 hello C");
    mo(A, "@13800000004 hello D");
    receipt(d, false, "UNDELIV");
    f.users.save(f.users.find(B).orElseThrow().withDisplayName("Bob"));
    mo(A, "STATUS");
    String answer = lastTo(A);
    assertThat(answer).isEqualTo("Last sent: 1 13800000004 " + at + " failed: unreachable; 2 13800000003 " + at
        + " not sent: STOP; 3 Bob " + at + " delivered");
    assertThat(Segmenter.fitsOne(answer)).isTrue();
    assertThat(f.sms.sentTo(A).getLast().text()).isEqualTo(answer);
    // The question itself is not a message to anyone.
    assertThat(f.store.partners(A, 10)).extracting(p -> p.target().id()).doesNotContain("STATUS");
  }

  @Test
  @DisplayName("issue 16: 状态 answers in Chinese, one UCS-2 segment however many messages and however long the names")
  void statusInChineseStaysOneSegment() {
    for (int i = 2; i <= 7; i++) {
      Msisdn to = Msisdn.of("+861380000000" + i);
      f.users.save(f.chat.enroll(to, Language.ZH).withDisplayName("非常非常长的名字第" + i + "位朋友"));
      mo(A, "@1380000000" + i + " 你好");
    }
    mo(A, "状态");
    String answer = lastTo(A);
    assertThat(answer).startsWith("最近发送：1 非常非常长的名字第7.. " + HH_MM.format(f.clock.instant()) + " 已发短信");
    assertThat(answer.length()).isLessThanOrEqualTo(70);
    assertThat(Segmenter.fitsOne(answer)).isTrue();
    assertThat(answer).contains("；2 ");
  }

  @Test
  @DisplayName("issue 16: STATUS with nothing sent says so; a group message is counted")
  void statusWithNothingSentAndForAGroup() {
    mo(A, "status");
    assertThat(lastTo(A)).isEqualTo("You have not sent any message lately.");
    f.groups.create(new Group(GroupId.of("family"), "Family", Set.of(A, B, Msisdn.of("+8613800000003"))));
    mo(A, "@family dinner at 8");
    mo(A, "状态");
    assertThat(lastTo(A)).isEqualTo("最近发送：1 Family " + HH_MM.format(f.clock.instant()) + " 送达0/2");
  }
}
