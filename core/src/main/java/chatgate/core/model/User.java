package chatgate.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A subscriber known to the gateway, keyed by MSISDN.
 *
 * @param displayName how others see them; empty means "show the number"
 * @param language the language of the last thing they wrote, for SMS replies
 * @param smsStopped they sent STOP: no SMS at all until START
 * @param wapPush their handset takes WAP Push SI (else plain text SMS)
 * @param imsi the subscriber identity, where an SMSC supplied it (P1.6)
 */
public record User(
    Msisdn msisdn,
    String displayName,
    Language language,
    boolean smsStopped,
    boolean wapPush,
    Optional<String> imsi,
    Instant createdAt) {

  public User {
    Objects.requireNonNull(msisdn, "msisdn");
    displayName = displayName == null ? "" : displayName;
    language = language == null ? Language.EN : language;
    imsi = imsi == null ? Optional.empty() : imsi;
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public static User newUser(Msisdn msisdn, Language language, Instant now) {
    return new User(msisdn, "", language, false, false, Optional.empty(), now);
  }

  /** The name shown to others: the display name, else the number. */
  public String label() {
    return displayName.isBlank() ? msisdn.e164() : displayName;
  }

  public User withDisplayName(String name) {
    return new User(msisdn, name, language, smsStopped, wapPush, imsi, createdAt);
  }

  public User withLanguage(Language l) {
    return new User(msisdn, displayName, l, smsStopped, wapPush, imsi, createdAt);
  }

  public User withSmsStopped(boolean stopped) {
    return new User(msisdn, displayName, language, stopped, wapPush, imsi, createdAt);
  }

  public User withWapPush(boolean on) {
    return new User(msisdn, displayName, language, smsStopped, on, imsi, createdAt);
  }

  public User withImsi(String value) {
    return new User(msisdn, displayName, language, smsStopped, wapPush, Optional.ofNullable(value), createdAt);
  }
}
