package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.port.UserDirectory;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A phone's own time zone in every {@link UserDirectory} (issue 18, ADR 0048). */
public interface UserTimeZoneContract {
  UserDirectory users();

  @Test
  default void aPhonesTimeZoneIsKeptUntilCleared() {
    Msisdn a = Msisdn.of("+8613800000001");
    Msisdn stranger = Msisdn.of("+8613800000009");
    users().ensure(a, Language.ZH, Instant.parse("2026-12-07T10:00:00Z"));
    assertThat(users().timeZone(a)).isEmpty();
    users().timeZone(a, Optional.of(ZoneOffset.ofHours(8)));
    assertThat(users().timeZone(a)).contains(ZoneOffset.ofHours(8));
    users().timeZone(a, Optional.of(ZoneId.of("America/New_York")));
    assertThat(users().timeZone(a)).contains(ZoneId.of("America/New_York"));
    // Saving the user (a language change, STOP) keeps it.
    users().save(users().find(a).orElseThrow().withLanguage(Language.EN));
    assertThat(users().timeZone(a)).contains(ZoneId.of("America/New_York"));
    users().timeZone(a, Optional.empty());
    assertThat(users().timeZone(a)).isEmpty();
    users().timeZone(stranger, Optional.of(ZoneOffset.UTC));
    assertThat(users().timeZone(stranger)).isEmpty();
  }
}
