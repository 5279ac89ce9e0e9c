package chatgate.web;

import java.time.Duration;
import java.util.List;

/**
 * @param host address to listen on
 * @param port port; 0 picks a free one
 * @param publicUrl base URL users see (cookies are Secure when it is https)
 * @param trustedProxies CIDRs of operator gateways whose MSISDN header is believed
 * @param msisdnHeader the header such a gateway sets
 * @param wapIdle not browsing after this long without a fetch
 * @param maxChars longest text accepted
 * @param refresh how often script-less pages reload themselves
 */
public record WebSettings(
    String host,
    int port,
    String publicUrl,
    List<String> trustedProxies,
    String msisdnHeader,
    Duration wapIdle,
    int maxChars,
    Duration refresh) {}
