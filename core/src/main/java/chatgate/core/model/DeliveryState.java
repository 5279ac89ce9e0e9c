package chatgate.core.model;

/**
 * Where one recipient's copy of a message stands. The delivery stage moves it; the store keeps
 * it so that a restart resumes where it stopped.
 */
public enum DeliveryState {
  /** Accepted, to be routed (now, or at {@code nextAttemptAt} after a failure). */
  PENDING(false),
  /** Shown on a page that refreshes itself; confirmed when that page is fetched (P2.4). */
  AWAITING_FETCH(false),
  /**
   * A submit_sm is under way and its outcome not yet recorded. Found so after a crash, the SMSC
   * may or may not have taken it (SMPP has no idempotent submit): a delivery receipt that
   * matches it settles it; without one it is sent again at {@code nextAttemptAt} (ADR 0011).
   */
  SUBMITTING(false),
  /** Pushed to an open page or stream of the recipient (P2.4). */
  PUSHED(true),
  /** Accepted by the SMSC (P2.5, P2.6). */
  SENT(true),
  /** The SMSC reported it delivered to the handset. */
  DELIVERED(true),
  /** Not sent by SMS because the recipient sent STOP; kept for the web only. */
  KEPT(true),
  /** Given up: a permanent error, or too many attempts. */
  FAILED(true);

  private final boolean done;

  DeliveryState(boolean done) {
    this.done = done;
  }

  /** No further work by the delivery stage (a DLR may still refine SENT). */
  public boolean done() {
    return done;
  }
}
