package chatgate.core.memory;

import chatgate.core.model.Delivery;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Target;
import chatgate.core.port.MessageStore;
import chatgate.core.port.ReadMarkers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Read markers in memory over any {@link MessageStore}: the reference behaviour of the contract.
 * It walks the reader's partners and conversations, which a database answers with one query.
 */
public final class MemoryReadMarkers implements ReadMarkers {
  private final MessageStore store;
  private final Map<String, Long> markers = new HashMap<>();

  public MemoryReadMarkers(MessageStore store) {
    this.store = store;
  }

  private static String key(Msisdn reader, Target conversation) {
    return reader.e164() + "|" + conversation.getClass().getSimpleName() + "|" + conversation.id();
  }

  @Override
  public synchronized void markRead(Msisdn reader, Target conversation, MessageId upTo) {
    markers.merge(key(reader, conversation), upTo.value(), Math::max);
  }

  @Override
  public synchronized List<MessageStore.Item> unread(Msisdn reader, int window) {
    List<MessageStore.Item> got = new ArrayList<>();
    for (MessageStore.Partner p : store.partners(reader, window)) {
      for (Message m : store.conversation(reader, p.target(), window)) {
        if (m.sender().isEmpty() || m.sender().get().equals(reader)) {
          continue;
        }
        for (Delivery d : store.deliveriesOf(m.id())) {
          if (d.recipient().equals(reader)) {
            got.add(new MessageStore.Item(d, m));
          }
        }
      }
    }
    got.sort(Comparator.comparing((MessageStore.Item i) -> i.message().id().value()).reversed());
    List<MessageStore.Item> out = new ArrayList<>();
    for (MessageStore.Item i : got.subList(0, Math.min(window, got.size()))) {
      Target conversation = i.message().group().<Target>map(g -> g).orElse(i.message().sender().get());
      if (i.message().id().value() > markers.getOrDefault(key(reader, conversation), 0L)) {
        out.add(i);
      }
    }
    return out;
  }
}
