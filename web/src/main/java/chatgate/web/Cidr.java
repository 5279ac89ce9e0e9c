package chatgate.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block of {@code [http] trusted_proxies}, {@code real_ip_from} or a sendsms user's
 * {@code allow_ip}: "10.0.0.0/8", "192.0.2.7", "fd00::/8". The one parser: the config check uses
 * {@link #valid} so what it accepts is exactly what the web adapter can use.
 */
public final class Cidr {
  private final byte[] network;
  private final int bits;

  private Cidr(byte[] network, int bits) {
    this.network = network;
    this.bits = bits;
  }

  /** True if {@link #parse} takes it. */
  public static boolean valid(String s) {
    try {
      parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static Cidr parse(String s) {
    String t = s.strip();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    try {
      if (!literal(addr)) {
        throw new IllegalArgumentException("not an address: " + s); // never a DNS lookup
      }
      byte[] n = InetAddress.getByName(addr).getAddress();
      String len = slash < 0 ? "" : t.substring(slash + 1);
      if (slash >= 0 && !len.matches("\\d{1,3}")) {
        throw new IllegalArgumentException("bad prefix length: " + s);
      }
      int b = slash < 0 ? n.length * 8 : Integer.parseInt(len);
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
    if (a == null || a.length() > 45) {
      return false;
    }
    if (a.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      // "300.1.1.1" is not an IPv4 literal to the JDK: it would be looked up as a name.
      for (String octet : a.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return false;
        }
      }
      return true;
    }
    return a.contains(":") && a.matches("[0-9a-fA-F.:]+");
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
