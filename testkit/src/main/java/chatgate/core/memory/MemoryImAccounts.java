package chatgate.core.memory;

import chatgate.core.model.Msisdn;
import chatgate.core.port.ImAccounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Built-in IM accounts in memory, for tests and the in-process demo. */
public final class MemoryImAccounts implements ImAccounts {
  private final Map<String, Account> accounts = new TreeMap<>();
  private final Map<String, Login> logins = new TreeMap<>();

  @Override
  public synchronized void save(Account account) {
    accounts.put(account.address(), account);
  }

  @Override
  public synchronized Optional<Account> find(String address) {
    return Optional.ofNullable(accounts.get(address));
  }

  @Override
  public synchronized List<Account> all() {
    return List.copyOf(accounts.values());
  }

  @Override
  public synchronized boolean remove(String address) {
    return accounts.remove(address) != null;
  }

  @Override
  public synchronized void loggedIn(Login login) {
    logins.put(login.phone().e164() + " " + login.account(), login);
  }

  @Override
  public synchronized boolean loggedOut(Msisdn phone, String account) {
    return logins.remove(phone.e164() + " " + account) != null;
  }

  @Override
  public synchronized List<Login> logins() {
    return new ArrayList<>(logins.values());
  }
}
