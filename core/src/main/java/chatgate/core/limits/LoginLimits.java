package chatgate.core.limits;

import chatgate.core.auth.AuthSettings;
import chatgate.core.model.Msisdn;
import chatgate.core.port.AuthStore;
import chatgate.core.port.AuthStore.Limit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The limits of the web login (ADR 0017), all counted in the store so that every node of a
 * cluster shares them, and each taken atomically before the thing it limits happens.
 *
 * <p>A code SMS takes one unit of five limits at once, or none: per client address and per
 * number (a person asking too often: "too many tries"), per number block, per minute and per
 * day for the whole gateway (a pumping run: "cannot send codes now", whichever tripped). A
 * code guess takes one unit per number and per address; a right guess ends its number's count.
 */
public final class LoginLimits {
  /** Why a request was refused: a person's own tries, or the gateway's budget for code SMS. */
  public enum Kind { LOCKED, BUSY }

  public record Refusal(Kind kind, Duration retryAfter) {}

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration DAY = Duration.ofDays(1);
  /** Digits of a number that vary within one block: pumping walks through such ranges. */
  private static final int BLOCK_DIGITS = 3;

  private final AuthStore store;
  private final AuthSettings settings;
  private final LimitTrips trips;

  public LoginLimits(AuthStore store, AuthSettings settings, LimitTrips trips) {
    this.store = store;
    this.settings = settings;
    this.trips = trips;
  }

  /** The block of a number: its E.164 form without the last three digits. */
  public static String block(Msisdn m) {
    String e = m.e164();
    return e.substring(0, Math.max(2, e.length() - BLOCK_DIGITS));
  }

  /** Takes the units of one code SMS to this number, asked for from this address, or refuses. */
  public Optional<Refusal> takeCode(Msisdn m, String address, Instant now) {
    Optional<Refusal> locked = guessLock(m, address, now);
    if (locked.isPresent()) {
      return locked;
    }
    Limit byAddress = new Limit("code-addr:" + address, settings.maxCodesPerAddress(), settings.lockWindow());
    Limit byNumber = new Limit("code-num:" + m.e164(), settings.maxCodesPerNumber(), settings.lockWindow());
    Limit byBlock = new Limit("code-block:" + block(m), settings.codesPerBlockPerHour(), HOUR);
    Limit perMinute = new Limit("codes:minute", settings.codesPerMinute(), MINUTE);
    Limit perDay = new Limit("codes:day", settings.dailyCodes(), DAY);
    Optional<Limit> refused = store.take(now, List.of(byAddress, byNumber, byBlock, perMinute, perDay));
    if (refused.isEmpty()) {
      return Optional.empty();
    }
    Limit l = refused.get();
    String name = l == byAddress ? "login_code_address" : l == byNumber ? "login_code_number"
        : l == byBlock ? "login_code_block" : l == perMinute ? "login_codes_per_minute" : "login_daily_codes";
    trips.trip(name, l.max(), l.window(), now, l == byAddress ? "codes asked from " + address
        : l == byBlock ? "codes to " + m.masked() + " (block)" : "codes to " + m.masked());
    Kind kind = l == byAddress || l == byNumber ? Kind.LOCKED : Kind.BUSY;
    return Optional.of(new Refusal(kind, retryAfter(l, now)));
  }

  /** A refusal when this number or address has used up its guesses in this window (a read). */
  public Optional<Refusal> guessLock(Msisdn m, String address, Instant now) {
    for (Limit l : guessLimits(m, address)) {
      if (store.used(now, l) >= l.max()) {
        return Optional.of(new Refusal(Kind.LOCKED, retryAfter(l, now)));
      }
    }
    return Optional.empty();
  }

  /** Takes one guess for this number from this address, or refuses: at most the limit, however many at once. */
  public Optional<Refusal> takeGuess(Msisdn m, String address, Instant now) {
    List<Limit> limits = guessLimits(m, address);
    Optional<Limit> refused = store.take(now, limits);
    if (refused.isEmpty()) {
      return Optional.empty();
    }
    Limit l = refused.get();
    boolean byAddress = l == limits.get(0);
    trips.trip(byAddress ? "login_guess_address" : "login_guess_number", l.max(), l.window(), now,
        byAddress ? "code guesses from " + address : "code guesses for " + m.masked());
    return Optional.of(new Refusal(Kind.LOCKED, retryAfter(l, now)));
  }

  /** A right guess: the number's count ends, and the address gets its unit back. */
  public void guessedRight(Msisdn m, String address, Instant now) {
    List<Limit> limits = guessLimits(m, address);
    store.giveBack(now, limits.get(0));
    store.clearLimit(limits.get(1).key());
  }

  private List<Limit> guessLimits(Msisdn m, String address) {
    // Address first: a refusal by it must not cost the number (someone else's) a guess.
    return List.of(new Limit("guess-addr:" + address, settings.maxFailuresPerAddress(), settings.lockWindow()),
        new Limit("guess-num:" + m.e164(), settings.maxFailuresPerNumber(), settings.lockWindow()));
  }

  private static Duration retryAfter(Limit l, Instant now) {
    Duration d = Duration.between(now, l.windowEnd(now));
    return d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d;
  }
}
