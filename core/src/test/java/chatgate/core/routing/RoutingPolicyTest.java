package chatgate.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.Presence;
import chatgate.core.model.Route;
import chatgate.core.model.User;
import chatgate.core.routing.RoutingPolicy.Decision;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The routing table, STOP included: solicited replies go, unsolicited SMS stop (issue 15). */
class RoutingPolicyTest {
  static final Presence AWAY = new Presence(false, false, false);
  static final Presence BROWSING = new Presence(true, true, false);
  static final Presence STREAMING = new Presence(true, true, true);

  final RoutingPolicy policy = new RoutingPolicy();

  @DisplayName("issue 15: STOP stops everything the phone did not ask for; the answers to its own MOs still go")
  @ParameterizedTest(name = "{0} to a phone {1}, stopped={2}: {3} kept={4}")
  @CsvSource({
      // origin,  presence,  stopped, route,       kept
      "SYSTEM,    AWAY,      false,   SMS,         false",
      "SYSTEM,    AWAY,      true,    SMS,         false",
      "SYSTEM,    BROWSING,  true,    SMS,         false",
      "NOTICE,    AWAY,      false,   SMS,         false",
      "NOTICE,    AWAY,      true,    KEEP,        false",
      "NOTICE,    BROWSING,  true,    KEEP,        false",
      "NOTICE,    STREAMING, true,    KEEP,        false",
      "HTTP_SMS,  AWAY,      false,   SMS,         false",
      "HTTP_SMS,  AWAY,      true,    KEEP,        false",
      "SMS,       AWAY,      false,   SMS,         true",
      "SMS,       AWAY,      true,    KEEP,        true",
      "SMS,       BROWSING,  true,    LIVE_PAGE,   true",
      "SMS,       STREAMING, true,    LIVE_STREAM, false",
      "IM,        AWAY,      true,    KEEP,        true",
      "WEB,       AWAY,      true,    KEEP,        true",
      "API,       AWAY,      true,    KEEP,        true"})
  void stopStopsWhatThePhoneDidNotAskFor(Origin origin, String presence, boolean stopped, Route route, boolean kept) {
    User u = User.newUser(Msisdn.of("+8613800000001"), Language.EN, Instant.EPOCH).withSmsStopped(stopped);
    Presence p = switch (presence) {
      case "AWAY" -> AWAY;
      case "BROWSING" -> BROWSING;
      default -> STREAMING;
    };
    assertThat(policy.decide(p, u, origin)).isEqualTo(new Decision(route, kept));
  }
}
