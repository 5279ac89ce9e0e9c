package chatgate.core.model;

import java.util.Locale;
import java.util.Objects;

/**
 * What the sender of a message sees of one recipient's copy (issue 16): where it stands, in the
 * sender's terms rather than the delivery stage's, and why it did not go when it did not. Derived
 * from the {@link Delivery} alone, so the page, the event stream and the {@code STATUS} SMS say
 * the same thing, and nothing is written to show it (ADR 0021).
 */
public record SentState(Phase phase, Reason reason) {

  /** The sender's view of a delivery's progress, from accepted to done. */
  public enum Phase {
    /** Accepted, not yet out: waiting to be routed, being submitted, or waiting for a retry. */
    QUEUED,
    /** On the recipient's page (an open stream, or the next fetch of a refreshing page), not yet shown. */
    ON_PAGE,
    /** Accepted by the SMSC; no receipt yet. */
    SENT,
    /** The SMSC's receipt says the handset has it. */
    DELIVERED,
    /** Shown on the recipient's page (a page fetched, or a push the page acknowledged). */
    SEEN,
    /** Not sent by SMS ({@link Reason}), kept for the recipient's page: seen once they open it. */
    NOT_SENT,
    /** Given up, with the {@link Reason}. */
    FAILED;

    /** Reached the recipient: on their handset or shown on their page. */
    public boolean reached() {
      return this == DELIVERED || this == SEEN;
    }

    /** Will not reach them by SMS ({@link #NOT_SENT}) or at all ({@link #FAILED}). */
    public boolean failed() {
      return this == NOT_SENT || this == FAILED;
    }
  }

  /** Why a copy did not go, or is late, in words a sender understands. */
  public enum Reason {
    NONE,
    /** An SMS attempt failed for now; another follows. */
    RETRYING,
    /** The recipient sent STOP. */
    STOP,
    /** The number is outside {@code [sms] allowed_destinations}. */
    NOT_ALLOWED,
    /** The receipt said undeliverable, expired or deleted: the phone was off, out of coverage, or gone. */
    UNREACHABLE,
    /** The receipt said rejected: the network refused it. */
    REJECTED,
    /** The SMSC refused the destination address. */
    BAD_NUMBER,
    /** The SMSC refused the message for another reason. */
    REFUSED,
    /** Not delivered within the retention ({@code [sms] retention}). */
    EXPIRED,
    /** The SMS link stayed down through every attempt. */
    LINK_DOWN,
    /** Anything else. */
    OTHER
  }

  public SentState {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(reason, "reason");
  }

  /** ESME_RINVDSTADR: the SMSC's "invalid destination address". */
  private static final String INVALID_DESTINATION = "smsc status 0xb";

  /**
   * A delivery as its sender sees it. Shown on the recipient's page beats every other progress
   * (they read it); a failure is a failure even if the page was opened later.
   */
  public static SentState of(Delivery d) {
    String error = d.lastError().orElse("");
    return switch (d.state()) {
      case FAILED -> new SentState(Phase.FAILED, reason(error));
      case KEPT -> d.seenAt().isPresent() ? new SentState(Phase.SEEN, Reason.NONE)
          : new SentState(Phase.NOT_SENT, error.isEmpty() ? Reason.NONE : reason(error));
      case PUSHED -> new SentState(Phase.SEEN, Reason.NONE);
      case AWAITING_FETCH -> new SentState(Phase.ON_PAGE, Reason.NONE);
      case PENDING, SUBMITTING -> d.seenAt().isPresent() ? new SentState(Phase.SEEN, Reason.NONE)
          : new SentState(Phase.QUEUED, d.attempts() > 0 ? Reason.RETRYING : Reason.NONE);
      case SENT -> d.seenAt().isPresent() ? new SentState(Phase.SEEN, Reason.NONE)
          : new SentState(Phase.SENT, Reason.NONE);
      case DELIVERED -> d.seenAt().isPresent() ? new SentState(Phase.SEEN, Reason.NONE)
          : new SentState(Phase.DELIVERED, Reason.NONE);
    };
  }

  /** The delivery stage's error text (its log words, the SMSC's status, a receipt's stat) in the sender's terms. */
  static Reason reason(String error) {
    if (error.equals("recipient sent STOP")) {
      return Reason.STOP;
    }
    if (error.equals("destination not allowed")) {
      return Reason.NOT_ALLOWED;
    }
    if (error.equals("expired")) {
      return Reason.EXPIRED;
    }
    if (error.startsWith("DLR ")) {
      return error.substring(4).strip().toUpperCase(Locale.ROOT).startsWith("REJECT") ? Reason.REJECTED
          : Reason.UNREACHABLE;
    }
    if (error.equals(INVALID_DESTINATION)) {
      return Reason.BAD_NUMBER;
    }
    if (error.startsWith("smsc status") || error.startsWith("cannot encode") || error.startsWith("bad PDU")) {
      return Reason.REFUSED;
    }
    if (error.startsWith("smpp") || error.startsWith("not sent") || error.equals("interrupted")) {
      return Reason.LINK_DOWN;
    }
    return Reason.OTHER;
  }
}
