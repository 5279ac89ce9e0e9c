package chatgate.core.sms;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.port.SmsInbound.MobileOriginated;
import chatgate.core.sms.SmsCommand.Usage;
import chatgate.core.testing.CoreFixture;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 18 (ADR 0048): a phone's own time zone by SMS, TZ / 时区, in English and Chinese. */
class TimeZoneCommandsTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  static final Msisdn B = Msisdn.of("+8613800000002");
  private final SmsCommandParser p = new SmsCommandParser();
  final CoreFixture f = new CoreFixture().started();
  int seq;

  @AfterEach
  void close() {
    f.close();
  }

  private String answer(Msisdn from, String text) {
    f.mo.onMobileOriginated(new MobileOriginated("tz" + (++seq), from, "10658", text, f.clock.instant(), Optional.empty()));
    f.settle();
    var s = f.sms.sentTo(from);
    return s.isEmpty() ? "" : s.getLast().text();
  }

  @Test
  void parsedInBothLanguages() {
    assertThat(p.parse("TZ +8")).isEqualTo(new SmsCommand.SetTimeZone("+8"));
    assertThat(p.parse("tz Asia/Shanghai")).isEqualTo(new SmsCommand.SetTimeZone("Asia/Shanghai"));
    assertThat(p.parse("timezone -5")).isEqualTo(new SmsCommand.SetTimeZone("-5"));
    assertThat(p.parse("时区 +8")).isEqualTo(new SmsCommand.SetTimeZone("+8"));
    assertThat(p.parse("时区：+8")).isEqualTo(new SmsCommand.SetTimeZone("+8"));
    assertThat(p.parse("时区+8")).isEqualTo(new SmsCommand.SetTimeZone("+8"));
    assertThat(p.parse("ＴＺ ＋８")).isEqualTo(new SmsCommand.SetTimeZone("+8"));
    assertThat(p.parse("时区 默认")).isEqualTo(new SmsCommand.SetTimeZone("默认"));
    assertThat(p.parse("TZ")).isEqualTo(new SmsCommand.Malformed(Usage.TIME_ZONE));
    assertThat(p.parse("时区?")).isEqualTo(new SmsCommand.Malformed(Usage.TIME_ZONE));
    // Everyday text stays chat.
    assertThat(p.parse("tz is wrong here")).isInstanceOf(SmsCommand.SendToLast.class);
    assertThat(p.parse("时区不一样")).isInstanceOf(SmsCommand.SendToLast.class);
  }

  @Test
  @DisplayName("TZ sets the zone, answered in the language it was written in; a word that is no zone gets the usage")
  void setByTheUser() {
    assertThat(answer(A, "TZ +8")).isEqualTo("Times are now shown in UTC+8.");
    assertThat(f.chat.contacts().timeZone(A)).contains(ZoneOffset.ofHours(8));
    assertThat(answer(A, "时区 Asia/Shanghai")).isEqualTo("时间将按Asia/Shanghai显示。");
    assertThat(f.chat.contacts().timeZone(A)).contains(ZoneId.of("Asia/Shanghai"));
    assertThat(answer(A, "tz mars")).startsWith("Send TZ and your hours from UTC");
    assertThat(answer(A, "时区")).startsWith("请发送：时区");
    assertThat(f.chat.contacts().timeZone(A)).contains(ZoneId.of("Asia/Shanghai"));
    assertThat(answer(A, "时区 默认")).isEqualTo("时间已恢复按默认时区显示。");
    assertThat(f.chat.contacts().timeZone(A)).isEmpty();
    assertThat(answer(A, "HELP 2")).contains("TZ +8");
  }

  @Test
  @DisplayName("STATUS shows times in the phone's own zone")
  void statusInTheOwnZone() {
    f.chat.send(A, B, "hello", Origin.SMS, "mo:x1");
    f.settle();
    answer(A, "TZ +0");
    String utc = answer(A, "STATUS");
    answer(A, "TZ +5:30");
    String india = answer(A, "STATUS");
    java.time.LocalTime t = java.time.LocalTime.ofInstant(f.clock.instant(), ZoneOffset.UTC);
    String hm = String.format("%02d:%02d", t.getHour(), t.getMinute());
    String hmIndia = java.time.format.DateTimeFormatter.ofPattern("HH:mm")
        .format(t.plus(Duration.ofMinutes(330)));
    assertThat(utc).contains(hm);
    assertThat(india).contains(hmIndia);
  }
}
