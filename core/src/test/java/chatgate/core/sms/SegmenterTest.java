package chatgate.core.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SegmenterTest {
  @Test
  void gsmLimitsAre160And153() {
    assertThat(Segmenter.split("a".repeat(160))).hasSize(1);
    List<String> parts = Segmenter.split("a".repeat(161));
    assertThat(parts).extracting(String::length).containsExactly(153, 8);
  }

  @Test
  void extensionCharactersCostTwoAndAreNeverSplit() {
    assertThat(Gsm7.septets("€")).isEqualTo(2);
    assertThat(Segmenter.split("€".repeat(80))).hasSize(1);
    List<String> parts = Segmenter.split("a" + "€".repeat(80));
    // 153 septets: "a" + 76 euros = 153; the rest in part two
    assertThat(parts.get(0)).isEqualTo("a" + "€".repeat(76));
    assertThat(String.join("", parts)).isEqualTo("a" + "€".repeat(80));
  }

  @Test
  void ucs2LimitsAre70And67AndSurrogatePairsStayWhole() {
    assertThat(SmsEncoding.of("你好")).isEqualTo(SmsEncoding.UCS2);
    assertThat(Segmenter.split("好".repeat(70))).hasSize(1);
    assertThat(Segmenter.split("好".repeat(71))).extracting(String::length).containsExactly(67, 4);
    String emoji = "好".repeat(66) + "😀" + "好".repeat(5);
    List<String> parts = Segmenter.split(emoji);
    assertThat(parts.get(0)).isEqualTo("好".repeat(66));
    assertThat(parts.get(1)).isEqualTo("😀" + "好".repeat(5));
  }

  @Property
  void partsJoinBackAndEachFits(@ForAll String text) {
    List<String> parts = Segmenter.split(text);
    assertThat(String.join("", parts)).isEqualTo(text);
    SmsEncoding enc = SmsEncoding.of(text);
    int limit = parts.size() == 1 ? enc.single : enc.perPart;
    for (int i = 0; i < parts.size(); i++) {
      assertThat(Segmenter.units(parts.get(i), enc)).isLessThanOrEqualTo(limit);
      if (i > 0 && !parts.get(i).isEmpty() && !parts.get(i - 1).isEmpty()) {
        String prev = parts.get(i - 1);
        boolean splitPair = Character.isHighSurrogate(prev.charAt(prev.length() - 1))
            && Character.isLowSurrogate(parts.get(i).charAt(0));
        assertThat(splitPair).isFalse();
      }
    }
  }
}
