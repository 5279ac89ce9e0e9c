package chatgate.core.delivery;

import java.time.Duration;

/**
 * @param wapIdle how long a refreshing page has to show a message before it goes by SMS
 * @param retention how long offline messages are kept, and how long an SMS is retried
 * @param maxAttempts SMS attempts before giving up
 * @param firstRetry delay after the first temporary failure; doubles each time
 * @param maxRetry the longest delay between attempts
 * @param pollEvery how often due retries and timeouts are looked for
 * @param maxSegments the most SMS parts one chat message may cost
 * @param smsInFlight SMS submitted whose outcome is not yet committed, at most (the SMPP window)
 * @param inDoubtWait how long an SMS whose submit a crash left in doubt waits for a delivery
 *     receipt that settles it before it is sent again; zero: no marker is written before a
 *     submit, and a crash may send up to {@code smsInFlight} SMS twice (ADR 0011)
 * @param pushAckWait how long a message pushed to an open page's stream waits for the page to
 *     acknowledge it before it goes by SMS or is kept, as if the page were gone (a closed tab, a
 *     connection dead without a FIN)
 */
public record DeliverySettings(
    Duration wapIdle,
    Duration retention,
    int maxAttempts,
    Duration firstRetry,
    Duration maxRetry,
    Duration pollEvery,
    int maxSegments,
    int smsInFlight,
    Duration inDoubtWait,
    Duration pushAckWait) {}
