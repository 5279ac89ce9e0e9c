package chatgate.core.auth;

import java.time.Duration;

/**
 * Limits of the web login by one-time SMS code.
 *
 * @param codeTtl how long a code is valid
 * @param lockWindow failures and requests are counted over this window
 * @param maxFailuresPerNumber code guesses for one number per window (a right one ends the count)
 * @param maxFailuresPerAddress wrong code guesses from one client address per window
 * @param maxCodesPerNumber codes sent to one number per window (an SMS costs money)
 * @param maxCodesPerAddress codes one client address may ask for per window
 * @param sessionTtl a session not used for this long ends
 * @param codesPerMinute code SMS the whole gateway sends per minute ({@code [login] codes_per_minute})
 * @param codesPerBlockPerHour code SMS per hour to one block, a number without its last three
 *     digits ({@code [login] codes_per_block_per_hour})
 * @param dailyCodes code SMS per day, 00:00 to 24:00 UTC ({@code [login] daily_codes})
 */
public record AuthSettings(
    Duration codeTtl,
    Duration lockWindow,
    int maxFailuresPerNumber,
    int maxFailuresPerAddress,
    int maxCodesPerNumber,
    int maxCodesPerAddress,
    Duration sessionTtl,
    int codesPerMinute,
    int codesPerBlockPerHour,
    int dailyCodes) {

  public static AuthSettings defaults() {
    return new AuthSettings(Duration.ofMinutes(5), Duration.ofMinutes(15), 5, 20, 3, 10, Duration.ofDays(30), 30, 10,
        1000);
  }

  /** These settings with the operator's budget for code SMS ({@code [login]}). */
  public AuthSettings withCodeBudget(int perMinute, int perBlockPerHour, int daily) {
    return new AuthSettings(codeTtl, lockWindow, maxFailuresPerNumber, maxFailuresPerAddress, maxCodesPerNumber,
        maxCodesPerAddress, sessionTtl, perMinute, perBlockPerHour, daily);
  }
}
