package chatgate.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatgate.core.auth.Keys.Purpose;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.testing.CoreFixture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The key file's derived keys (ADR 0013), and what they keep out of the store (issue 15). */
class KeysTest {
  static final Msisdn A = Msisdn.of("+8613800000001");

  @Test
  void eachPurposeDerivesItsOwnKey() {
    Keys k = Keys.random();
    assertThat(k.macHex(Purpose.CSRF, "x", 16)).isNotEqualTo(k.macHex(Purpose.LOGIN_CODE, "x", 16));
    assertThat(k.macHex(Purpose.MO_REF, "x", 16)).isEqualTo(k.macHex(Purpose.MO_REF, "x", 16));
    assertThat(Keys.random().macHex(Purpose.MO_REF, "x", 16)).isNotEqualTo(k.macHex(Purpose.MO_REF, "x", 16));
  }

  @Test
  void theSameKeyFileGivesTheSameDerivedValues() {
    byte[] master = Keys.newKey();
    assertThat(Keys.of(master).macBase62(Purpose.REPLY_LINK, "reply|42", 12))
        .isEqualTo(Keys.of(master).macBase62(Purpose.REPLY_LINK, "reply|42", 12))
        .matches("[0-9A-Za-z]{12}");
    assertThat(Keys.of(master).checkValue()).isEqualTo(Keys.of(master).checkValue())
        .isNotEqualTo(Keys.random().checkValue());
  }

  @Test
  void aSealedTextOpensOnlyUnderItsKey() {
    Keys k = Keys.random();
    String sealed = k.seal("验证码 123456");
    assertThat(sealed).startsWith("gcm1:").doesNotContain("123456");
    assertThat(k.seal("验证码 123456")).isNotEqualTo(sealed);
    assertThat(k.open(sealed)).isEqualTo("验证码 123456");
    assertThat(k.openIfSealed("plain")).isEqualTo("plain");
    assertThatThrownBy(() -> Keys.random().open(sealed)).isInstanceOf(IllegalStateException.class);
    String altered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
    assertThatThrownBy(() -> k.open(altered)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aLoginCodeWaitingToBeSentIsNotReadableInTheStore() {
    CoreFixture f = new CoreFixture(); // not started: the code SMS stays queued
    try {
      f.login.requestCode("13800000001", "10.0.0.1", Language.EN);
      var queued = f.store.inState(DeliveryState.PENDING, 10);
      assertThat(queued).hasSize(1);
      String stored = queued.get(0).message().body();
      assertThat(stored).startsWith("gcm1:").doesNotContainPattern("\\d{6}");

      f.started();
      String text = f.sms.sentTo(A).get(0).text();
      Matcher code = Pattern.compile("(\\d{6})").matcher(text);
      assertThat(code.find()).isTrue();
      assertThat(f.login.verify("13800000001", code.group(1), "10.0.0.1"))
          .isInstanceOf(LoginService.Verification.Ok.class);
    } finally {
      f.close();
    }
  }
}
