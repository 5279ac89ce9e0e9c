package chatgate.web;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * @param host address to listen on
 * @param port port; 0 picks a free one
 * @param publicUrl base URL users see (cookies are Secure when it is https)
 * @param trustedProxies CIDRs of operator gateways whose MSISDN header is believed
 * @param msisdnHeader the header such a gateway sets
 * @param wapIdle not browsing after this long without a fetch
 * @param maxChars longest text accepted
 * @param refresh how often script-less pages reload themselves
 * @param realIpFrom CIDRs of reverse proxies whose {@code X-Forwarded-For} hops are believed
 * @param simPassword the password of {@code /sim/} (user {@code sim}) on a listener that is not
 *     loopback; empty: {@code /sim/} only on a loopback listener
 * @param timeZone the zone pages show times in for a user who has not chosen one; empty: the
 *     machine's
 */
public record WebSettings(
    String host,
    int port,
    String publicUrl,
    List<String> trustedProxies,
    String msisdnHeader,
    Duration wapIdle,
    int maxChars,
    Duration refresh,
    List<String> realIpFrom,
    String simPassword,
    Optional<ZoneId> timeZone) {

  public WebSettings {
    realIpFrom = List.copyOf(realIpFrom);
    simPassword = simPassword == null ? "" : simPassword;
    timeZone = timeZone == null ? Optional.empty() : timeZone;
  }

  /** Times in the machine's zone. */
  public WebSettings(String host, int port, String publicUrl, List<String> trustedProxies, String msisdnHeader,
      Duration wapIdle, int maxChars, Duration refresh, List<String> realIpFrom, String simPassword) {
    this(host, port, publicUrl, trustedProxies, msisdnHeader, wapIdle, maxChars, refresh, realIpFrom, simPassword,
        Optional.empty());
  }

  /** No forwarding proxies, no simulator password. */
  public WebSettings(String host, int port, String publicUrl, List<String> trustedProxies, String msisdnHeader,
      Duration wapIdle, int maxChars, Duration refresh) {
    this(host, port, publicUrl, trustedProxies, msisdnHeader, wapIdle, maxChars, refresh, List.of(), "");
  }

  @Override
  public String toString() {
    return "WebSettings[host=" + host + ", port=" + port + ", publicUrl=" + publicUrl + ", trustedProxies="
        + trustedProxies + ", realIpFrom=" + realIpFrom + ", simPassword=" + (simPassword.isEmpty() ? "" : "***")
        + ", timeZone=" + timeZone.map(ZoneId::getId).orElse("") + "]";
  }
}
