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

  /** Issue 15, High: 30 addresses made the gateway send 300 code SMS in 1.3 s. */
  @Test
  void smsPumpingFromManyAddressesIsCappedByTheGlobalVelocity() {
    int sent = 0;
    for (int a = 0; a < 30; a++) {
      for (int n = 0; n < 10; n++) {
        // Every number in a block of its own, so only the gateway-wide limit can stop them.
        String number = String.format("+86138%05d000", a * 10 + n);
        if (f.login.requestCode(number, "10.7." + a + ".1", Language.EN) instanceof LoginService.CodeRequest.Sent) {
          sent++;
        }
      }
    }
    f.settle();
    assertThat(sent).isEqualTo(30); // [login] codes_per_minute, default
    assertThat(f.sms.sent()).hasSize(30);
  }

  /** Issue 15, High: codes went to +882, +44 70 and +234 numbers too. */
  @Test
  void codesGoOnlyToAllowedDestinationsAndMobileNumbers() {
    for (String n : new String[] {"+882160000001", "+447000123456", "+2348031234567", "+8610 6552 9988",
        "+86 400 810 8888"}) {
      assertThat(f.login.requestCode(n, "10.0.0.1", Language.EN)).as(n)
          .isNotInstanceOf(LoginService.CodeRequest.Sent.class);
    }
    f.settle();
    assertThat(f.sms.sent()).isEmpty();
    assertThat(f.login.requestCode("13800000001", "10.0.0.1", Language.EN)).isEqualTo(new LoginService.CodeRequest.Sent(A));
  }

  /** Issue 15, Low: check-then-act let 7–24 code guesses through per lock window instead of 5. */
  @Test
  void aRaceLetsNoMoreThanFiveCodeGuessesThroughPerLockWindow() throws Exception {
    java.util.concurrent.atomic.AtomicInteger evaluated = new java.util.concurrent.atomic.AtomicInteger();
    // Each store call takes a millisecond, as a database round trip does on the real server.
    chatgate.core.port.AuthStore slow = (chatgate.core.port.AuthStore) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {chatgate.core.port.AuthStore.class}, (proxy, method, args) -> {
          Thread.sleep(1);
          try {
            return method.invoke(f.auth, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    LoginService login = new LoginService(slow, f.chat, f.numbers, f.clock, AuthSettings.defaults(), f.keys);
    login.telemetry(new chatgate.core.port.Telemetry() {
      @Override
      public void loginFailure(String kind) {
        evaluated.incrementAndGet();
      }
    });
    login.requestCode("13800000001", "10.0.0.1", Language.EN);
    String code = codeSentTo(A);
    String wrong = code.equals("000000") ? "111111" : "000000";
    int threads = 48;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
      java.util.List<java.util.concurrent.Future<?>> all = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String address = "10.3." + i + ".1";
        all.add(pool.submit(() -> {
          start.await();
          return login.verify("13800000001", wrong, address);
        }));
      }
      for (var fu : all) {
        fu.get();
      }
    }
    assertThat(evaluated.get()).isLessThanOrEqualTo(AuthSettings.defaults().maxFailuresPerNumber());
  }

  @Test
  void codesToOneNumberBlockAreCappedPerHour() {
    int sent = 0;
    for (int n = 0; n < 30; n++) {
      String number = String.format("+8613812345%03d", n);
      if (f.login.requestCode(number, "10.9." + n + ".1", Language.EN) instanceof LoginService.CodeRequest.Sent) {
        sent++;
      }
      f.clock.advance(Duration.ofSeconds(61)); // never the per-minute limit
    }
    assertThat(sent).isEqualTo(AuthSettings.defaults().codesPerBlockPerHour());
    assertThat(chatgate.core.limits.LoginLimits.block(Msisdn.of("+8613812345678"))).isEqualTo("+8613812345");
  }

  @Test
  void theDailyBudgetOfCodesHoldsWhateverTheRate() {
    AuthSettings tight = AuthSettings.defaults().withCodeBudget(1000, 1000, 20);
    LoginService login = new LoginService(f.auth, f.chat, f.numbers, f.clock, tight, f.keys);
    int sent = 0;
    for (int n = 0; n < 60; n++) {
      String number = String.format("+86139%05d000", n);
      if (login.requestCode(number, "10.10." + n + ".1", Language.EN) instanceof LoginService.CodeRequest.Sent) {
        sent++;
      }
    }
    assertThat(sent).isEqualTo(20);
    // The budget is per UTC day: at 10:00 the next one is 14 h away.
    assertThat(login.requestCode("+8613912345000", "10.11.0.1", Language.EN))
        .isEqualTo(new LoginService.CodeRequest.Busy(Duration.ofHours(14)));
    f.clock.advance(Duration.ofHours(14));
    assertThat(login.requestCode("+8613912345000", "10.11.0.1", Language.EN))
        .isInstanceOf(LoginService.CodeRequest.Sent.class);
  }

  @Test
  void aLimitTripIsCountedEachTime() {
    java.util.List<String> trips = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.login.telemetry(new chatgate.core.port.Telemetry() {
      @Override
      public void limitTripped(String limit) {
        trips.add(limit);
      }
    });
    f.login.requestCode("+882160000001", "10.0.0.1", Language.EN);
    for (int i = 0; i < 5; i++) {
      f.login.requestCode("13800000001", "10.0.0.1", Language.EN);
    }
    assertThat(trips).containsExactly("login_destination", "login_code_number", "login_code_number");
  }
}
