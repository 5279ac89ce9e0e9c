package chatgate.web;

import chatgate.core.auth.Tokens;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use {@code /sim/} (issue 15): it shows every login code and reply link and sends MO as
 * any number, so it is served only on a loopback listener, or elsewhere with HTTP Basic auth
 * (user {@code sim}, password {@code [simulator] password}); with no password it is refused.
 */
public final class SimGate {
  private static final Logger log = LoggerFactory.getLogger(SimGate.class);
  static final String USER = "sim";

  enum Verdict { OPEN, ASK_PASSWORD, REFUSED }

  private final boolean loopback;
  private final String password;

  SimGate(String listenHost, String password) {
    this.loopback = loopback(listenHost);
    this.password = password;
  }

  Verdict check(String authorization) {
    if (loopback) {
      return Verdict.OPEN;
    }
    if (password.isEmpty()) {
      return Verdict.REFUSED;
    }
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        if (Tokens.same(pair, USER + ":" + password)) {
          return Verdict.OPEN;
        }
      } catch (IllegalArgumentException e) {
        // not base64: the same as a wrong password
      }
      log.info("wrong /sim/ password");
    }
    return Verdict.ASK_PASSWORD;
  }

  /** Whether a listen host is a loopback address (or "localhost"); the wildcard is not. */
  public static boolean loopback(String host) {
    String h = host == null ? "" : host.strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!Cidr.literal(h)) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
