package chatgate.core.auth;

import chatgate.core.chat.ChatService;
import chatgate.core.i18n.Texts;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.AuthStore;
import chatgate.core.port.AuthStore.LoginCode;
import chatgate.core.port.AuthStore.WebSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web login by phone number and a one-time code sent by SMS, sessions, and CSRF tokens.
 * Guessing is locked out per number and per client address; asking for codes is capped the same
 * way, since each code is an SMS someone pays for.
 */
public final class LoginService {
  private static final Logger log = LoggerFactory.getLogger(LoginService.class);
  private static final int CODE_LENGTH = 6;
  private static final int SESSION_TOKEN_LENGTH = 32;

  /** The answer to a code request. */
  public sealed interface CodeRequest {
    record Sent(Msisdn msisdn) implements CodeRequest {}

    record BadNumber() implements CodeRequest {}

    /** Too many codes asked for, or too many wrong guesses: wait. */
    record Locked(Duration retryAfter) implements CodeRequest {}

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

  private volatile chatgate.core.port.Telemetry telemetry = chatgate.core.port.Telemetry.NONE;

  public void telemetry(chatgate.core.port.Telemetry t) {
    this.telemetry = t;
  }

  public LoginService(AuthStore store, ChatService chat, NumberPlan numbers, Clock clock, AuthSettings settings,
      Keys keys) {
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
    if (chat.user(m).map(chatgate.core.model.User::smsStopped).orElse(false)) {
      // Anyone may type any number here: a phone that said STOP is sent nothing it did not ask for.
      log.info("login code for {} refused: the number sent STOP", m.masked());
      return new CodeRequest.Stopped();
    }
    Instant now = clock.instant();
    Duration w = settings.lockWindow();
    if (locked(m, address, now)
        || store.failures("req:" + m.e164(), now, w) >= settings.maxCodesPerNumber()
        || store.failures("reqaddr:" + address, now, w) >= settings.maxCodesPerAddress()) {
      log.info("login code for {} from {} refused: limit", m.masked(), address);
      return new CodeRequest.Locked(w);
    }
    store.recordFailure("req:" + m.e164(), now, w);
    store.recordFailure("reqaddr:" + address, now, w);
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
    if (locked(m, address, now)) {
      return new Verification.Locked(settings.lockWindow());
    }
    Optional<LoginCode> stored = store.loginCode(m);
    if (stored.isEmpty() || stored.get().expiresAt().isBefore(now)) {
      return new Verification.Expired();
    }
    String given = code == null ? "" : code.strip();
    if (!Tokens.same(stored.get().codeHash(), hash(m, given))) {
      telemetry.loginFailure("code");
      store.recordFailure("code:" + m.e164(), now, settings.lockWindow());
      store.recordFailure("addr:" + address, now, settings.lockWindow());
      LoginCode c = stored.get();
      if (c.failures() + 1 >= settings.maxFailuresPerNumber()) {
        store.deleteLoginCode(m); // a code guessed at too often is spent
      } else {
        store.saveLoginCode(new LoginCode(m, c.codeHash(), c.expiresAt(), c.failures() + 1));
      }
      log.info("wrong login code for {} from {}", m.masked(), address);
      return locked(m, address, now) ? new Verification.Locked(settings.lockWindow()) : new Verification.Wrong();
    }
    store.deleteLoginCode(m);
    store.clearFailures("code:" + m.e164());
    chat.enroll(m, Language.EN);
    log.info("login of {} from {}", m.masked(), address);
    return new Verification.Ok(m, openSession(m));
  }

  private boolean locked(Msisdn m, String address, Instant now) {
    Duration w = settings.lockWindow();
    return store.failures("code:" + m.e164(), now, w) >= settings.maxFailuresPerNumber()
        || store.failures("addr:" + address, now, w) >= settings.maxFailuresPerAddress();
  }

  /** A new session for this phone; the raw token goes in the cookie, only its hash is stored. */
  public String openSession(Msisdn m) {
    String token = Tokens.random(SESSION_TOKEN_LENGTH);
    Instant now = clock.instant();
    store.saveSession(new WebSession(Tokens.sha256(token), m, now, now, now.plus(settings.sessionTtl())));
    return token;
  }

  /** The session of a cookie token, if live; using it extends it (throttled to one write a minute). */
  public Optional<WebSession> session(String token) {
    if (!Tokens.isToken(token, SESSION_TOKEN_LENGTH)) {
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
