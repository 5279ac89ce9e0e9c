package chatgate.core.memory;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.User;
import chatgate.core.port.UserDirectory;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Users in memory: for unit tests, benchmarks of the core, and the contract's reference. */
public final class MemoryUserDirectory implements UserDirectory {
  private final ConcurrentSkipListMap<Msisdn, User> users = new ConcurrentSkipListMap<>();
  private final MemoryGroupDirectory groups;
  private final Map<Msisdn, Map<Msisdn, String>> names = new ConcurrentHashMap<>();
  private final Map<Msisdn, Set<Msisdn>> blocks = new ConcurrentHashMap<>();
  private final Map<Msisdn, ZoneId> zones = new ConcurrentHashMap<>();

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
      names.remove(msisdn);
      blocks.remove(msisdn);
      zones.remove(msisdn);
    }
    return removed;
  }

  @Override
  public Optional<ZoneId> timeZone(Msisdn m) {
    return Optional.ofNullable(zones.get(m));
  }

  @Override
  public synchronized void timeZone(Msisdn m, Optional<ZoneId> zone) {
    if (users.containsKey(m)) {
      zone.ifPresentOrElse(z -> zones.put(m, z), () -> zones.remove(m));
    }
  }

  @Override
  public synchronized void nameContact(Msisdn owner, Msisdn contact, String name) {
    if (name == null || name.isBlank()) {
      names.getOrDefault(owner, new TreeMap<>()).remove(contact);
    } else {
      names.computeIfAbsent(owner, k -> new TreeMap<>()).put(contact, name);
    }
  }

  @Override
  public synchronized Map<Msisdn, String> contactNames(Msisdn owner) {
    return Map.copyOf(names.getOrDefault(owner, Map.of()));
  }

  @Override
  public synchronized boolean block(Msisdn owner, Msisdn sender) {
    return blocks.computeIfAbsent(owner, k -> new TreeSet<>()).add(sender);
  }

  @Override
  public synchronized boolean unblock(Msisdn owner, Msisdn sender) {
    return blocks.getOrDefault(owner, new TreeSet<>()).remove(sender);
  }

  @Override
  public synchronized List<Msisdn> blocked(Msisdn owner) {
    return List.copyOf(blocks.getOrDefault(owner, new TreeSet<>()));
  }

  @Override
  public synchronized Set<Msisdn> blockers(Msisdn sender) {
    Set<Msisdn> out = new TreeSet<>();
    blocks.forEach((owner, set) -> {
      if (set.contains(sender)) {
        out.add(owner);
      }
    });
    return out;
  }
}
