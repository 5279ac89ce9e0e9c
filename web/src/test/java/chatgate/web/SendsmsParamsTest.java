package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How sendsms parameters are read from a query and a form (KannelParityIT compares the rest with Kannel). */
class SendsmsParamsTest {
  static String value(Map<String, byte[]> m, String name) {
    return new String(m.get(name), StandardCharsets.UTF_8);
  }

  @Test
  void inAQueryTheFirstValueOfANameWinsAsWithKannel() {
    Map<String, byte[]> m = new HashMap<>();
    SendsmsParams.parse("text=first&to=%2B86&text=second", m, false);
    assertThat(value(m, "text")).isEqualTo("first");
    assertThat(value(m, "to")).isEqualTo("+86");
  }

  @Test
  void aFormBodyOverridesTheQueryAndItsOwnFirstValueWins() {
    Map<String, byte[]> m = new HashMap<>();
    SendsmsParams.parse("text=query&to=1", m, false);
    SendsmsParams.parse("text=body&text=again", m, true);
    assertThat(value(m, "text")).isEqualTo("body");
    assertThat(value(m, "to")).isEqualTo("1");
  }

  @Test
  void octetsAreKeptAsSentForTheCharsetToDecode() {
    Map<String, byte[]> m = new HashMap<>();
    SendsmsParams.parse("text=%4F%60+%FF%&x", m, false);
    assertThat(m.get("text")).containsExactly(0x4F, 0x60, ' ', 0xFF, '%');
    assertThat(m.get("x")).isEmpty();
  }
}
