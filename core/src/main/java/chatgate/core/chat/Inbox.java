package chatgate.core.chat;

import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Target;
import chatgate.core.port.MessageStore.Item;
import chatgate.core.port.ReadMarkers;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a phone has not read yet, conversation by conversation (issue 18, ADR 0047): the counts of
 * the conversation list, and the "New messages" a page shows until their conversation is opened
 * (a reload does not clear them). Opening a conversation reads it up to its newest line shown.
 */
public final class Inbox {
  /** How many of a phone's newest deliveries are looked at: enough for any count a page shows. */
  public static final int WINDOW = 200;

  private final ReadMarkers markers;

  public Inbox(ReadMarkers markers) {
    this.markers = markers;
  }

  /** The unread messages, newest first, and how many in each conversation. */
  public record Unread(List<Item> newestFirst, Map<Target, Integer> counts) {
    public int count(Target conversation) {
      return counts.getOrDefault(conversation, 0);
    }
  }

  /** What {@code me} has not read, leaving out the conversation on the screen right now, if any. */
  public Unread unread(Msisdn me, Optional<Target> open) {
    List<Item> items = markers.unread(me, WINDOW).stream()
        .filter(i -> open.map(o -> !o.equals(conversation(i.message()))).orElse(true)).toList();
    Map<Target, Integer> counts = new HashMap<>();
    for (Item i : items) {
      counts.merge(conversation(i.message()), 1, Integer::sum);
    }
    return new Unread(items, Map.copyOf(counts));
  }

  /** {@code me} was shown these lines of a conversation: it is read up to the newest of them. */
  public void read(Msisdn me, Target conversation, Collection<Message> shown) {
    shown.stream().map(Message::id).max(MessageId::compareTo)
        .ifPresent(newest -> markers.markRead(me, conversation, newest));
  }

  /** The conversation a message belongs to for the phone that got it: its group, else its sender. */
  public static Target conversation(Message m) {
    return m.group().<Target>map(g -> g).or(() -> m.sender().map(s -> s)).orElse(m.target());
  }
}
