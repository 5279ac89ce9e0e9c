package chatgate.web;

import static chatgate.web.WebFixture.csrf;
import static chatgate.web.WebFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "behind the documented proxy every user shares one address" and "two X-MSISDN
 * headers: the first wins": the client address from the trusted X-Forwarded-For chain only, the
 * MSISDN header only from a trusted gateway and only once, IPv6 counted by /64. Real Jetty.
 */
class ClientAddressTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  WebFixture web;

  @AfterEach
  void close() {
    if (web != null) {
      web.close();
    }
  }

  /** Asks for a login code for {@code number}, the request carrying these extra headers. */
  private int requestCode(String number, String... headers) throws Exception {
    var p = web.phone(number);
    String page = p.get("/login", headers).body();
    return p.post("/login", form("phone", number, "csrf", csrf(page)), headers).statusCode();
  }

  /** A number in its own block (the last three digits dropped), so the per-block code limit stays out of the way. */
  private static String number(int i) {
    return "+861390" + String.format("%02d", i) + "00001";
  }

  @Test
  void aForgedForwardedForFromAnUntrustedClientIsIgnored() throws Exception {
    // 127.0.0.1 is an operator WAP gateway (its MSISDN header counts) but forwards no addresses.
    web = new WebFixture(List.of("127.0.0.1/32"), List.of(), "127.0.0.1", "", Optional.empty());
    for (int i = 0; i < 10; i++) {
      assertThat(requestCode(number(i), "X-Forwarded-For", "198.51.100." + i)).isEqualTo(200);
    }
    assertThat(requestCode(number(10), "X-Forwarded-For", "198.51.100.77"))
        .as("rotating X-Forwarded-For does not escape the per-address limit").isEqualTo(429);
  }

  @Test
  void behindARealIpFromProxyOneUsersCodeRequestsDoNotLockOutAnother() throws Exception {
    web = new WebFixture(List.of(), List.of("127.0.0.1/32"), "127.0.0.1", "", Optional.empty());
    for (int i = 0; i < 10; i++) {
      assertThat(requestCode(number(i), "X-Forwarded-For", "203.0.113.5")).isEqualTo(200);
    }
    assertThat(requestCode(number(10), "X-Forwarded-For", "203.0.113.5")).isEqualTo(429);
    assertThat(requestCode(number(11), "X-Forwarded-For", "203.0.113.9")).as("another user behind the proxy")
        .isEqualTo(200);
    // A hop the client wrote left of what the proxy saw is not believed.
    assertThat(requestCode(number(12), "X-Forwarded-For", "203.0.113.66, 203.0.113.5")).isEqualTo(429);
  }

  @Test
  void ipv6AddressesInOneSlash64ShareALimit() throws Exception {
    web = new WebFixture(List.of(), List.of("127.0.0.1/32"), "127.0.0.1", "", Optional.empty());
    for (int i = 0; i < 10; i++) {
      assertThat(requestCode(number(i), "X-Forwarded-For", "2001:db8:1:2::" + Integer.toHexString(i + 1)))
          .isEqualTo(200);
    }
    assertThat(requestCode(number(10), "X-Forwarded-For", "2001:db8:1:2:ffff:ffff:ffff:fffe")).isEqualTo(429);
    assertThat(requestCode(number(11), "X-Forwarded-For", "2001:db8:1:3::1")).as("the next /64").isEqualTo(200);
  }

  @Test
  void twoMsisdnHeadersFromATrustedProxyAreRefused() throws Exception {
    web = new WebFixture(List.of("127.0.0.1/32"), Optional.empty());
    var p = web.phone(B);
    HttpResponse<String> two = p.post("/chat", form("to", A, "text", "x"), "X-MSISDN", B, "X-MSISDN", A);
    assertThat(two.statusCode()).isEqualTo(400);
    assertThat(two.body()).contains("more than one phone number header");
    HttpResponse<String> listed = p.get("/chat", "X-MSISDN", A + ", " + B);
    assertThat(listed.statusCode()).isEqualTo(400);
    p.language = "zh";
    assertThat(p.get("/chat", "X-MSISDN", A + "," + B).body()).contains("多个手机号码标头");
    assertThat(web.core.presence.presence(Msisdn.of(A), web.core.clock.instant()).online()).isFalse();
    assertThat(web.core.presence.presence(Msisdn.of(B), web.core.clock.instant()).online()).isFalse();
    // One header is fine.
    assertThat(p.get("/chat", "X-MSISDN", B).statusCode()).isEqualTo(200);
  }

  @Test
  void theMsisdnHeaderCountsWhenATrustedGatewayIsVouchedForByARealIpFromProxy() throws Exception {
    // A load balancer (127.0.0.1) in front of the operator's WAP gateway (10.20.0.5).
    web = new WebFixture(List.of("10.20.0.0/24"), List.of("127.0.0.1/32"), "127.0.0.1", "", Optional.empty());
    var p = web.phone(B);
    assertThat(p.get("/chat", "X-MSISDN", B, "X-Forwarded-For", "10.20.0.5").statusCode()).isEqualTo(200);
    // A stranger behind the same load balancer, claiming the gateway's address on the left: no.
    var q = web.phone(A);
    HttpResponse<String> forged = q.get("/chat", "X-MSISDN", A, "X-Forwarded-For", "10.20.0.5, 198.51.100.1");
    assertThat(forged.statusCode()).isEqualTo(302);
    assertThat(forged.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
  }

  @Test
  void rateKeysGroupIpv6By64AndKeepIpv4() {
    assertThat(ClientAddress.rateKey("192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ClientAddress.rateKey("2001:db8:1:2::a")).isEqualTo(ClientAddress.rateKey("[2001:db8:1:2:ffff::1]"));
    assertThat(ClientAddress.rateKey("2001:db8:1:2::a")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.rateKey("2001:db8:1:3::a")).isNotEqualTo(ClientAddress.rateKey("2001:db8:1:2::a"));
    ClientAddress addresses = new ClientAddress(List.of("10.0.0.0/8"), List.of("192.0.2.0/24"));
    assertThat(addresses.of("10.0.0.1", List.of("198.51.100.1, 10.0.0.2", "10.0.0.3")))
        .isEqualTo(new ClientAddress.Client("198.51.100.1", false));
    assertThat(addresses.of("10.0.0.1", List.of("example.org"))).isEqualTo(new ClientAddress.Client("10.0.0.1", false));
    assertThat(addresses.of("198.51.100.9", List.of("10.0.0.1"))).isEqualTo(new ClientAddress.Client("198.51.100.9", false));
    assertThat(addresses.of("10.0.0.1", List.of("192.0.2.4"))).isEqualTo(new ClientAddress.Client("192.0.2.4", true));
  }
}
