package chatgate.core.port;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The subscribers the gateway knows, keyed by MSISDN. */
public interface UserDirectory {
  Optional<User> find(Msisdn msisdn);

  /** Inserts or replaces the user with this MSISDN. */
  void save(User user);

  /** The user, created with this language if unknown. */
  User ensure(Msisdn msisdn, Language language, Instant now);

  /** Users ordered by MSISDN. */
  List<User> list(int offset, int limit);

  /** Removes the user and their group memberships; false if unknown. */
  boolean remove(Msisdn msisdn);
}
