package chatgate.core.port;

import chatgate.core.model.GroupId;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.SentReport;
import java.time.Instant;
import java.util.Optional;

/** The WAP/web channel's live side (P2.4): open event streams of a recipient. */
public interface LivePush {

  /** A message as pushed to a page, with its reply link token (P2.7). */
  record PushItem(
      long deliveryId,
      MessageId messageId,
      Optional<Msisdn> sender,
      String senderLabel,
      Optional<GroupId> group,
      String body,
      String replyToken,
      Instant at) {}

  /** Writes the item to the recipient's open streams; true if at least one took it. */
  boolean push(Msisdn recipient, PushItem item);

  /**
   * Tells the sender's open pages that a message they sent changed state (issue 16). Best
   * effort and unanswered: a page that misses one shows the state on its next load.
   */
  default void pushState(Msisdn sender, SentReport report) {}
}
