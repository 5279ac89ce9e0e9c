package chatgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatgate.core.i18n.Texts;
import chatgate.core.sms.Segmenter;
import org.junit.jupiter.api.Test;

class TextsAndModelTest {
  @Test
  void everyFixedReplyFitsOneSmsInBothLanguages() {
    for (Texts.Sms key : Texts.Sms.values()) {
      if (key == Texts.Sms.CHAT || key == Texts.Sms.CHAT_GROUP) {
        continue;
      }
      for (Language l : Language.values()) {
        String text = Texts.sms(l, key, "123456", "1000", "x");
        assertThat(Segmenter.fitsOne(text)).as(key + " " + l + ": " + text).isTrue();
      }
    }
  }

  @Test
  void languageOfTextAndOfAcceptLanguage() {
    assertThat(Language.ofText("hello")).isEqualTo(Language.EN);
    assertThat(Language.ofText("hi 你好")).isEqualTo(Language.ZH);
    assertThat(Language.ofText("WHO？")).isEqualTo(Language.ZH);
    assertThat(Language.ofAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8")).isEqualTo(Language.ZH);
    assertThat(Language.ofAcceptLanguage("en-US,zh;q=0.5")).isEqualTo(Language.EN);
    assertThat(Language.ofAcceptLanguage("fr, zh;q=0.3")).isEqualTo(Language.ZH);
    assertThat(Language.ofAcceptLanguage("zh;q=0, en;q=bad")).isEqualTo(Language.EN);
    assertThat(Language.ofAcceptLanguage(null)).isEqualTo(Language.EN);
  }

  @Test
  void numberPlanNormalisesAndTellsGroupsApart() {
    NumberPlan p = new NumberPlan("CN");
    assertThat(p.parse("13800000001")).contains(Msisdn.of("+8613800000001"));
    assertThat(p.parse("008613800000001")).contains(Msisdn.of("+8613800000001"));
    assertThat(p.parse("+44 7700 900123")).contains(Msisdn.of("+447700900123"));
    assertThat(p.parse("12")).isEmpty();
    assertThat(p.parse("abc")).isEmpty();
    assertThat(p.target("family")).contains(GroupId.of("family"));
    assertThat(p.target("#Family")).contains(GroupId.of("family"));
    assertThat(p.target("家人")).isEmpty();
    assertThat(p.display(Msisdn.of("+8613800000001"))).isEqualTo("13800000001");
    assertThat(p.display(Msisdn.of("+447700900123"))).isEqualTo("+447700900123");
    assertThat(Msisdn.of("+8613800000001").masked()).isEqualTo("+*********0001");
    assertThatThrownBy(() -> Msisdn.of("8613800000001")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Msisdn.maskAll("im.8613800000001 lost; not an E.164 number: +86138000000012, code 123456"))
        .isEqualTo("im.*********0001 lost; not an E.164 number: +**********0012, code 123456");
    assertThatThrownBy(() -> new NumberPlan("XX")).isInstanceOf(IllegalArgumentException.class);
  }
}
