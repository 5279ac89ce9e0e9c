package chatgate.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block of {@code [http] trusted_proxies} or {@code real_ip_from}: "10.0.0.0/8", "192.0.2.7", "fd00::/8". */
final class Cidr {
  private final byte[] network;
  private final int bits;

  private Cidr(byte[] network, int bits) {
    this.network = network;
    this.bits = bits;
  }

  static Cidr parse(String s) {
    String t = s.strip();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    try {
      if (!addr.matches("[0-9a-fA-F.:]+")) {
        throw new IllegalArgumentException("not an address: " + s); // never a DNS lookup
      }
      byte[] n = InetAddress.getByName(addr).getAddress();
      int b = slash < 0 ? n.length * 8 : Integer.parseInt(t.substring(slash + 1));
      if (b < 0 || b > n.length * 8) {
        throw new IllegalArgumentException("bad prefix length: " + s);
      }
      return new Cidr(n, b);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not an address or CIDR: " + s, e);
    }
  }

  /**
   * A literal IPv4 (dotted quad) or IPv6 address, never a name: {@code InetAddress.getByName}
   * resolves anything else through DNS, and a header must never make the gateway look a name up.
   */
  static boolean literal(String a) {
    return a != null && a.length() <= 45
        && (a.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (a.contains(":") && a.matches("[0-9a-fA-F.:]+")));
  }

  boolean contains(String address) {
    if (address == null) {
      return false;
    }
    String clean = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    int scope = clean.indexOf('%');
    if (scope >= 0) {
      clean = clean.substring(0, scope);
    }
    if (!literal(clean)) {
      return false; // only literal addresses: never a DNS lookup
    }
    byte[] a;
    try {
      a = InetAddress.getByName(clean).getAddress();
    } catch (UnknownHostException e) {
      return false;
    }
    if (a.length != network.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (a[full] & mask) == (network[full] & mask);
  }
}
