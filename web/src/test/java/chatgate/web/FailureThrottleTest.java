package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The per-address failure window behind sendsms's throttle (issue 15). */
class FailureThrottleTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final FailureThrottle throttle = new FailureThrottle(10, Duration.ofMinutes(1), clock, 100);

  @Test
  @DisplayName("the 10th failure within a minute blocks the address until the window ends, then it is heard again")
  void blocksForTheRestOfTheWindow() {
    for (int i = 1; i <= 9; i++) {
      assertThat(throttle.failed("192.0.2.1")).isFalse();
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(throttle.blocked("192.0.2.1")).isEmpty();
    assertThat(throttle.failed("192.0.2.1")).as("the one that trips it").isTrue();
    assertThat(throttle.blocked("192.0.2.1")).hasValue(Duration.ofSeconds(51));
    assertThat(throttle.blocked("192.0.2.2")).isEmpty();
    clock.advance(Duration.ofSeconds(51));
    assertThat(throttle.blocked("192.0.2.1")).isEmpty();
    assertThat(throttle.failed("192.0.2.1")).isFalse();
  }

  @Test
  @DisplayName("failures spread over more than a minute never block")
  void slowFailuresNeverBlock() {
    for (int i = 0; i < 30; i++) {
      throttle.failed("192.0.2.1");
      clock.advance(Duration.ofSeconds(7));
      assertThat(throttle.blocked("192.0.2.1")).isEmpty();
    }
  }

  @Test
  @DisplayName("IPv6 addresses count by their /64; IPv4-mapped ones as IPv4")
  void ipv6CountsBySlash64() {
    for (int i = 0; i < 10; i++) {
      throttle.failed("2001:db8:1:2::" + Integer.toHexString(i + 1));
    }
    assertThat(throttle.blocked("[2001:db8:1:2:ffff::9]")).isPresent();
    assertThat(throttle.blocked("2001:db8:1:3::1")).isEmpty();
    assertThat(FailureThrottle.key("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
  }

  @Test
  @DisplayName("at most maxAddresses are remembered: ended windows go first")
  void boundedMemory() {
    for (int i = 0; i < 100; i++) {
      throttle.failed("198.51.100." + i);
    }
    for (int i = 0; i < 10; i++) {
      throttle.failed("192.0.2.1"); // evicts the oldest to make room, then stays blocked
    }
    assertThat(throttle.blocked("192.0.2.1")).isPresent();
    clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 10; i++) {
      throttle.failed("203.0.113.1");
    }
    assertThat(throttle.blocked("203.0.113.1")).isPresent();
  }
}
