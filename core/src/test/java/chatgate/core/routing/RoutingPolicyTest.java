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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The routing table of P2 (P2.4–P2.6, P2.11) with STOP (issue 15) and origins (issue 16), over
 * every combination of presence × STOP × WAP Push × origin. A row may name several values
 * ({@code |}) or any ({@code *}); the table must cover each combination exactly once.
 */
class RoutingPolicyTest {
  private static final String CHAT = "WEB|SMS|IM|API";

  /** origin, presence, stopped, wapPush → route, kept. */
  private static final String[][] TABLE = {
      {CHAT, "STREAMING", "*", "*", "LIVE_STREAM", "true"},
      {CHAT, "BROWSING", "*", "*", "LIVE_PAGE", "true"},
      {CHAT, "ONLINE", "no", "no", "SMS", "false"},        // P2.5
      {CHAT, "ONLINE", "no", "yes", "WAP_PUSH", "false"},
      {CHAT, "OFFLINE", "no", "no", "SMS", "true"},        // P2.6, P2.11
      {CHAT, "OFFLINE", "no", "yes", "WAP_PUSH", "true"},
      {CHAT, "ONLINE|OFFLINE", "yes", "*", "KEEP", "true"}, // STOP: shown on the page only
      {"SYSTEM", "*", "*", "*", "SMS", "false"},            // the answer to the phone's own MO
      {"NOTICE|HTTP_SMS", "*", "no", "*", "SMS", "false"},  // asked for an SMS: an SMS, whatever the page
      {"NOTICE|HTTP_SMS", "*", "yes", "*", "KEEP", "false"}, // unsolicited after STOP: nothing (issue 16)
  };

  /**
   * A phone's text to an IM contact (ADR 0022): origin, presence, stopped, wapPush → route, kept.
   * The phone's own IM session carries it whatever the phone does; it is never kept for the web.
   */
  private static final String[][] TO_IM = {
      {"*", "*", "*", "*", "IM", "false"},
  };

  private static final Map<String, Presence> PRESENCE = Map.of(
      "OFFLINE", new Presence(false, false, false),
      "ONLINE", new Presence(true, false, false),
      "BROWSING", new Presence(true, true, false),
      "STREAMING", new Presence(true, true, true));

  record Case(Origin origin, String presence, boolean stopped, boolean wapPush, Decision expected) {
    @Override
    public String toString() {
      return origin + " to a phone " + presence + (stopped ? ", STOP" : "") + (wapPush ? ", WAP Push" : "") + " → "
          + expected.route() + (expected.keep() ? " kept" : "");
    }
  }

  static Stream<Case> table() {
    return rows(TABLE);
  }

  static Stream<Case> toIm() {
    return rows(TO_IM);
  }

  private static Stream<Case> rows(String[][] rows) {
    List<Case> cases = new ArrayList<>();
    for (String[] row : rows) {
      for (String o : values(row[0], Arrays.stream(Origin.values()).map(Enum::name).toList())) {
        for (String p : values(row[1], List.copyOf(PRESENCE.keySet()))) {
          for (String stop : values(row[2], List.of("no", "yes"))) {
            for (String wap : values(row[3], List.of("no", "yes"))) {
              cases.add(new Case(Origin.valueOf(o), p, stop.equals("yes"), wap.equals("yes"),
                  new Decision(Route.valueOf(row[4]), Boolean.parseBoolean(row[5]))));
            }
          }
        }
      }
    }
    return cases.stream();
  }

  private static List<String> values(String cell, List<String> all) {
    return cell.equals("*") ? all : List.of(cell.split("\\|"));
  }

  private static User user(boolean stopped, boolean wapPush) {
    return User.newUser(Msisdn.of("+8613800000001"), Language.EN, Instant.EPOCH).withSmsStopped(stopped)
        .withWapPush(wapPush);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  @DisplayName("P2.4–P2.6, P2.11, STOP: the first routing")
  void theFirstRoutingFollowsTheTable(Case c) {
    assertThat(new RoutingPolicy().decide(PRESENCE.get(c.presence()), user(c.stopped(), c.wapPush()), c.origin()))
        .isEqualTo(c.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  @DisplayName("to a phone or a group, the routing by target is the table's")
  void aPhoneOrGroupTargetRoutesByTheTable(Case c) {
    RoutingPolicy policy = new RoutingPolicy();
    User u = user(c.stopped(), c.wapPush());
    assertThat(policy.decide(PRESENCE.get(c.presence()), u, c.origin(), u.msisdn())).isEqualTo(c.expected());
    assertThat(policy.decide(PRESENCE.get(c.presence()), u, c.origin(), chatgate.core.model.GroupId.of("family")))
        .isEqualTo(c.expected());
  }

  @ParameterizedTest(name = "IM contact: {0}")
  @MethodSource("toIm")
  @DisplayName("issue 16 (ADR 0022): a phone's text to an IM contact goes by the phone's IM session, after STOP too, never kept")
  void aTextToAnImContactGoesByIm(Case c) {
    assertThat(new RoutingPolicy(m -> false).decide(PRESENCE.get(c.presence()), user(c.stopped(), c.wapPush()),
        c.origin(), new chatgate.core.model.ImContact("alice@localhost", "bob@localhost"))).isEqualTo(c.expected());
  }

  @Test
  void theTableCoversEveryCombinationOnce() {
    for (Stream<Case> t : List.of(table(), toIm())) {
      Map<String, Integer> seen = new HashMap<>();
      t.forEach(c -> seen.merge(c.origin() + c.presence() + c.stopped() + c.wapPush(), 1, Integer::sum));
      assertThat(seen).hasSize(Origin.values().length * PRESENCE.size() * 2 * 2);
      assertThat(seen.values()).containsOnly(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  @DisplayName("a live route that failed (page not fetched, push not acknowledged) is judged as if the phone were not browsing")
  void aFailedLiveRouteIsJudgedAsNotBrowsing(Case c) {
    RoutingPolicy policy = new RoutingPolicy();
    Presence p = PRESENCE.get(c.presence());
    User u = user(c.stopped(), c.wapPush());
    assertThat(policy.fallback(p, u, c.origin()))
        .isEqualTo(policy.decide(new Presence(p.online(), false, false), u, c.origin()));
    assertThat(policy.streamGone(p, u, c.origin()))
        .isEqualTo(policy.decide(new Presence(p.online(), p.browsing(), false), u, c.origin()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  @DisplayName("a retry keeps its SMS channel unless the phone is on the page now or sent STOP since")
  void aRetryKeepsItsChannel(Case c) {
    Decision retry = new RoutingPolicy().retry(PRESENCE.get(c.presence()), user(c.stopped(), c.wapPush()), c.origin(),
        Route.SMS, true);
    Route first = c.expected().route();
    if (first == Route.SMS || first == Route.WAP_PUSH) {
      assertThat(retry).isEqualTo(new Decision(Route.SMS, true));
    } else {
      assertThat(retry).isEqualTo(c.expected());
    }
  }

  @Test
  @DisplayName("outside [sms] allowed_destinations a phone is treated as after STOP")
  void aNumberOutsideTheAllowedDestinationsIsTreatedAsStopped() {
    RoutingPolicy policy = new RoutingPolicy(m -> false);
    Presence away = PRESENCE.get("OFFLINE");
    assertThat(policy.decide(away, user(false, false), Origin.WEB)).isEqualTo(new Decision(Route.KEEP, true));
    assertThat(policy.decide(away, user(false, false), Origin.HTTP_SMS)).isEqualTo(new Decision(Route.KEEP, false));
    assertThat(policy.decide(away, user(false, false), Origin.SYSTEM)).isEqualTo(new Decision(Route.SMS, false));
  }
}
