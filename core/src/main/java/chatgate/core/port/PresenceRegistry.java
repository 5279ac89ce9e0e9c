package chatgate.core.port;

import chatgate.core.model.Msisdn;
import chatgate.core.model.Presence;
import java.time.Instant;
import java.util.List;

/**
 * Online state and WAP access state of users (P2.8, P2.13). On one node it lives in memory;
 * a cluster shares it.
 */
public interface PresenceRegistry {
  /** The user is online now (opened the browser, logged in). */
  void online(Msisdn msisdn, Instant now);

  /** The user fetched a page now: online and browsing. */
  void pageFetched(Msisdn msisdn, Instant now);

  /** An event stream of the user opened (browsing while it stays open). */
  void streamOpened(Msisdn msisdn, Instant now);

  void streamClosed(Msisdn msisdn, Instant now);

  /** The user logged out. */
  void offline(Msisdn msisdn);

  Presence presence(Msisdn msisdn, Instant now);

  /** Users online now. */
  List<Msisdn> onlineUsers(Instant now);
}
