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
import java.util.List;
import java.util.Optional;

/**
 * Tells a sender's open pages each state a message of theirs reaches (issue 16): listens to the
 * delivery stage and pushes the message's {@link chatgate.core.model.SentReport} to the sender's
 * event streams, on whichever node holds them. A sender with no open stream costs one read of
 * the message; the page shows the state when it is next loaded.
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

  @Override
  public void onState(MessageId id, Delivery delivery, String detail) {
    Optional<Message> m = store.message(id);
    Optional<Msisdn> sender = m.flatMap(Message::sender);
    if (sender.isEmpty() || !presence.presence(sender.get(), clock.instant()).streaming()) {
      return; // from the gateway itself, or nobody is watching: the next page load shows it
    }
    // A group's line sums up every member's copy; a message to one phone has only this one.
    List<Delivery> all = m.get().target() instanceof GroupId ? store.deliveriesOf(id) : List.of(delivery);
    live.pushState(sender.get(), status.report(m.get(), all));
  }
}
