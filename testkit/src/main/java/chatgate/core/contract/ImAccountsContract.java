package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.port.ImAccounts;
import chatgate.core.port.ImAccounts.Account;
import chatgate.core.port.ImAccounts.Login;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link ImAccounts} does. */
public interface ImAccountsContract {
  ImAccounts accounts();

  Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  Msisdn PHONE = Msisdn.of("+8613800000031");

  @Test
  default void accountsAreSavedFoundListedAndRemoved() {
    accounts().save(new Account("bob@chatgate.local", "Bob", "pbkdf2-sha256$1$s$h", Optional.empty(), NOW));
    accounts().save(new Account("alice@chatgate.local", "Alice", "pbkdf2-sha256$1$s$h2", Optional.of(PHONE), NOW));
    assertThat(accounts().find("alice@chatgate.local")).hasValueSatisfying(a -> {
      assertThat(a.name()).isEqualTo("Alice");
      assertThat(a.passwordHash()).isEqualTo("pbkdf2-sha256$1$s$h2");
      assertThat(a.webUser()).contains(PHONE);
      assertThat(a.createdAt()).isEqualTo(NOW);
    });
    assertThat(accounts().all()).extracting(Account::address).containsExactly("alice@chatgate.local", "bob@chatgate.local");
    accounts().save(new Account("bob@chatgate.local", "Bobby", "pbkdf2-sha256$1$s$h3", Optional.empty(), NOW));
    assertThat(accounts().find("bob@chatgate.local").orElseThrow().name()).isEqualTo("Bobby");
    assertThat(accounts().remove("bob@chatgate.local")).isTrue();
    assertThat(accounts().remove("bob@chatgate.local")).isFalse();
    assertThat(accounts().find("nobody@chatgate.local")).isEmpty();
  }

  @Test
  default void loginsAreRememberedUntilLoggedOut() {
    accounts().loggedIn(new Login(PHONE, "alice@example.org", NOW));
    accounts().loggedIn(new Login(PHONE, "bob@example.org", NOW));
    accounts().loggedIn(new Login(PHONE, "bob@example.org", NOW.plusSeconds(5)));
    assertThat(accounts().logins()).extracting(Login::account).containsExactlyInAnyOrder("alice@example.org", "bob@example.org");
    assertThat(accounts().loggedOut(PHONE, "alice@example.org")).isTrue();
    assertThat(accounts().logins()).extracting(Login::account).containsExactly("bob@example.org");
    // Ending it again finds nothing: of two nodes ending one login, only one is told it did.
    assertThat(accounts().loggedOut(PHONE, "alice@example.org")).isFalse();
  }
}
