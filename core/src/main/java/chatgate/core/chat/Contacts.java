package chatgate.core.chat;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.model.Target;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.UserDirectory;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names, groups and blocks as one phone sees them (issue 18, ADR 0040): its own display name, the
 * names it gave contacts, targets typed by name ({@code @家人}, {@code @Bob}), group members,
 * joining and leaving open groups, and blocking senders. The SMS commands and the pages call
 * these; each answer says what happened so they can word it.
 */
public final class Contacts {
  /** What a name change, join, leave or block did. */
  public enum Outcome {
    DONE,
    /** Nothing to do: already a member, already blocked, not blocked. */
    ALREADY,
    /** The name is not allowed ({@link DisplayNames}). */
    BAD_NAME,
    /** No such number, group or contact. */
    UNKNOWN,
    /** The group is not open to join, or the phone is not in it. */
    REFUSED
  }

  /** A group as a member sees it: the group and its members' names as this member sees them. */
  public record Members(Group group, List<String> names) {}

  private final UserDirectory users;
  private final GroupDirectory groups;
  private final NumberPlan numbers;
  private final Clock clock;

  Contacts(UserDirectory users, GroupDirectory groups, NumberPlan numbers, Clock clock) {
    this.users = users;
    this.groups = groups;
    this.numbers = numbers;
    this.clock = clock;
  }

  /** The name {@code viewer} gave a phone, empty if none. */
  public String givenName(Msisdn viewer, Msisdn m) {
    return users.contactNames(viewer).getOrDefault(m, "");
  }

  /** The name {@code viewer} sees for a phone: their name for it, its own display name, else the number. */
  public String label(Msisdn viewer, Msisdn m) {
    if (viewer != null) {
      String given = users.contactNames(viewer).get(m);
      if (given != null) {
        return given;
      }
    }
    return users.find(m).map(u -> u.displayName().isBlank() ? numbers.display(m) : u.displayName())
        .orElseGet(() -> numbers.display(m));
  }

  /**
   * A target as {@code me} typed it: a phone number; a name {@code me} gave a contact; a group id;
   * else a group's display name (one {@code me} is in first, else the only one of that name).
   */
  public Optional<Target> resolve(Msisdn me, String raw) {
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    String typed = raw.strip();
    Optional<Target> t = numbers.target(typed);
    if (t.isPresent() && t.get() instanceof Msisdn) {
      return t;
    }
    Optional<Msisdn> contact = contactNamed(me, typed);
    if (contact.isPresent()) {
      return Optional.of(contact.get());
    }
    if (t.isPresent() && groups.find((GroupId) t.get()).isPresent()) {
      return t;
    }
    Optional<Group> byName = groupNamed(me, typed);
    if (byName.isPresent()) {
      return Optional.of(byName.get().id());
    }
    return t; // an unknown group id stays one, so the answer can name it
  }

  private Optional<Msisdn> contactNamed(Msisdn me, String typed) {
    if (me == null) {
      return Optional.empty();
    }
    String want = typed.toLowerCase(Locale.ROOT);
    return users.contactNames(me).entrySet().stream()
        .filter(e -> e.getValue().toLowerCase(Locale.ROOT).equals(want)).map(Map.Entry::getKey).findFirst();
  }

  private Optional<Group> groupNamed(Msisdn me, String typed) {
    List<Group> named = groups.named(typed);
    Optional<Group> mine = named.stream().filter(g -> me != null && g.hasMember(me)).findFirst();
    if (mine.isPresent()) {
      return mine;
    }
    return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
  }

  /** The group a typed target names, if it is one. */
  public Optional<Group> group(Msisdn me, String raw) {
    return resolve(me, raw).flatMap(t -> t instanceof GroupId g ? groups.find(g) : Optional.empty());
  }

  /** Sets {@code me}'s own display name, as everyone sees it unless they named {@code me} themselves. */
  public Outcome setOwnName(Msisdn me, String raw) {
    Optional<String> name = DisplayNames.clean(raw);
    if (name.isEmpty()) {
      return Outcome.BAD_NAME;
    }
    var u = users.ensure(me, Language.EN, clock.instant());
    if (!u.displayName().equals(name.get())) {
      users.save(u.withDisplayName(name.get()));
    }
    return Outcome.DONE;
  }

  /** The time zone {@code me} chose (ADR 0048); empty: the gateway's default. */
  public Optional<ZoneId> timeZone(Msisdn me) {
    return users.timeZone(me);
  }

  /**
   * Sets {@code me}'s time zone from what they typed ({@link Zones}); {@code default}/{@code 默认}
   * goes back to the gateway's. The zone set, or empty for the default; nothing if not a zone.
   */
  public Optional<Optional<ZoneId>> setTimeZone(Msisdn me, String typed) {
    String t = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
    Optional<ZoneId> zone = DEFAULT_ZONE.contains(t) ? Optional.empty() : Zones.parse(typed);
    if (zone.isEmpty() && !DEFAULT_ZONE.contains(t)) {
      return Optional.empty();
    }
    users.ensure(me, Language.EN, clock.instant());
    users.timeZone(me, zone);
    return Optional.of(zone);
  }

  private static final Set<String> DEFAULT_ZONE = Set.of("default", "默认", "默認");

  /** The name kept for {@code me} (empty: shown by number). */
  public String ownName(Msisdn me) {
    return users.find(me).map(u -> u.displayName()).orElse("");
  }

  /** {@code me} names a contact (a phone number); an empty name forgets the one given. */
  public Outcome nameContact(Msisdn me, String rawNumber, String rawName) {
    Optional<Msisdn> contact = numbers.parse(rawNumber == null ? "" : rawNumber.strip());
    if (contact.isEmpty() || contact.get().equals(me)) {
      return Outcome.UNKNOWN;
    }
    if (rawName == null || rawName.isBlank()) {
      users.nameContact(me, contact.get(), "");
      return Outcome.DONE;
    }
    Optional<String> name = DisplayNames.clean(rawName);
    if (name.isEmpty()) {
      return Outcome.BAD_NAME;
    }
    users.nameContact(me, contact.get(), name.get());
    return Outcome.DONE;
  }

  /** The group's members as {@code me} sees them, if {@code me} is in it. */
  public Optional<Members> members(Msisdn me, GroupId id) {
    return groups.find(id).filter(g -> g.hasMember(me))
        .map(g -> new Members(g, g.members().stream().map(m -> m.equals(me) ? label(null, m) : label(me, m)).toList()));
  }

  /** {@code me} joins a group: only an open one (ADR 0040). */
  public Outcome join(Msisdn me, GroupId id) {
    Optional<Group> g = groups.find(id);
    if (g.isEmpty()) {
      return Outcome.UNKNOWN;
    }
    if (g.get().hasMember(me)) {
      return Outcome.ALREADY;
    }
    if (!g.get().open()) {
      return Outcome.REFUSED;
    }
    users.ensure(me, Language.EN, clock.instant());
    return groups.addMember(id, me) ? Outcome.DONE : Outcome.ALREADY;
  }

  /** {@code me} leaves a group (any group they are in). */
  public Outcome leave(Msisdn me, GroupId id) {
    Optional<Group> g = groups.find(id);
    if (g.isEmpty()) {
      return Outcome.UNKNOWN;
    }
    return groups.removeMember(id, me) ? Outcome.DONE : Outcome.REFUSED;
  }

  /** {@code me} blocks a sender: their messages to {@code me} are refused, in groups left out. */
  public Outcome block(Msisdn me, Msisdn sender) {
    if (sender.equals(me)) {
      return Outcome.UNKNOWN;
    }
    return users.block(me, sender) ? Outcome.DONE : Outcome.ALREADY;
  }

  public Outcome unblock(Msisdn me, Msisdn sender) {
    return users.unblock(me, sender) ? Outcome.DONE : Outcome.ALREADY;
  }

  public List<Msisdn> blocked(Msisdn me) {
    return users.blocked(me);
  }

  /** The number a typed target names, if it is a phone (a number or a contact's name). */
  public Optional<Msisdn> phone(Msisdn me, String raw) {
    return resolve(me, raw).flatMap(t -> t instanceof Msisdn m ? Optional.of(m) : Optional.empty());
  }
}
