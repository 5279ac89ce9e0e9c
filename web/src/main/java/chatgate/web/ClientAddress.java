package chatgate.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is on the other end of a request, and whether its MSISDN header may be believed (issue 15).
 * The client is the socket's address; when that is a reverse proxy of {@code [http] real_ip_from},
 * the {@code X-Forwarded-For} chain (every header line, in order) is walked from the right while
 * the hops are such proxies, and the first hop that is not is the client (as nginx's
 * {@code real_ip_recursive}). Hops left of it were written by the client and are never believed.
 * The MSISDN header counts only when the socket or one of the hops walked (each vouched for by
 * the proxy to its right) is in {@code [http] trusted_proxies}: forwarding addresses and
 * vouching for a phone number are separate trusts.
 */
final class ClientAddress {
  /** The client's address, and whether an MSISDN header with the request is a trusted gateway's. */
  record Client(String address, boolean msisdnTrusted) {}

  private final List<Cidr> realIpFrom;
  private final List<Cidr> trusted;

  ClientAddress(List<String> realIpFrom, List<String> trustedProxies) {
    this.realIpFrom = realIpFrom.stream().map(Cidr::parse).toList();
    this.trusted = trustedProxies.stream().map(Cidr::parse).toList();
  }

  Client of(String socket, List<String> forwardedFor) {
    String client = socket;
    boolean vouched = in(trusted, socket);
    if (in(realIpFrom, socket)) {
      List<String> hops = new ArrayList<>();
      for (String line : forwardedFor) {
        for (String h : line.split(",")) {
          if (!h.isBlank()) {
            hops.add(h.strip());
          }
        }
      }
      for (int i = hops.size() - 1; i >= 0; i--) {
        String hop = hops.get(i);
        if (!literal(hop)) {
          break; // garbage from the client side: the last proxy's view stands
        }
        client = hop;
        vouched |= in(trusted, hop);
        if (!in(realIpFrom, hop)) {
          break;
        }
      }
    }
    return new Client(client, vouched);
  }

  /**
   * The key a client's requests are counted under for rate limits: an IPv4 address as it is, an
   * IPv6 address by its /64 (one subscriber or host is given a whole /64, so counting single
   * addresses would let it rotate through 2^64 of them).
   */
  static String rateKey(String address) {
    String a = strip(address);
    if (!literal(a)) {
      return a;
    }
    try {
      InetAddress ip = InetAddress.getByName(a);
      if (ip instanceof Inet6Address) {
        byte[] b = ip.getAddress();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
          s.append(Integer.toHexString(((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF))).append(':');
        }
        return s.append(":/64").toString();
      }
      return ip.getHostAddress();
    } catch (UnknownHostException e) {
      return a;
    }
  }

  private static boolean in(List<Cidr> blocks, String address) {
    for (Cidr c : blocks) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static String strip(String address) {
    String a = address == null ? "" : address.strip();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    int scope = a.indexOf('%');
    return scope >= 0 ? a.substring(0, scope) : a;
  }

  /** A literal IPv4 or IPv6 address (never a name: no DNS lookup is ever made for a header). */
  private static boolean literal(String address) {
    return Cidr.literal(strip(address));
  }
}
