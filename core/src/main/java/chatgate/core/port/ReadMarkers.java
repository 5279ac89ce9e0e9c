package chatgate.core.port;

import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Target;
import java.util.List;

/**
 * How far each phone has read each of its conversations (issue 18): the unread counts of the
 * conversation list, and "New messages" that a reload does not clear, only opening the
 * conversation does. A conversation is a phone partner or a group.
 */
public interface ReadMarkers {

  /**
   * {@code reader} has seen {@code conversation} up to this message: its marker moves there, never
   * back (two pages showing the conversation at once may mark out of order). Durable on return.
   */
  void markRead(Msisdn reader, Target conversation, MessageId upTo);

  /**
   * Chat messages {@code reader} got (from a phone to them, or in a group, as their deliveries)
   * newer than their marker in that conversation, newest first: among their newest
   * {@code window} deliveries only, so the read is bounded however long the history. Messages
   * from the gateway itself, to or from IM contacts, and the reader's own are never unread.
   */
  List<MessageStore.Item> unread(Msisdn reader, int window);
}
