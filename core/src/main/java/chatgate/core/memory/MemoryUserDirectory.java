package chatgate.core.memory;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.User;
import chatgate.core.port.UserDirectory;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Users in memory: for unit tests, benchmarks of the core, and the contract's reference. */
public final class MemoryUserDirectory implements UserDirectory {
  private final ConcurrentSkipListMap<Msisdn, User> users = new ConcurrentSkipListMap<>();
  private final MemoryGroupDirectory groups;

  public MemoryUserDirectory(MemoryGroupDirectory groups) {
    this.groups = groups;
  }

  @Override
  public Optional<User> find(Msisdn msisdn) {
    return Optional.ofNullable(users.get(msisdn));
  }

  @Override
  public void save(User user) {
    users.put(user.msisdn(), user);
  }

  @Override
  public User ensure(Msisdn msisdn, Language language, Instant now) {
    return users.computeIfAbsent(msisdn, m -> User.newUser(m, language, now));
  }

  @Override
  public List<User> list(int offset, int limit) {
    return users.values().stream().skip(offset).limit(limit).toList();
  }

  @Override
  public boolean remove(Msisdn msisdn) {
    boolean removed = users.remove(msisdn) != null;
    if (removed) {
      groups.dropMember(msisdn);
    }
    return removed;
  }
}
