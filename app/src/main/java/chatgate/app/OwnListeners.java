package chatgate.app;

import chatgate.app.config.Config;
import chatgate.web.WebServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** The gateway's own listeners, which a dlr-url may not point to (issue 15). */
final class OwnListeners {
  private OwnListeners() {
  }

  /** The gateway's own listeners, which a dlr-url may not point to: HTTP (once bound) and the simulator's SMPP. */
  static List<InetSocketAddress> ownListeners(Config c, WebServer web, int simPort) {
    List<InetSocketAddress> own = new ArrayList<>();
    int httpPort = web != null && web.port() > 0 ? web.port() : c.http().port();
    own.add(listener(c.http().host(), httpPort));
    if (simPort > 0) {
      own.add(listener(c.simulator().host(), simPort));
    }
    return own;
  }

  private static InetSocketAddress listener(String host, int port) {
    return host == null || host.isBlank() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
