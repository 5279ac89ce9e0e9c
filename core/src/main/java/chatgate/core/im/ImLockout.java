package chatgate.core.im;

import chatgate.core.model.Msisdn;
import chatgate.core.port.AuthStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Limits on guessing IM passwords by SMS (issue 15). Wrong passwords lock the phone that sent
 * them out of that account ({@code maxFailures} per {@code lockWindow}) and, three times that,
 * out of every account; they never lock the account's owner out. Guessing one account from many
 * phones is stopped by a looser limit on the account ({@code accountMaxFailures} per
 * {@code accountWindow}) that spares the phones which logged in to it successfully before.
 */
final class ImLockout {
  /** How long a successful login makes a phone the account's own for the account-wide limit. */
  static final Duration KNOWN_FOR = Duration.ofDays(30);
  /** Wrong passwords from one phone over all accounts, as a multiple of the per-account limit. */
  static final int PHONE_FACTOR = 3;

  private final AuthStore failures;
  private final ImRelay.Settings settings;

  ImLockout(AuthStore failures, ImRelay.Settings settings) {
    this.failures = failures;
    this.settings = settings;
  }

  /** How long the phone must wait before trying this account again, or empty if it may try now. */
  Optional<Duration> locked(Msisdn phone, String account, Instant now) {
    Duration w = settings.lockWindow();
    if (failures.failures(pair(phone, account), now, w) >= settings.maxFailures()
        || failures.failures(phone(phone), now, w) >= PHONE_FACTOR * settings.maxFailures()) {
      return Optional.of(w);
    }
    if (failures.failures(account(account), now, settings.accountWindow()) >= settings.accountMaxFailures()
        && failures.failures(known(phone, account), now, KNOWN_FOR) == 0) {
      return Optional.of(settings.accountWindow());
    }
    return Optional.empty();
  }

  void failed(Msisdn phone, String account, Instant now) {
    failures.recordFailure(pair(phone, account), now, settings.lockWindow());
    failures.recordFailure(phone(phone), now, settings.lockWindow());
    failures.recordFailure(account(account), now, settings.accountWindow());
  }

  /** The phone is the account's from now on (for {@link #KNOWN_FOR}); its own failures are forgiven. */
  void succeeded(Msisdn phone, String account, Instant now) {
    failures.clearFailures(pair(phone, account));
    failures.clearFailures(phone(phone));
    // One row, renewed: the failure table is where lockout facts live, and it expires them itself.
    failures.clearFailures(known(phone, account));
    failures.recordFailure(known(phone, account), now, KNOWN_FOR);
  }

  private static String pair(Msisdn phone, String account) {
    return "imacct:" + account + "|" + phone.e164();
  }

  private static String phone(Msisdn phone) {
    return "im:" + phone.e164();
  }

  private static String account(String account) {
    return "imacct:" + account;
  }

  private static String known(Msisdn phone, String account) {
    return "imknown:" + account + "|" + phone.e164();
  }
}
