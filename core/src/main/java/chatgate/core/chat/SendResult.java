package chatgate.core.chat;

import chatgate.core.model.Delivery;
import chatgate.core.model.Message;
import java.util.List;

/** The answer to a send: stored (and being delivered), or refused with the reason. */
public sealed interface SendResult {
  record Sent(Message message, List<Delivery> deliveries, boolean duplicate) implements SendResult {}

  /**
   * @param repeated the sender was already refused for this reason in this window: an answer by
   *     SMS (which costs the operator too) is not sent again
   */
  record Rejected(Problem problem, String detail, boolean repeated) implements SendResult {
    public Rejected(Problem problem, String detail) {
      this(problem, detail, false);
    }
  }

  /** Why a send was refused; each has its own message in every page format and SMS. */
  enum Problem {
    EMPTY,
    TOO_LONG,
    BAD_TEXT,
    BAD_TARGET,
    UNKNOWN_GROUP,
    NOT_MEMBER,
    NO_PARTNER,
    /** A quota of the sender is spent ({@code [chat]}); the detail is the minutes until it resets. */
    OVER_QUOTA,
    /** The number is outside {@code [sms] allowed_destinations}; the detail is the number as shown. */
    DENIED_DESTINATION,
    /** The recipient blocked the sender (ADR 0040); the detail is the recipient as the sender sees them. */
    BLOCKED
  }
}
