package chatgate.core.port;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.User;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The subscribers the gateway knows, keyed by MSISDN. */
public interface UserDirectory {
  Optional<User> find(Msisdn msisdn);

  /** Inserts or replaces the user with this MSISDN. */
  void save(User user);

  /** The user, created with this language if unknown. */
  User ensure(Msisdn msisdn, Language language, Instant now);

  /** Users ordered by MSISDN. */
  List<User> list(int offset, int limit);

  /** Removes the user, their group memberships, the names they gave and their blocks; false if unknown. */
  boolean remove(Msisdn msisdn);

  /**
   * Names a contact as {@code owner} sees them (ADR 0040); an empty name forgets it. Only the
   * owner sees it: others still see the contact's own display name.
   */
  void nameContact(Msisdn owner, Msisdn contact, String name);

  /** The names {@code owner} gave contacts, by contact. */
  Map<Msisdn, String> contactNames(Msisdn owner);

  /** {@code owner} takes no more messages from {@code sender}; false if already so. */
  boolean block(Msisdn owner, Msisdn sender);

  /** Undoes {@link #block}; false if it was not blocked. */
  boolean unblock(Msisdn owner, Msisdn sender);

  /** Whom {@code owner} blocks, ordered. */
  List<Msisdn> blocked(Msisdn owner);

  /** Who blocks {@code sender}: the recipients a message from them does not reach. */
  Set<Msisdn> blockers(Msisdn sender);

  /**
   * The time zone this phone chose for the times it is shown (issue 18, ADR 0048); empty: the
   * gateway's default ({@code [chat] time_zone}).
   */
  Optional<ZoneId> timeZone(Msisdn m);

  /** Sets the phone's time zone, or (empty) goes back to the default; a phone not known: nothing. */
  void timeZone(Msisdn m, Optional<ZoneId> zone);
}
