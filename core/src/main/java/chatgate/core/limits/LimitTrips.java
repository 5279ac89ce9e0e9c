package chatgate.core.limits;

import chatgate.core.port.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells operators that a limit refused something: a metric each time, and one WARN line per
 * limit and window (a pumping run trips a limit thousands of times a minute; the log must stay
 * readable). The line names the limit and a masked number or address block, never a full MSISDN.
 */
public final class LimitTrips {
  private static final Logger log = LoggerFactory.getLogger(LimitTrips.class);

  private volatile Telemetry telemetry = Telemetry.NONE;
  /** The window each limit name last logged in, as epoch milliseconds of its start. */
  private final Map<String, Long> logged = new ConcurrentHashMap<>();

  public void telemetry(Telemetry t) {
    this.telemetry = t;
  }

  /**
   * @param limit the limit's name, the metric's label (a small fixed set)
   * @param max the limit's units per window; 0 for a refusal that is not counted (a destination)
   * @param window the limit's window, so that it is logged once per window
   * @param what what was refused, already masked
   */
  public void trip(String limit, int max, Duration window, Instant now, String what) {
    telemetry.limitTripped(limit);
    long w = window.toMillis();
    long start = Math.floorDiv(now.toEpochMilli(), w) * w;
    Long before = logged.put(limit, start);
    if (before == null || before != start) {
      if (max > 0) {
        log.warn("limit {} reached ({} per {}): refused {}, and the rest until {}", limit, max, window, what,
            Instant.ofEpochMilli(start + w));
      } else {
        log.warn("{}: refused {} (outside [sms] allowed_destinations); the next such refusal logged after {}",
            limit, what, Instant.ofEpochMilli(start + w));
      }
    }
  }
}
