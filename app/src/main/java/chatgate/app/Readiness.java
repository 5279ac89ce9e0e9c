package chatgate.app;

import chatgate.core.port.ImPort;
import chatgate.store.JdbcStore;
import chatgate.web.WebContext;
import chatgate.xmpp.XmppImPort;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What /readyz checks, from the parts the gateway wired. */
final class Readiness {
  private Readiness() {
  }

  /** What /readyz checks: the store answers, SMPP is bound, and the XMPP server is reachable when one is configured. */
  static Supplier<Map<String, Boolean>> readiness(JdbcStore store, SmsChannel sms,
      ImPort im, boolean xmpp, ClusterParts cluster, BooleanSupplier draining) {
    return () -> {
      if (draining.getAsBoolean()) {
        return Map.of(WebContext.DRAINING, false);
      }
      Map<String, Boolean> parts = new LinkedHashMap<>();
      parts.put("store", store.ping());
      parts.put("smpp", sms.bound());
      if (xmpp) {
        // A TLS failure is named (the certificate, not the network, is what the operator must fix).
        String problem = im instanceof XmppImPort x ? x.problem().orElse(null) : null;
        parts.put(problem == null ? "xmpp" : "xmpp (" + problem + ")", im.reachable());
      }
      if (cluster != null) {
        parts.put("nats", cluster.nats.connected() && cluster.worker.held());
      }
      return parts;
    };
  }
}
