package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.port.AuthStore;
import chatgate.core.port.AuthStore.LoginCode;
import chatgate.core.port.AuthStore.WebSession;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link AuthStore} does. */
public interface AuthStoreContract {
  AuthStore auth();

  Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  Msisdn A = Msisdn.of("+8613800000001");

  @Test
  default void sessionsAreSavedTouchedAndDeleted() {
    auth().saveSession(new WebSession("h1", A, NOW, NOW, NOW.plusSeconds(60)));
    assertThat(auth().session("h1")).hasValueSatisfying(s -> {
      assertThat(s.msisdn()).isEqualTo(A);
      assertThat(s.expiresAt()).isEqualTo(NOW.plusSeconds(60));
    });
    auth().touchSession("h1", NOW.plusSeconds(30), NOW.plusSeconds(90));
    assertThat(auth().session("h1").orElseThrow().lastSeenAt()).isEqualTo(NOW.plusSeconds(30));
    assertThat(auth().session("h1").orElseThrow().expiresAt()).isEqualTo(NOW.plusSeconds(90));
    auth().deleteSession("h1");
    assertThat(auth().session("h1")).isEmpty();
    assertThat(auth().session("unknown")).isEmpty();
  }

  @Test
  default void sessionsAreTrimmedToTheNewestAndEndedByPhone() {
    Msisdn b = Msisdn.of("+8613800000002");
    for (int i = 0; i < 5; i++) {
      auth().saveSession(new WebSession("a" + i, A, NOW.plusSeconds(i), NOW, NOW.plusSeconds(600)));
    }
    auth().saveSession(new WebSession("b0", b, NOW, NOW, NOW.plusSeconds(600)));
    assertThat(auth().trimSessions(A, 3)).isEqualTo(2);
    assertThat(auth().session("a0")).isEmpty();
    assertThat(auth().session("a1")).isEmpty();
    assertThat(auth().session("a2")).isPresent();
    assertThat(auth().session("a4")).isPresent();
    assertThat(auth().trimSessions(A, 3)).isZero();
    assertThat(auth().deleteSessions(A)).isEqualTo(3);
    assertThat(auth().session("a4")).isEmpty();
    assertThat(auth().session("b0")).as("another phone's session stays").isPresent();
  }

  @Test
  default void sweepDeletesExpiredSessionsCodesAndOldFailures() {
    Duration w = Duration.ofMinutes(15);
    Msisdn b = Msisdn.of("+8613800000002");
    auth().saveSession(new WebSession("old", A, NOW, NOW, NOW.plusSeconds(60)));
    auth().saveSession(new WebSession("live", A, NOW, NOW, NOW.plusSeconds(600)));
    auth().saveLoginCode(new LoginCode(A, "h", NOW.plusSeconds(60), 0));
    auth().saveLoginCode(new LoginCode(b, "h", NOW.plusSeconds(600), 0));
    auth().recordFailure("k", NOW, w);
    auth().recordFailure("k", NOW.plusSeconds(200), w);
    assertThat(auth().sweep(NOW.plusSeconds(120), NOW.plusSeconds(100))).isEqualTo(3);
    assertThat(auth().session("old")).isEmpty();
    assertThat(auth().session("live")).isPresent();
    assertThat(auth().loginCode(A)).isEmpty();
    assertThat(auth().loginCode(b)).isPresent();
    assertThat(auth().failures("k", NOW.plusSeconds(300), w)).isEqualTo(1);
  }

  @Test
  default void aNewCodeReplacesTheOld() {
    auth().saveLoginCode(new LoginCode(A, "hash1", NOW.plusSeconds(300), 0));
    auth().saveLoginCode(new LoginCode(A, "hash2", NOW.plusSeconds(600), 1));
    LoginCode c = auth().loginCode(A).orElseThrow();
    assertThat(c.codeHash()).isEqualTo("hash2");
    assertThat(c.failures()).isEqualTo(1);
    assertThat(c.expiresAt()).isEqualTo(NOW.plusSeconds(600));
    auth().deleteLoginCode(A);
    assertThat(auth().loginCode(A)).isEmpty();
  }

  @Test
  default void failuresCountWithinTheWindowOnly() {
    Duration w = Duration.ofMinutes(15);
    assertThat(auth().recordFailure("k", NOW, w)).isEqualTo(1);
    assertThat(auth().recordFailure("k", NOW.plusSeconds(60), w)).isEqualTo(2);
    assertThat(auth().failures("k", NOW.plusSeconds(120), w)).isEqualTo(2);
    assertThat(auth().failures("k", NOW.plus(w).plusSeconds(30), w)).isEqualTo(1);
    assertThat(auth().failures("other", NOW, w)).isZero();
    auth().clearFailures("k");
    assertThat(auth().failures("k", NOW.plusSeconds(120), w)).isZero();
  }

  @Test
  default void aSecretIsMadeOnceAndKept() {
    String s1 = auth().secret("csrf", () -> "first");
    String s2 = auth().secret("csrf", () -> "second");
    assertThat(s1).isEqualTo("first");
    assertThat(s2).isEqualTo("first");
  }

  @Test
  default void aLimitIsTakenUpToItsMaxWithinTheWindowOnly() {
    AuthStore.Limit l = new AuthStore.Limit("codes:min", 3, Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) {
      assertThat(auth().take(NOW.plusSeconds(i), java.util.List.of(l))).isEmpty();
    }
    assertThat(auth().take(NOW.plusSeconds(10), java.util.List.of(l))).contains(l);
    assertThat(auth().used(NOW.plusSeconds(10), l)).isEqualTo(3);
    // The next window (aligned to the minute) starts again.
    assertThat(auth().used(NOW.plusSeconds(60), l)).isZero();
    assertThat(auth().take(NOW.plusSeconds(60), java.util.List.of(l))).isEmpty();
    assertThat(auth().used(NOW.plusSeconds(61), l)).isEqualTo(1);
    // A node whose clock lags counts in the window the row already holds.
    assertThat(auth().take(NOW.plusSeconds(59), java.util.List.of(l))).isEmpty();
    assertThat(auth().used(NOW.plusSeconds(61), l)).isEqualTo(2);
    auth().giveBack(NOW.plusSeconds(62), l);
    assertThat(auth().used(NOW.plusSeconds(62), l)).isEqualTo(1);
    auth().clearLimit("codes:min");
    assertThat(auth().used(NOW.plusSeconds(62), l)).isZero();
    assertThat(auth().take(NOW, java.util.List.of(new AuthStore.Limit("none", 0, Duration.ofMinutes(1)))))
        .isPresent();
  }

  @Test
  default void severalLimitsAreTakenAllOrNothing() {
    AuthStore.Limit wide = new AuthStore.Limit("global", 10, Duration.ofHours(1));
    AuthStore.Limit narrow = new AuthStore.Limit("block:+86138000", 1, Duration.ofHours(1));
    assertThat(auth().take(NOW, java.util.List.of(wide, narrow))).isEmpty();
    assertThat(auth().take(NOW, java.util.List.of(wide, narrow))).contains(narrow);
    assertThat(auth().used(NOW, wide)).isEqualTo(1); // the refused call took nothing
    assertThat(auth().used(NOW, narrow)).isEqualTo(1);
  }

  @Test
  default void expiredCountersAreSwept() {
    AuthStore.Limit l = new AuthStore.Limit("k", 5, Duration.ofMinutes(1));
    auth().take(NOW, java.util.List.of(l));
    assertThat(auth().sweepLimits(NOW.plusSeconds(30))).isZero();
    assertThat(auth().sweepLimits(NOW.plusSeconds(60))).isEqualTo(1);
    assertThat(auth().used(NOW, l)).isZero();
  }

  /** The store half of issue 15's guess race: concurrent takes never pass the limit. */
  @Test
  default void concurrentTakesNeverPassTheLimit() throws Exception {
    AuthStore.Limit l = new AuthStore.Limit("guess:+8613800000001", 5, Duration.ofMinutes(15));
    AuthStore.Limit global = new AuthStore.Limit("guess:all", 1000, Duration.ofMinutes(15));
    int threads = 32;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
      java.util.List<java.util.concurrent.Future<?>> all = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        all.add(pool.submit(() -> {
          start.await();
          if (auth().take(NOW, java.util.List.of(global, l)).isEmpty()) {
            granted.incrementAndGet();
          }
          return null;
        }));
      }
      for (var f : all) {
        f.get();
      }
    }
    assertThat(granted.get()).isEqualTo(5);
    assertThat(auth().used(NOW, l)).isEqualTo(5);
    assertThat(auth().used(NOW, global)).isEqualTo(5);
  }
}
