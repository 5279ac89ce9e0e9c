package chatgate.core.chat;

import chatgate.core.model.Delivery;
import chatgate.core.model.Message;
import java.util.List;

/** The answer to a send: stored (and being delivered), or refused with the reason. */
public sealed interface SendResult {
  record Sent(Message message, List<Delivery> deliveries, boolean duplicate) implements SendResult {}

  record Rejected(Problem problem, String detail) implements SendResult {}

  /** Why a send was refused; each has its own message in every page format and SMS. */
  enum Problem {
    EMPTY,
    TOO_LONG,
    BAD_TEXT,
    BAD_TARGET,
    UNKNOWN_GROUP,
    NOT_MEMBER,
    NO_PARTNER
  }
}
