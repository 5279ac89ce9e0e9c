package chatgate.core.chat;

import chatgate.core.delivery.DeliveryStage;
import chatgate.core.model.Delivery;
import chatgate.core.model.GroupId;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.port.LivePush;
import chatgate.core.port.MessageStore;
import chatgate.core.port.PresenceRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tells a sender's open pages each state a message of theirs reaches (issue 16): listens to the
 * delivery stage and pushes the message's {@link chatgate.core.model.SentReport} to the sender's
 * event streams, on whichever node holds them. The stage tells most states with the message at
 * hand; for the rest (receipts) the sender is remembered from an earlier state of the same
 * message, so a message from the gateway itself (a sendsms MT) costs no read at all, and one whose
 * sender has no open stream costs at most one.
 */
public final class SentStateFeed implements DeliveryStage.StateListener {
  private final MessageStore store;
  private final PresenceRegistry presence;
  private final LivePush live;
  private final SentStatus status;
  private final Clock clock;

  public SentStateFeed(MessageStore store, PresenceRegistry presence, LivePush live, SentStatus status, Clock clock) {
    this.store = store;
    this.presence = presence;
    this.live = live;
    this.status = status;
    this.clock = clock;
  }

  /** Senders by message id (none: from the gateway itself), of messages told with the message at hand. */
  private final Map<Long, Optional<Msisdn>> senders = new LinkedHashMap<>(1024, 0.75f, false);
  private static final int SENDERS_MAX = 50_000;

  @Override
  public void onState(Message m, Delivery delivery, String detail) {
    synchronized (senders) {
      senders.put(m.id().value(), m.sender());
      if (senders.size() > SENDERS_MAX) {
        senders.remove(senders.keySet().iterator().next());
      }
    }
    push(Optional.of(m), m.sender(), delivery);
  }

  @Override
  public void onState(MessageId id, Delivery delivery, String detail) {
    Optional<Msisdn> known;
    synchronized (senders) {
      known = senders.get(id.value());
    }
    if (known != null) {
      push(Optional.empty(), known, delivery);
      return;
    }
    Optional<Message> m = store.message(id);
    push(m, m.flatMap(Message::sender), delivery);
  }

  private void push(Optional<Message> read, Optional<Msisdn> sender, Delivery delivery) {
    if (sender.isEmpty() || !presence.presence(sender.get(), clock.instant()).streaming()) {
      return; // from the gateway itself, or nobody is watching: the next page load shows it
    }
    Message m = read.isPresent() ? read.get() : store.message(delivery.messageId()).orElse(null);
    if (m == null) {
      return;
    }
    // A group's line sums up every member's copy; a message to one phone has only this one.
    List<Delivery> all = m.target() instanceof GroupId ? store.deliveriesOf(m.id()) : List.of(delivery);
    live.pushState(sender.get(), status.report(m, all));
  }
}
