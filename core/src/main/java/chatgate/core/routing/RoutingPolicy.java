package chatgate.core.routing;

import chatgate.core.model.Presence;
import chatgate.core.model.Route;
import chatgate.core.model.User;

/**
 * The state judgement of P2 (P2.3–P2.6, P2.11, P2.13): for one recipient, by what they are doing
 * now, which channel carries the message and whether it is also kept for the web.
 *
 * <table>
 *   <tr><th>recipient</th><th>route</th><th>kept</th></tr>
 *   <tr><td>browsing with an open stream</td><td>LIVE_STREAM</td><td>no</td></tr>
 *   <tr><td>browsing pages that refresh</td><td>LIVE_PAGE</td><td>until fetched</td></tr>
 *   <tr><td>online, not browsing (P2.5)</td><td>SMS / WAP_PUSH</td><td>no</td></tr>
 *   <tr><td>offline (P2.6, P2.11)</td><td>SMS / WAP_PUSH</td><td>yes</td></tr>
 *   <tr><td>sent STOP, or outside {@code allowed_destinations}; not browsing</td><td>KEEP</td><td>yes</td></tr>
 * </table>
 *
 * <p>From the gateway itself ({@code SYSTEM}: the answer to the phone's own MO): SMS, even after
 * STOP. Unsolicited SMS ({@code NOTICE}: IM relay texts, restart notices; {@code HTTP_SMS}):
 * SMS, or KEEP without sending once the phone sent STOP.
 */
public final class RoutingPolicy {
  /** Numbers the gateway may text ({@code [sms] allowed_destinations}); others are treated as after STOP. */
  private final java.util.function.Predicate<chatgate.core.model.Msisdn> smsAllowed;

  public RoutingPolicy() {
    this(m -> true);
  }

  public RoutingPolicy(java.util.function.Predicate<chatgate.core.model.Msisdn> smsAllowed) {
    this.smsAllowed = smsAllowed;
  }

  /** No SMS to this recipient: they sent STOP, or their number is outside the allowed destinations. */
  private boolean noSms(User recipient) {
    return recipient.smsStopped() || !smsAllowed.test(recipient.msisdn());
  }

  /** The channel and whether to keep the message for the recipient's next visit. */
  public record Decision(Route route, boolean keep) {}

  /**
   * As {@link #decide(Presence, User, boolean)}, by where the message came from: an SMS handed in
   * through sendsms goes by SMS whatever the recipient is doing (the client asked for an SMS),
   * unless they sent STOP.
   */
  public Decision decide(Presence presence, User recipient, chatgate.core.model.Origin origin) {
    if (origin == chatgate.core.model.Origin.HTTP_SMS || origin == chatgate.core.model.Origin.NOTICE) {
      // Unsolicited: kept, never sent, once the phone sent STOP (or is outside the allowed destinations).
      return noSms(recipient) ? new Decision(Route.KEEP, false) : new Decision(Route.SMS, false);
    }
    return decide(presence, recipient, origin == chatgate.core.model.Origin.SYSTEM);
  }

  public Decision decide(Presence presence, User recipient, boolean fromGateway) {
    if (fromGateway) {
      // Solicited: the reply to the phone's own MO goes by SMS even after STOP.
      return new Decision(Route.SMS, false);
    }
    if (presence.streaming()) {
      return new Decision(Route.LIVE_STREAM, false);
    }
    if (presence.browsing()) {
      return new Decision(Route.LIVE_PAGE, true);
    }
    if (noSms(recipient)) {
      return new Decision(Route.KEEP, true);
    }
    Route sms = recipient.wapPush() ? Route.WAP_PUSH : Route.SMS;
    return new Decision(sms, !presence.online());
  }

  /**
   * Where to go when the live route failed (the stream closed as we pushed, or the refreshing
   * page was not fetched in time): as if the recipient were not browsing.
   */
  public Decision fallback(Presence presence, User recipient) {
    return decide(new Presence(presence.online(), false, false), recipient, false);
  }
}
