package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (NUL/ESC/BEL passed through): on the chat page, unlike sendsms, control characters are
 * dropped by TextPolicy before the text is stored or sent, so the SMS carries none of them.
 */
class ChatTextControlsTest {
  final WebFixture web = new WebFixture();

  @AfterEach
  void close() {
    web.close();
  }

  @Test
  @DisplayName("issue 15: NUL, ESC, BEL, DEL and C1 controls typed on the chat page never reach the SMS")
  void controlCharactersFromTheChatPageNeverReachTheSms() throws Exception {
    WebFixture.Phone a = web.phone("+8613800000001").login();
    assertThat(a.send("+8613800000002", "a\u0000b\u001b[2J\u0007c\u007fd\u0085e").statusCode()).isEqualTo(302);
    var sent = web.core.sms.sentTo(Msisdn.of("+8613800000002"));
    assertThat(sent).isNotEmpty();
    String text = sent.get(sent.size() - 1).text();
    assertThat(text).contains("ab[2Jcde");
    assertThat(text.chars().filter(c -> (c < 0x20 && c != '\n') || (c >= 0x7F && c < 0xA0)).count()).isZero();
  }
}
