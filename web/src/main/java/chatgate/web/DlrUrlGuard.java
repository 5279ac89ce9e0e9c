package chatgate.web;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the gateway may call a sendsms client's {@code dlr-url} (issue 15): not to loopback,
 * link-local (169.254/16, fe80::/10), any-local (0.0.0.0, ::), multicast or broadcast addresses,
 * nor to the gateway's own listeners, unless the URL starts with one of the user's
 * {@code dlr_url_allow} prefixes. Checked at submit on the addresses the host resolves to then,
 * and again at call time on the addresses the call connects to ({@link HttpClientCallback}), so
 * a name that resolves elsewhere by then (DNS rebinding) is refused too.
 */
public final class DlrUrlGuard {
  /** A call refused because its host resolves where the gateway must not call. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** Name resolution (the system's by default; tests give their own). */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  static final String NOT_ALLOWED = "dlr-url not allowed: it points to this gateway, loopback or link-local";

  private final Supplier<List<InetSocketAddress>> own;
  private final Resolver resolver;

  /** @param own the gateway's listeners (HTTP, the simulator's SMPP); an any-local host means every local address */
  public DlrUrlGuard(Supplier<List<InetSocketAddress>> own) {
    this(own, InetAddress::getAllByName);
  }

  DlrUrlGuard(Supplier<List<InetSocketAddress>> own, Resolver resolver) {
    this.own = own;
    this.resolver = resolver;
  }

  /**
   * Why this {@code dlr-url} may not be used, if it may not. A host that does not resolve now is
   * let through: the call checks again on what it resolves to then.
   */
  Optional<String> refusal(String url, List<String> allow) {
    Optional<URI> u = parse(url);
    if (u.isEmpty()) {
      return Optional.of("Invalid dlr-url");
    }
    if (allowed(u.get(), url, allow)) {
      return Optional.empty();
    }
    try {
      vetted(u.get().getHost(), port(u.get()));
      return Optional.empty();
    } catch (Refused e) {
      return Optional.of(NOT_ALLOWED);
    } catch (IOException e) {
      return Optional.empty(); // does not resolve now: the call checks what it resolves to then
    }
  }

  /** An absolute http(s) URL with a host, or empty. */
  static Optional<URI> parse(String url) {
    if (!url.regionMatches(true, 0, "http://", 0, 7) && !url.regionMatches(true, 0, "https://", 0, 8)) {
      return Optional.empty();
    }
    try {
      // Kannel's escapes (%d, %F, …) are not valid URI escapes: parse with every '%' neutralised
      // (only the scheme, user info, host and port are read from it).
      URI u = new URI(url.replace("%", "%25"));
      return u.getHost() == null || u.getHost().isEmpty() ? Optional.empty() : Optional.of(u);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /**
   * True if {@code url} starts with one of the prefixes and names the same host (and port, when
   * the prefix gives one) as that prefix: "http://localhost" does not let "http://localhost.evil/"
   * or "http://localhost@evil/" through.
   */
  static boolean allowed(URI u, String url, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (prefix.isEmpty() || !url.startsWith(prefix)) {
        continue;
      }
      Optional<URI> p = parse(prefix);
      if (p.isEmpty() || p.get().getHost() == null) {
        continue;
      }
      boolean sameHost = p.get().getHost().toLowerCase(Locale.ROOT).equals(u.getHost().toLowerCase(Locale.ROOT));
      boolean samePort = p.get().getPort() < 0 || p.get().getPort() == port(u);
      if (sameHost && samePort && u.getRawUserInfo() == null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The addresses of {@code host} a call to {@code port} may connect to: all of them, or
   * {@link Refused} if any is one the gateway must not call (a name with one bad address among
   * good ones is a rebinding attempt, not a client's server).
   */
  List<InetAddress> vetted(String host, int port) throws IOException {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] all = resolver.resolve(h);
    if (all.length == 0) {
      throw new UnknownHostException(h);
    }
    for (InetAddress a : all) {
      if (forbidden(a) || ownListener(a, port)) {
        throw new Refused("DLR callback host resolves to " + a.getHostAddress() + ", which is not called");
      }
    }
    return Arrays.asList(all);
  }

  /** Loopback, link-local, any-local, multicast, 0.0.0.0/8 and broadcast, also inside IPv6 forms that carry IPv4. */
  static boolean forbidden(InetAddress a) {
    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return b[0] == 0 || (b[0] & b[1] & b[2] & b[3]) == (byte) 0xFF;
    }
    if (a instanceof Inet6Address v6) {
      boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xFF && b[3] == (byte) 0x9B
          && Arrays.equals(b, 4, 12, new byte[8], 0, 8);
      if (v6.isIPv4CompatibleAddress() || nat64) {
        try {
          return forbidden(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }

  boolean ownListener(InetAddress a, int port) {
    for (InetSocketAddress l : own.get()) {
      if (l.getPort() != port) {
        continue;
      }
      InetAddress la = l.getAddress();
      if (la == null || la.isAnyLocalAddress() ? local(a) : la.equals(a)) {
        return true;
      }
    }
    return false;
  }

  /** An address of one of this machine's interfaces. */
  private static boolean local(InetAddress a) {
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return true; // cannot tell: treat as this machine
    }
  }
}
