package chatgate.core.routing;

import chatgate.core.model.ImContact;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.Presence;
import chatgate.core.model.Route;
import chatgate.core.model.Target;
import chatgate.core.model.User;
import java.util.function.Predicate;

/**
 * The state judgement of P2 (P2.3–P2.6, P2.11, P2.13): for one recipient, by what they are doing
 * now and where the message came from, which channel carries it and whether it is kept for the
 * web. Every routing the delivery stage does is decided here: the first, after a live route
 * failed, and a retry (issue 16: one place, one table, {@code RoutingPolicyTest}).
 *
 * <p>Chat messages (WEB, SMS, IM, API):
 * <table>
 *   <tr><th>recipient</th><th>route</th><th>kept</th></tr>
 *   <tr><td>browsing with an open stream</td><td>LIVE_STREAM</td><td>until the page acknowledges it</td></tr>
 *   <tr><td>browsing pages that refresh</td><td>LIVE_PAGE</td><td>until fetched</td></tr>
 *   <tr><td>online, not browsing (P2.5)</td><td>SMS / WAP_PUSH</td><td>no</td></tr>
 *   <tr><td>offline (P2.6, P2.11)</td><td>SMS / WAP_PUSH</td><td>yes</td></tr>
 *   <tr><td>sent STOP, or outside {@code allowed_destinations}; not browsing</td><td>KEEP</td><td>yes</td></tr>
 * </table>
 *
 * <p>From the gateway itself ({@code SYSTEM}: the answer to the phone's own MO): SMS, even after
 * STOP. Unsolicited SMS ({@code NOTICE}: IM relay texts, restart notices; {@code HTTP_SMS}: a
 * sendsms client asked for an SMS): SMS whatever the recipient is doing, or, once the phone sent
 * STOP, nothing at all (KEEP, not kept: the sender learns it failed and why).
 *
 * <p>A phone's text to an IM contact (target {@link ImContact}): IM, through the phone's own IM
 * session, whatever the phone is doing and after STOP too (STOP is about SMS to the phone; this
 * text is the phone's own, ADR 0022). Never kept for the web.
 */
public final class RoutingPolicy {
  /** Numbers the gateway may text ({@code [sms] allowed_destinations}); others are treated as after STOP. */
  private final Predicate<Msisdn> smsAllowed;

  public RoutingPolicy() {
    this(m -> true);
  }

  public RoutingPolicy(Predicate<Msisdn> smsAllowed) {
    this.smsAllowed = smsAllowed;
  }

  /** The channel and whether to keep the message for the recipient's next visit. */
  public record Decision(Route route, boolean keep) {
    /** Neither sent nor kept: nobody will see it (an unsolicited SMS after STOP). */
    public boolean dropped() {
      return route == Route.KEEP && !keep;
    }
  }

  /** No SMS to this recipient: they sent STOP, or their number is outside the allowed destinations. */
  public boolean noSms(User recipient) {
    return recipient.smsStopped() || !smsAllowed.test(recipient.msisdn());
  }

  /**
   * The first routing of a message to this target; {@code recipient} is whose channel carries it
   * (for an IM contact: the phone whose IM session does).
   */
  public Decision decide(Presence presence, User recipient, Origin origin, Target target) {
    if (target instanceof ImContact) {
      return new Decision(Route.IM, false);
    }
    return decide(presence, recipient, origin);
  }

  /** The first routing of a message to a phone or a group. */
  public Decision decide(Presence presence, User recipient, Origin origin) {
    switch (origin) {
      case SYSTEM -> {
        // Solicited: the reply to the phone's own MO goes by SMS even after STOP.
        return new Decision(Route.SMS, false);
      }
      case NOTICE, HTTP_SMS -> {
        // Unsolicited: by SMS as asked, or nothing once the phone sent STOP (or is outside the allowed destinations).
        return noSms(recipient) ? new Decision(Route.KEEP, false) : new Decision(Route.SMS, false);
      }
      default -> {
        return chat(presence, recipient);
      }
    }
  }

  private Decision chat(Presence presence, User recipient) {
    if (presence.streaming()) {
      return new Decision(Route.LIVE_STREAM, true);
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
   * The live route failed for good: the refreshing page was not fetched in time, or the stream's
   * page did not acknowledge the push. As if the recipient were not browsing.
   */
  public Decision fallback(Presence presence, User recipient, Origin origin) {
    return decide(new Presence(presence.online(), false, false), recipient, origin);
  }

  /** The stream closed as the message was pushed: as if it had not been there (a refreshing page may remain). */
  public Decision streamGone(Presence presence, User recipient, Origin origin) {
    return decide(new Presence(presence.online(), presence.browsing(), false), recipient, origin);
  }

  /**
   * Another attempt of a message that went by SMS ({@code previous}: SMS or WAP_PUSH, {@code kept}:
   * whether it was kept too): live if the recipient is browsing now, nothing more after STOP,
   * else the same channel as before.
   */
  public Decision retry(Presence presence, User recipient, Origin origin, Route previous, boolean kept) {
    Decision now = decide(presence, recipient, origin);
    return now.route() == Route.SMS || now.route() == Route.WAP_PUSH ? new Decision(previous, kept) : now;
  }
}
