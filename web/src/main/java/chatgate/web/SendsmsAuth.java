package chatgate.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use {@code /cgi-bin/sendsms} (issue 15): the user name and password of a
 * {@code [[sendsms_users]]} entry, compared in constant time; from an address of its
 * {@code allow_ip} (any when empty); and not from an address that failed
 * {@link #FAILURES_PER_WINDOW} times in the last {@link #WINDOW}, which is refused without its
 * credentials being checked until the window ends. The address is the socket's (sendsms clients
 * are servers such as RapidPro, not browsers behind the operator's proxy).
 */
final class SendsmsAuth {
  private static final Logger log = LoggerFactory.getLogger(SendsmsAuth.class);
  static final int FAILURES_PER_WINDOW = 10;
  static final Duration WINDOW = Duration.ofMinutes(1);
  private static final int MAX_ADDRESSES = 10_000;

  /** What a request's credentials and address come to. */
  sealed interface Outcome {
    record Allowed(SendsmsHandler.User user) implements Outcome {}

    /** Unknown user, wrong password, or an address the user may not send from: Kannel's 403. */
    record Refused() implements Outcome {}

    /** Too many failures from this address: refused unheard for this much longer. */
    record Throttled(Duration retryAfter) implements Outcome {}
  }

  private record Account(SendsmsHandler.User user, byte[] name, byte[] password, List<Cidr> allowIp) {}

  private final List<Account> accounts;
  private final FailureThrottle throttle;

  SendsmsAuth(List<SendsmsHandler.User> users, Clock clock) {
    this.accounts = users.stream().map(u -> new Account(u, u.username().getBytes(StandardCharsets.UTF_8),
        u.password().getBytes(StandardCharsets.UTF_8), u.allowIp().stream().map(Cidr::parse).toList())).toList();
    this.throttle = new FailureThrottle(FAILURES_PER_WINDOW, WINDOW, clock, MAX_ADDRESSES);
  }

  /** If this address is refused for its failures now: for how much longer. */
  Optional<Duration> blocked(String address) {
    return throttle.blocked(address);
  }

  Outcome check(String address, String username, String password) {
    Optional<Duration> blocked = throttle.blocked(address);
    if (blocked.isPresent()) {
      return new Outcome.Throttled(blocked.get());
    }
    byte[] u = username.getBytes(StandardCharsets.UTF_8);
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    Account found = null;
    for (Account a : accounts) {
      // Every entry compared in full, so the answer's timing tells nothing of names or passwords.
      boolean match = MessageDigest.isEqual(u, a.name()) & MessageDigest.isEqual(pw, a.password());
      if (match && a.name().length > 0 && found == null) {
        found = a;
      }
    }
    if (found != null && (found.allowIp().isEmpty() || found.allowIp().stream().anyMatch(c -> c.contains(address)))) {
      return new Outcome.Allowed(found.user());
    }
    if (found != null) {
      log.info("sendsms user '{}' is not allowed from {} (allow_ip)", found.user().username(), address);
    }
    if (throttle.failed(address)) {
      log.warn("sendsms: {} failed logins from {} within {} s: refusing it for the rest of the window",
          FAILURES_PER_WINDOW, FailureThrottle.key(address), WINDOW.toSeconds());
    }
    return new Outcome.Refused();
  }
}
