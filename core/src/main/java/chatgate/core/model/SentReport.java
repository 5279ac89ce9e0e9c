package chatgate.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message as its sender follows it (issue 16): one {@link SentState} per recipient, with the
 * name the sender knows them by. A message to one phone has one copy; a group message has one
 * per member, summarised as "delivered 3/5".
 *
 * @param copies in delivery order
 */
public record SentReport(MessageId messageId, Target target, Instant acceptedAt, List<Copy> copies) {

  /**
   * One recipient's copy.
   *
   * @param at when its state last changed
   */
  public record Copy(Msisdn recipient, String label, SentState state, Instant at) {
    public Copy {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(at, "at");
    }
  }

  public SentReport {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(acceptedAt, "acceptedAt");
    copies = List.copyOf(copies);
  }

  public boolean group() {
    return target instanceof GroupId;
  }

  public int total() {
    return copies.size();
  }

  /** Copies on the handset or shown on a page. */
  public int reached() {
    return (int) copies.stream().filter(c -> c.state().phase().reached()).count();
  }

  /** Copies that failed or were not sent by SMS. */
  public int failed() {
    return (int) copies.stream().filter(c -> c.state().phase().failed()).count();
  }

  /** Copies still on their way: queued, on a page not yet shown, or sent and waiting for a receipt. */
  public int underWay() {
    return total() - reached() - failed();
  }

  /**
   * The state to show for the message as a whole: the one copy's, or for a group the least
   * advanced copy's that is not failed (a group message is delivered once every member has it),
   * or failed when all failed.
   */
  public SentState overall() {
    SentState least = null;
    for (Copy c : copies) {
      SentState s = c.state();
      if (copies.size() == 1) {
        return s;
      }
      if (!s.phase().failed() && (least == null || rank(s.phase()) < rank(least.phase()))) {
        least = s;
      }
    }
    if (least != null) {
      return least;
    }
    return copies.isEmpty() ? new SentState(SentState.Phase.QUEUED, SentState.Reason.NONE) : copies.getFirst().state();
  }

  /** Progress order for the summary: queued, on their page, sent by SMS, delivered, seen. */
  private static int rank(SentState.Phase p) {
    return switch (p) {
      case QUEUED -> 0;
      case ON_PAGE -> 1;
      case SENT -> 2;
      case DELIVERED -> 3;
      case SEEN -> 4;
      case NOT_SENT, FAILED -> 5;
    };
  }
}
