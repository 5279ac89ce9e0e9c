package chatgate.core.port;

import chatgate.core.model.Origin;
import chatgate.core.model.Route;
import java.time.Duration;

/**
 * What the core counts and times for operators (the app exports it as Prometheus metrics).
 * Calls are cheap and never throw; the default does nothing, so tests and tools need none.
 */
public interface Telemetry {
  Telemetry NONE = new Telemetry() {};

  /** A message accepted (stored) from this origin, with this many deliveries. */
  default void accepted(Origin origin, int deliveries) {}

  /** A mobile-originated SMS stored (after reassembly). */
  default void mo() {}

  /** The SMSC took an MT of this many segments. */
  default void mtSubmitted(Route route, int segments) {}

  /** A delivery reached its final state by this route ({@code PUSHED}, {@code SENT}, …), after this long since accept. */
  default void delivered(Route route, String state, Duration sinceAccepted) {}

  /** A delivery will be tried again. */
  default void retry() {}

  /** A delivery receipt from the SMSC with this final status (DELIVRD, UNDELIV, …). */
  default void dlr(String status) {}

  /** A failed login: {@code "code"} (web one-time code) or {@code "im"} (IM password by SMS). */
  default void loginFailure(String kind) {}

  /** A limit on what costs money or guesses refused a request ({@code daily_codes}, {@code sender_daily}, …). */
  default void limitTripped(String limit) {}
}
