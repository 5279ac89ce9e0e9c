package chatgate.core.port;

import chatgate.core.model.Msisdn;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Accounts of the built-in IM service ({@code ./chatgate admin im-account …}), and the record of
 * which phones were logged in to which IM accounts, so a restarted gateway can tell them to log
 * in again (it never keeps their passwords).
 */
public interface ImAccounts {

  /**
   * A built-in account.
   *
   * @param address {@code local@domain}, lower case
   * @param passwordHash PBKDF2 hash with its salt and cost ({@code pbkdf2-sha256$iterations$salt$hash})
   * @param webUser a chat-page user reached as this account when no phone is logged in to it
   */
  record Account(String address, String name, String passwordHash, Optional<Msisdn> webUser, Instant createdAt) {
    public Account {
      webUser = webUser == null ? Optional.empty() : webUser;
    }

    @Override
    public String toString() {
      return "Account[" + address + ", " + name + "]";
    }
  }

  /** A phone's login to an IM account, as remembered across a restart. */
  record Login(Msisdn phone, String account, Instant at) {}

  void save(Account account);

  Optional<Account> find(String address);

  List<Account> all();

  boolean remove(String address);

  void loggedIn(Login login);

  /** Forgets a login; true if it was recorded (so of several nodes ending it, one tells the phone). */
  boolean loggedOut(Msisdn phone, String account);

  /** Every login still recorded (after a restart: the phones to tell). */
  List<Login> logins();
}
