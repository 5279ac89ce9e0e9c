package chatgate.core.auth;

import chatgate.core.chat.ChatService;
import chatgate.core.i18n.Texts;
import chatgate.core.limits.Destinations;
import chatgate.core.limits.LimitTrips;
import chatgate.core.limits.LoginLimits;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.model.User;
import chatgate.core.port.AuthStore.LoginCode;
import chatgate.core.port.AuthStore.WebSession;
import chatgate.core.port.AuthStore;
import chatgate.core.port.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web login by phone number and a one-time code sent by SMS, sessions, and CSRF tokens.
 * Guessing is locked out per number and per client address; asking for codes is capped the same
 * way and by the gateway's budget for code SMS, and codes go only to allowed mobile numbers,
 * since each code is an SMS the operator pays for ({@link LoginLimits}, ADR 0017).
 */
public final class LoginService {
  private static final Logger log = LoggerFactory.getLogger(LoginService.class);
  private static final int CODE_LENGTH = 6;
  private static final int SESSION_TOKEN_LENGTH = 32;
  /** Web sessions one phone may hold at once (browsers, devices); one more ends the oldest. */
  public static final int MAX_SESSIONS_PER_PHONE = 10;
  /** Failure rows are counted over windows of at most a day; older ones are swept. */
  static final Duration FAILURES_KEPT = Duration.ofDays(2);

  /** The answer to a code request. */
  public sealed interface CodeRequest {
    record Sent(Msisdn msisdn) implements CodeRequest {}

    record BadNumber() implements CodeRequest {}

    /** Too many codes asked for, or too many wrong guesses: wait. */
    record Locked(Duration retryAfter) implements CodeRequest {}

    /** The gateway's budget for code SMS is spent for now (which limit is not told): wait. */
    record Busy(Duration retryAfter) implements CodeRequest {}

    /** Codes are not sent to this number: outside {@code [sms] allowed_destinations}, or not a mobile. */
    record NotAllowed() implements CodeRequest {}

    /** The number sent STOP: no code is sent to it until it sends START (ADR 0016). */
    record Stopped() implements CodeRequest {}
  }

  /** The answer to a code check. */
  public sealed interface Verification {
    record Ok(Msisdn msisdn, String sessionToken) implements Verification {}

    record Wrong() implements Verification {}

    /** No code outstanding for the number, or it expired. */
    record Expired() implements Verification {}

    record BadNumber() implements Verification {}

    record Locked(Duration retryAfter) implements Verification {}
  }

  private final AuthStore store;
  private final ChatService chat;
  private final NumberPlan numbers;
  private final Clock clock;
  private final AuthSettings settings;
  private final Keys keys;
  private final Destinations destinations;
  private final LimitTrips trips = new LimitTrips();
  private final LoginLimits limits;

  private volatile Telemetry telemetry = Telemetry.NONE;

  public void telemetry(Telemetry t) {
    this.telemetry = t;
    trips.telemetry(t);
  }

  /** Codes go to mobile numbers of the default region only. */
  public LoginService(AuthStore store, ChatService chat, NumberPlan numbers, Clock clock, AuthSettings settings,
      Keys keys) {
    this(store, chat, numbers, clock, settings, keys, Destinations.of(List.of(numbers.region())));
  }

  /** @param destinations where codes may go ({@code [sms] allowed_destinations}, mobile numbers only) */
  public LoginService(AuthStore store, ChatService chat, NumberPlan numbers, Clock clock, AuthSettings settings,
      Keys keys, Destinations destinations) {
    this.destinations = destinations;
    this.limits = new LoginLimits(store, settings, trips);
    this.store = store;
    this.chat = chat;
    this.numbers = numbers;
    this.clock = clock;
    this.settings = settings;
    this.keys = keys;
  }

  public CodeRequest requestCode(String rawNumber, String address, Language lang) {
    Optional<Msisdn> parsed = numbers.parse(rawNumber);
    if (parsed.isEmpty()) {
      return new CodeRequest.BadNumber();
    }
    Msisdn m = parsed.get();
    if (chat.user(m).map(User::smsStopped).orElse(false)) {
      // Anyone may type any number here: a phone that said STOP is sent nothing it did not ask for.
      log.info("login code for {} refused: the number sent STOP", m.masked());
      return new CodeRequest.Stopped();
    }
    Instant now = clock.instant();
    if (!destinations.allowsLoginCode(m)) {
      trips.trip("login_destination", 0, Duration.ofMinutes(1), now, "a code to " + m.masked());
      return new CodeRequest.NotAllowed();
    }
    Optional<LoginLimits.Refusal> refused = limits.takeCode(m, address, now);
    if (refused.isPresent()) {
      // Per request at debug only: a pumping run is thousands a minute (LimitTrips warns once per window).
      log.debug("login code for {} from {} refused: {}", m.masked(), address, refused.get().kind());
      return refused.get().kind() == LoginLimits.Kind.BUSY
          ? new CodeRequest.Busy(refused.get().retryAfter())
          : new CodeRequest.Locked(refused.get().retryAfter());
    }
    String code = Tokens.digits(CODE_LENGTH);
    store.saveLoginCode(new LoginCode(m, hash(m, code), now.plus(settings.codeTtl()), 0));
    String text = Texts.sms(lang, Texts.Sms.LOGIN_CODE, code, settings.codeTtl().toMinutes());
    chat.notify(m, text, true, null);
    log.info("login code sent to {}", m.masked());
    return new CodeRequest.Sent(m);
  }

  public Verification verify(String rawNumber, String code, String address) {
    Optional<Msisdn> parsed = numbers.parse(rawNumber);
    if (parsed.isEmpty()) {
      return new Verification.BadNumber();
    }
    Msisdn m = parsed.get();
    Instant now = clock.instant();
    Optional<LoginLimits.Refusal> locked = limits.guessLock(m, address, now);
    if (locked.isPresent()) {
      return new Verification.Locked(locked.get().retryAfter());
    }
    Optional<LoginCode> stored = store.loginCode(m);
    if (stored.isEmpty() || stored.get().expiresAt().isBefore(now)) {
      return new Verification.Expired();
    }
    // The guess is taken before it is looked at: however many come at once, only the limit's worth are.
    locked = limits.takeGuess(m, address, now);
    if (locked.isPresent()) {
      return new Verification.Locked(locked.get().retryAfter());
    }
    String given = code == null ? "" : code.strip();
    if (!Tokens.same(stored.get().codeHash(), hash(m, given))) {
      telemetry.loginFailure("code");
      LoginCode c = stored.get();
      if (c.failures() + 1 >= settings.maxFailuresPerNumber()) {
        store.deleteLoginCode(m); // a code guessed at too often is spent
      } else {
        store.saveLoginCode(new LoginCode(m, c.codeHash(), c.expiresAt(), c.failures() + 1));
      }
      log.info("wrong login code for {} from {}", m.masked(), address);
      locked = limits.guessLock(m, address, now);
      return locked.isPresent() ? new Verification.Locked(locked.get().retryAfter()) : new Verification.Wrong();
    }
    store.deleteLoginCode(m);
    limits.guessedRight(m, address, now);
    chat.enroll(m, Language.EN);
    log.info("login of {} from {}", m.masked(), address);
    return new Verification.Ok(m, openSession(m));
  }

  /**
   * A new session for this phone; the raw token goes in the cookie, only its hash is stored. A
   * phone keeps at most {@link #MAX_SESSIONS_PER_PHONE}: one more ends the oldest.
   */
  public String openSession(Msisdn m) {
    String token = Tokens.random(SESSION_TOKEN_LENGTH);
    Instant now = clock.instant();
    store.saveSession(new WebSession(Tokens.sha256(token), m, now, now, now.plus(settings.sessionTtl())));
    int ended = store.trimSessions(m, MAX_SESSIONS_PER_PHONE);
    if (ended > 0) {
      log.info("{} oldest web session(s) of {} ended: at most {} per phone", ended, m.masked(), MAX_SESSIONS_PER_PHONE);
    }
    return token;
  }

  /** Ends every web session of this phone at once (the user was removed). */
  public int endSessions(Msisdn m) {
    return store.deleteSessions(m);
  }

  /**
   * Housekeeping: drops expired sessions and codes, and failure rows older than any window
   * counts them ({@link #FAILURES_KEPT}).
   */
  public int sweep() {
    Instant now = clock.instant();
    return store.sweep(now, now.minus(FAILURES_KEPT));
  }

  /** The session of a cookie token, if live; using it extends it (throttled to one write a minute). */
  public Optional<WebSession> session(String token) {
    if (!Tokens.isToken(token, SESSION_TOKEN_LENGTH) || token.length() != SESSION_TOKEN_LENGTH) {
      return Optional.empty();
    }
    String h = Tokens.sha256(token);
    Optional<WebSession> s = store.session(h);
    Instant now = clock.instant();
    if (s.isEmpty() || s.get().expiresAt().isBefore(now)) {
      return Optional.empty();
    }
    if (s.get().lastSeenAt().plusSeconds(60).isBefore(now)) {
      store.touchSession(h, now, now.plus(settings.sessionTtl()));
    }
    return s;
  }

  public void logout(String token) {
    if (Tokens.isToken(token, SESSION_TOKEN_LENGTH)) {
      store.deleteSession(Tokens.sha256(token));
    }
  }

  /**
   * A CSRF token bound to whoever is acting: a session token, a header-identified MSISDN, or a
   * pre-login cookie. Stateless (an HMAC), so it works for phones without cookies too.
   */
  public String csrf(String principal) {
    return keys.macB64(Keys.Purpose.CSRF, "csrf|" + principal, 16).substring(0, 22);
  }

  public boolean checkCsrf(String principal, String token) {
    return token != null && principal != null && Tokens.same(csrf(principal), token);
  }

  private String hash(Msisdn m, String code) {
    // Keyed: six digits hashed without a key outside the database fall to a million guesses.
    return keys.macHex(Keys.Purpose.LOGIN_CODE, m.e164() + "|" + code, 32);
  }
}
