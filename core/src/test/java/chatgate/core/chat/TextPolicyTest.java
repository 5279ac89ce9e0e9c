package chatgate.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.chat.SendResult.Problem;
import chatgate.core.chat.SendResult.Rejected;
import org.junit.jupiter.api.Test;

/** The one check both a send and a phone's text to IM go through. */
class TextPolicyTest {
  @Test
  void aTextThatMaySendIsCleanedAndNotRefused() {
    TextPolicy.Checked c = TextPolicy.check(" hi\r\nthere\t", 10);
    assertThat(c.refused()).isEmpty();
    assertThat(c.body()).isEqualTo("hi\nthere");
  }

  @Test
  void eachRefusalNamesItsProblem() {
    assertThat(problem(TextPolicy.check("  ", 10))).isEqualTo(Problem.EMPTY);
    assertThat(problem(TextPolicy.check(null, 10))).isEqualTo(Problem.EMPTY);
    assertThat(problem(TextPolicy.check("bad \uD800", 10))).isEqualTo(Problem.BAD_TEXT);
    Rejected tooLong = TextPolicy.check("家".repeat(11), 10).refused().orElseThrow();
    assertThat(tooLong.problem()).isEqualTo(Problem.TOO_LONG);
    assertThat(tooLong.detail()).isEqualTo("10");
    assertThat(TextPolicy.check("😀".repeat(10), 10).refused()).as("counted in code points").isEmpty();
  }

  private static Problem problem(TextPolicy.Checked c) {
    return c.refused().orElseThrow().problem();
  }
}
