package chatgate.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.testing.CoreFixture;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoginServiceTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  final CoreFixture f = new CoreFixture().started();

  @AfterEach
  void close() {
    f.close();
  }

  private String codeSentTo(Msisdn m) {
    f.settle();
    var sent = f.sms.sentTo(m);
    Matcher x = Pattern.compile("(\\d{6})").matcher(sent.get(sent.size() - 1).text());
    assertThat(x.find()).isTrue();
    assertThat(sent.get(sent.size() - 1).secret()).isTrue();
    return x.group(1);
  }

  @Test
  @org.junit.jupiter.api.DisplayName("issue 15: a number that sent STOP gets no login code anyone asks for on the web")
  void stopIsHonouredForWebLoginCodes() {
    f.users.save(f.chat.enroll(A, Language.EN).withSmsStopped(true));
    assertThat(f.login.requestCode("13800000001", "10.0.0.1", Language.EN))
        .isEqualTo(new LoginService.CodeRequest.Stopped());
    f.settle();
    assertThat(f.sms.sentTo(A)).isEmpty();
    f.users.save(f.users.find(A).orElseThrow().withSmsStopped(false));
    assertThat(f.login.requestCode("13800000001", "10.0.0.1", Language.EN)).isEqualTo(new LoginService.CodeRequest.Sent(A));
  }

  @Test
  void aCodeBySmsOpensASession() {
    assertThat(f.login.requestCode("13800000001", "10.0.0.1", Language.ZH)).isEqualTo(new LoginService.CodeRequest.Sent(A));
    String code = codeSentTo(A);
    assertThat(f.sms.sentTo(A).get(0).text()).contains("验证码");
    LoginService.Verification v = f.login.verify("+8613800000001", code, "10.0.0.1");
    assertThat(v).isInstanceOf(LoginService.Verification.Ok.class);
    String token = ((LoginService.Verification.Ok) v).sessionToken();
    assertThat(f.login.session(token)).hasValueSatisfying(s -> assertThat(s.msisdn()).isEqualTo(A));
    assertThat(f.login.verify("+8613800000001", code, "10.0.0.1")).isInstanceOf(LoginService.Verification.Expired.class);
    f.login.logout(token);
    assertThat(f.login.session(token)).isEmpty();
  }

  @Test
  void anExpiredCodeIsRefused() {
    f.login.requestCode("13800000001", "10.0.0.1", Language.EN);
    String code = codeSentTo(A);
    f.clock.advance(Duration.ofMinutes(6));
    assertThat(f.login.verify("13800000001", code, "10.0.0.1")).isInstanceOf(LoginService.Verification.Expired.class);
  }

  @Test
  void guessingIsLockedOutPerNumber() {
    f.login.requestCode("13800000001", "10.0.0.1", Language.EN);
    String code = codeSentTo(A);
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 0; i < 4; i++) {
      assertThat(f.login.verify("13800000001", wrong, "10.0.0." + i)).isInstanceOf(LoginService.Verification.Wrong.class);
    }
    assertThat(f.login.verify("13800000001", wrong, "10.0.0.9")).isInstanceOf(LoginService.Verification.Locked.class);
    assertThat(f.login.verify("13800000001", code, "10.0.0.9")).isInstanceOf(LoginService.Verification.Locked.class);
    assertThat(f.login.requestCode("13800000001", "10.0.0.9", Language.EN)).isInstanceOf(LoginService.CodeRequest.Locked.class);
    f.clock.advance(Duration.ofMinutes(16));
    assertThat(f.login.requestCode("13800000001", "10.0.0.9", Language.EN)).isInstanceOf(LoginService.CodeRequest.Sent.class);
  }

  @Test
  void guessingIsLockedOutPerAddressAcrossNumbers() {
    for (int n = 0; n < 20; n++) {
      f.login.verify("+86138000001" + String.format("%02d", n), "000000", "10.9.9.9");
    }
    // No code outstanding counts nothing; request codes so that wrong guesses count.
    for (int n = 0; n < 7; n++) {
      String num = "+86138000002" + String.format("%02d", n);
      f.login.requestCode(num, "10.1.1." + n, Language.EN);
      for (int k = 0; k < 3; k++) {
        f.login.verify(num, "99999" + k, "10.9.9.9");
      }
    }
    f.login.requestCode("+8613800000300", "10.1.2.3", Language.EN);
    String code = codeSentTo(Msisdn.of("+8613800000300"));
    assertThat(f.login.verify("+8613800000300", code, "10.9.9.9")).isInstanceOf(LoginService.Verification.Locked.class);
    assertThat(f.login.verify("+8613800000300", code, "10.1.2.3")).isInstanceOf(LoginService.Verification.Ok.class);
  }

  @Test
  void codeRequestsAreCapped() {
    for (int i = 0; i < 3; i++) {
      assertThat(f.login.requestCode("13800000001", "10.0.0." + i, Language.EN)).isInstanceOf(LoginService.CodeRequest.Sent.class);
    }
    assertThat(f.login.requestCode("13800000001", "10.0.0.7", Language.EN)).isInstanceOf(LoginService.CodeRequest.Locked.class);
    assertThat(f.login.requestCode("not a number", "10.0.0.7", Language.EN)).isInstanceOf(LoginService.CodeRequest.BadNumber.class);
  }

  @Test
  void csrfTokensAreBoundToThePrincipal() {
    String t = f.login.csrf("session-1");
    assertThat(f.login.checkCsrf("session-1", t)).isTrue();
    assertThat(f.login.checkCsrf("session-2", t)).isFalse();
    assertThat(f.login.checkCsrf("session-1", null)).isFalse();
    assertThat(f.login.checkCsrf("session-1", t + "x")).isFalse();
  }
}
