package chatgate.app;

import chatgate.app.config.Config;
import chatgate.core.chat.ChatService;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.im.BuiltinIm;
import chatgate.core.im.ImRelay;
import chatgate.core.port.ImPort;
import chatgate.core.port.PresenceRegistry;
import chatgate.core.sms.MoService;
import chatgate.store.JdbcStore;
import chatgate.xmpp.XmppImPort;
import chatgate.xmpp.XmppSettings;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which IM service the relay talks to: an XMPP server when {@code [xmpp] host} is set, else the built-in one. */
final class ImWiring {
  private static final Logger log = LoggerFactory.getLogger(ImWiring.class);

  private ImWiring() {
  }

  /** The built-in IM service's domain: {@code [xmpp] domain}, else {@code chatgate.local} (the contract). */
  static String imDomain(Config c) {
    return c.xmpp().domain().isEmpty() ? "chatgate.local" : c.xmpp().domain();
  }

  static ImPort imPort(Config c, JdbcStore store, PresenceRegistry presence, ChatService chat, Clock clock) {
    if (!c.xmpp().host().isEmpty()) {
      String domain = c.xmpp().domain().isEmpty() ? c.xmpp().host() : c.xmpp().domain();
      log.info("IM over XMPP at {}:{} (domain {}, tls {})", c.xmpp().host(), c.xmpp().port(), domain, c.xmpp().tls());
      return new XmppImPort(XmppSettings.of(c.xmpp().host(), c.xmpp().port(), domain, c.xmpp().tls())
          .withMaxSessions(c.xmpp().maxSessions()).withLoginsPerSecond(c.xmpp().loginsPerSecond())
          .withTrust(c.xmpp().caFile(), c.xmpp().certPins()));
    }
    // A built-in account standing for a web user reaches their chat page (or their phone by SMS, P2 routing).
    return new BuiltinIm(store.imAccounts(), imDomain(c), m -> presence.presence(m, clock.instant()).online(),
        (from, webUser, text) -> {
          chat.fromIm(webUser, from.split("@")[0] + ": " + text, "im:" + from + ":" + webUser.e164() + ":"
              + UUID.randomUUID());
          return true;
        }, clock);
  }

  /** The relay between phones and IM, spooled through the stage; in a cluster, sessions live on their owner node. */
  static ImRelay relay(ImPort imPort, JdbcStore store, ChatService chat, DeliveryStage stage, MoService mo,
      ClusterParts cluster, Clock clock) {
    ImRelay im = new ImRelay(imPort, store.imAccounts(), store.auth(), store.users(),
        ImRelay.Texter.of(chat), clock, ImRelay.Settings.defaults()).spooled(chat, stage);
    mo.im(im);
    if (cluster != null) {
      im.owners(cluster.imOwners);
      cluster.imOwners.receiver(mo);
      cluster.imOwners.submitter(im::submitHere);
    }
    return im;
  }
}
