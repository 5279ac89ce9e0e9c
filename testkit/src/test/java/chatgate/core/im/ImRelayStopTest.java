package chatgate.core.im;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import chatgate.core.memory.MemoryAuthStore;
import chatgate.core.memory.MemoryGroupDirectory;
import chatgate.core.memory.MemoryImAccounts;
import chatgate.core.memory.MemoryUserDirectory;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.port.ImPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: a stopping gateway ends its IM sessions in parallel under one deadline, cutting the
 * ones whose server does not answer, instead of one logout after another.
 */
class ImRelayStopTest {
  static final int PHONES = 300;

  /** Sessions whose logout waits for a server answer: {@code answerMs}, or never (only abort ends it). */
  static final class SlowServer implements ImPort {
    final long answerMs;
    final int silentEvery;
    final AtomicInteger logins = new AtomicInteger();
    final AtomicInteger loggedOut = new AtomicInteger();
    final AtomicInteger aborted = new AtomicInteger();

    SlowServer(long answerMs, int silentEvery) {
      this.answerMs = answerMs;
      this.silentEvery = silentEvery;
    }

    @Override
    public CompletionStage<LoginResult> login(Credentials c, Events events, Duration timeout) {
      boolean silent = silentEvery > 0 && logins.incrementAndGet() % silentEvery == 0;
      String account = c.account() + "@im.test";
      CountDownLatch cut = new CountDownLatch(1);
      return CompletableFuture.completedFuture(new LoginResult.Ok(new ImSession() {
        @Override
        public String account() {
          return account;
        }

        @Override
        public List<Contact> contacts() {
          return List.of();
        }

        @Override
        public CompletionStage<SendResult> send(String to, String text, String id, Runnable beforeWire) {
          return CompletableFuture.completedFuture(new SendResult.Retry("test"));
        }

        @Override
        public void logout() {
          try {
            // The server's closing tag: after answerMs, or never from a silent server.
            if (!cut.await(silent ? Long.MAX_VALUE : answerMs, TimeUnit.MILLISECONDS)) {
              loggedOut.incrementAndGet();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }

        @Override
        public void abort() {
          aborted.incrementAndGet();
          cut.countDown();
        }
      }));
    }

    @Override
    public String defaultDomain() {
      return "im.test";
    }
  }

  static ImRelay relayOn(ImPort im, MemoryImAccounts records) {
    ImRelay relay = new ImRelay(im, records, new MemoryAuthStore(), new MemoryUserDirectory(new MemoryGroupDirectory()),
        (to, text, ref, solicited) -> {}, Clock.systemUTC(), ImRelay.Settings.defaults());
    for (int i = 0; i < PHONES; i++) {
      relay.login(phone(i), Language.EN, "p" + i, "pw".toCharArray(), "login" + i);
    }
    assertThat(relay.sessions()).isEqualTo(PHONES);
    return relay;
  }

  static Msisdn phone(int n) {
    return Msisdn.of("+86139" + String.format("%08d", n));
  }

  @Test
  @DisplayName("stopping with 300 sessions whose server takes 1 s each to close its stream takes about 1 s, not 300 s")
  void logoutsRunInParallel() {
    SlowServer server = new SlowServer(1000, 0);
    ImRelay relay = relayOn(server, new MemoryImAccounts());
    long t0 = System.nanoTime();
    assertTimeoutPreemptively(Duration.ofSeconds(8), () -> relay.close());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(server.loggedOut.get()).isEqualTo(PHONES);
    assertThat(server.aborted.get()).isZero();
  }

  @Test
  @DisplayName("sessions whose server never answers the logout are cut at the one deadline; the phones are told after the restart")
  void silentServerIsCutAtTheDeadline() {
    SlowServer server = new SlowServer(50, 3);
    MemoryImAccounts records = new MemoryImAccounts();
    ImRelay relay = relayOn(server, records);
    long t0 = System.nanoTime();
    int cut = assertTimeoutPreemptively(Duration.ofSeconds(8),
        () -> relay.close(Instant.now().plusMillis(1500)));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(4));
    assertThat(cut).isEqualTo(PHONES / 3);
    assertThat(server.aborted.get()).isEqualTo(PHONES / 3);
    assertThat(server.loggedOut.get()).isEqualTo(PHONES - PHONES / 3);
    // The login records stay: the next start tells each phone once to log in again (ADR 0032).
    assertThat(records.logins()).hasSize(PHONES);
  }
}
