package chatgate.web.view;

import java.util.List;
import java.util.Optional;

/**
 * {@code /people}: the viewer's own name; for a chosen person, the viewer's name for them and
 * block; for a chosen group, its members and join/leave (issue 18).
 *
 * @param to the chosen partner's id (for the forms), empty for none
 * @param zone the viewer's own time zone as they would type it, empty for the default
 * @param defaultZone the gateway's default zone, as a user reads it (ADR 0048)
 */
public record PeopleView(Common c, String myName, String to, Optional<Person> person, Optional<GroupInfo> group,
    String backUrl, String zone, String defaultZone) {

  /** A person as the viewer sees them: {@code label}; {@code given} the viewer's own name for them. */
  public record Person(String label, String number, String given, boolean blocked) {}

  /** A group; {@code members} only when the viewer is in it. */
  public record GroupInfo(String name, boolean member, boolean open, List<String> members) {}
}
