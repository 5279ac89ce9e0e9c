package chatgate.core.auth;

import java.time.Duration;

/**
 * Limits of the web login by one-time SMS code.
 *
 * @param codeTtl how long a code is valid
 * @param lockWindow failures and requests are counted over this window
 * @param maxFailuresPerNumber wrong codes for one number before it is locked for the window
 * @param maxFailuresPerAddress wrong codes from one client address before it is locked
 * @param maxCodesPerNumber codes sent to one number per window (an SMS costs money)
 * @param maxCodesPerAddress codes one client address may ask for per window
 * @param sessionTtl a session not used for this long ends
 */
public record AuthSettings(
    Duration codeTtl,
    Duration lockWindow,
    int maxFailuresPerNumber,
    int maxFailuresPerAddress,
    int maxCodesPerNumber,
    int maxCodesPerAddress,
    Duration sessionTtl) {

  public static AuthSettings defaults() {
    return new AuthSettings(Duration.ofMinutes(5), Duration.ofMinutes(15), 5, 20, 3, 10, Duration.ofDays(30));
  }
}
