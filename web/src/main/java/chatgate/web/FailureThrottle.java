package chatgate.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed logins counted per client address in fixed windows: after {@code max} failures within
 * {@code window} of the first, the address is refused until that window ends, without its
 * credentials being checked. A success resets nothing: a client with one valid account cannot
 * clear its count to keep guessing another's password. IPv6 addresses count by their /64 (one
 * host usually holds the whole /64). At most {@code maxAddresses} are remembered; when full,
 * ended windows go first, then the oldest.
 */
final class FailureThrottle {
  private final int max;
  private final Duration window;
  private final Clock clock;
  private final int maxAddresses;
  private final Map<String, Window> windows = new LinkedHashMap<>();

  private static final class Window {
    final Instant start;
    int failures;

    Window(Instant start) {
      this.start = start;
    }
  }

  FailureThrottle(int max, Duration window, Clock clock, int maxAddresses) {
    this.max = max;
    this.window = window;
    this.clock = clock;
    this.maxAddresses = maxAddresses;
  }

  /** If this address is refused now: for how much longer. */
  synchronized Optional<Duration> blocked(String address) {
    Window w = windows.get(key(address));
    Instant now = clock.instant();
    if (w == null || w.failures < max || !now.isBefore(w.start.plus(window))) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, w.start.plus(window)));
  }

  /** Counts a failure; true if it is the one that blocks the address (to say so once). */
  synchronized boolean failed(String address) {
    String k = key(address);
    Instant now = clock.instant();
    Window w = windows.get(k);
    if (w == null || !now.isBefore(w.start.plus(window))) {
      if (w == null && windows.size() >= maxAddresses) {
        evict(now);
      }
      w = new Window(now);
      windows.put(k, w);
    }
    w.failures++;
    return w.failures == max;
  }

  private void evict(Instant now) {
    windows.values().removeIf(w -> !now.isBefore(w.start.plus(window)));
    Iterator<String> oldest = windows.keySet().iterator();
    while (windows.size() >= maxAddresses && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /** The address as counted: an IPv6 address by its /64; anything unparsable as itself. */
  static String key(String address) {
    if (address == null) {
      return "";
    }
    String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    int scope = a.indexOf('%');
    if (scope >= 0) {
      a = a.substring(0, scope);
    }
    if (!a.contains(":")) {
      return a;
    }
    try {
      InetAddress ip = InetAddress.ofLiteral(a); // a literal only: never a DNS lookup
      if (ip instanceof Inet6Address) {
        byte[] b = ip.getAddress();
        return HexFormat.of().formatHex(b, 0, 8) + "::/64";
      }
      return ip.getHostAddress();
    } catch (IllegalArgumentException e) {
      return a;
    }
  }
}
