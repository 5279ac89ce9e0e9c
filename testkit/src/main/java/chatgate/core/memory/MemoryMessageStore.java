package chatgate.core.memory;

import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.GroupId;
import chatgate.core.model.ImContact;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.Route;
import chatgate.core.model.Target;
import chatgate.core.port.MessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Messages and deliveries in memory, one lock: the reference behaviour of the contract. */
public final class MemoryMessageStore implements MessageStore {
  private final TreeMap<MessageId, Message> messages = new TreeMap<>();
  private final TreeMap<Long, Delivery> deliveries = new TreeMap<>();
  private final Map<String, MessageId> byOriginRef = new HashMap<>();
  private final Map<String, Long> byToken = new HashMap<>();
  /** Delivery id → hash of the reply-session secret of the browser that claimed its link. */
  private final Map<Long, String> replyClaims = new HashMap<>();

  @Override
  public synchronized Accepted accept(Message message, List<Delivery> ds) {
    if (message.originRef().isPresent()) {
      MessageId existing = byOriginRef.get(message.originRef().get());
      if (existing != null) {
        return new Accepted(messages.get(existing), deliveriesOf(existing), true);
      }
      byOriginRef.put(message.originRef().get(), message.id());
    }
    messages.put(message.id(), message);
    for (Delivery d : ds) {
      deliveries.put(d.id(), d);
      byToken.put(d.replyHash(), d.id());
    }
    return new Accepted(message, List.copyOf(ds), false);
  }

  @Override
  public synchronized Optional<Message> message(MessageId id) {
    return Optional.ofNullable(messages.get(id));
  }

  @Override
  public synchronized List<Delivery> deliveriesOf(MessageId id) {
    return deliveries.values().stream().filter(d -> d.messageId().equals(id)).toList();
  }

  @Override
  public synchronized Optional<Item> item(long deliveryId) {
    Delivery d = deliveries.get(deliveryId);
    return d == null ? Optional.empty() : Optional.of(new Item(d, messages.get(d.messageId())));
  }

  @Override
  public synchronized Optional<Item> itemByReplyHash(String replyHash) {
    Long id = byToken.get(replyHash);
    return id == null ? Optional.empty() : item(id);
  }

  @Override
  public synchronized boolean claimReplyLink(String replyHash, String claimHash) {
    Long id = byToken.get(replyHash);
    if (id == null) {
      return false;
    }
    return replyClaims.computeIfAbsent(id, k -> claimHash).equals(claimHash);
  }

  @Override
  public synchronized List<Item> due(Instant now, int limit) {
    return deliveries.values().stream()
        .filter(d -> !d.state().done() && !d.nextAttemptAt().isAfter(now))
        .sorted(Comparator.comparing(Delivery::nextAttemptAt).thenComparing(Delivery::id))
        .limit(limit)
        .map(d -> new Item(d, messages.get(d.messageId())))
        .toList();
  }

  @Override
  public synchronized void update(Collection<Delivery> ds) {
    for (Delivery d : ds) {
      if (deliveries.containsKey(d.id())) {
        deliveries.put(d.id(), d);
      }
    }
  }

  @Override
  public synchronized Optional<Delivery> deliveryBySmscId(String smscId) {
    return deliveries.values().stream()
        .filter(d -> d.smscIds().map(s -> Arrays.asList(s.split(",")).contains(smscId)).orElse(false))
        .findFirst();
  }

  @Override
  public synchronized List<Message> conversation(Msisdn me, Target partner, int limit) {
    return messages.descendingMap().values().stream()
        .filter(m -> between(m, me, partner))
        .limit(limit)
        .toList();
  }

  private static boolean between(Message m, Msisdn me, Target partner) {
    if (partner instanceof GroupId) {
      return m.target().equals(partner);
    }
    boolean fromMe = m.sender().map(me::equals).orElse(false);
    boolean fromThem = m.sender().map(partner::equals).orElse(false);
    return (fromMe && m.target().equals(partner)) || (fromThem && m.target().equals(me));
  }

  @Override
  public synchronized List<Item> unseen(Msisdn me, Instant now, int limit) {
    List<Item> all = deliveries.values().stream()
        .filter(d -> d.recipient().equals(me) && d.seenAt().isEmpty()
            && d.keepUntil().map(k -> k.isAfter(now)).orElse(false))
        .sorted(Comparator.comparingLong(Delivery::id))
        .map(d -> new Item(d, messages.get(d.messageId())))
        .toList();
    return all.subList(Math.max(0, all.size() - limit), all.size());
  }

  @Override
  public synchronized void markSeen(Collection<Long> ids, Instant at) {
    for (Long id : ids) {
      Delivery d = deliveries.get(id);
      if (d != null && d.seenAt().isEmpty()) {
        deliveries.put(id, d.withSeenAt(at));
      }
    }
  }

  @Override
  public synchronized List<Partner> partners(Msisdn me, int limit) {
    Map<Target, Instant> last = new LinkedHashMap<>();
    for (Message m : messages.descendingMap().values()) {
      if (m.origin() == Origin.SYSTEM || m.origin() == Origin.NOTICE) {
        continue;
      }
      Target other = null;
      if (m.target() instanceof ImContact) {
        continue; // an IM contact is no chat partner
      }
      if (m.sender().map(me::equals).orElse(false)) {
        other = m.target();
      } else if (m.target().equals(me) && m.sender().isPresent()) {
        other = m.sender().get();
      } else if (m.target() instanceof GroupId g && received(me, m)) {
        other = g;
      }
      if (other != null) {
        last.putIfAbsent(other, m.acceptedAt());
        if (last.size() >= limit) {
          break;
        }
      }
    }
    List<Partner> out = new ArrayList<>();
    last.forEach((t, at) -> out.add(new Partner(t, at)));
    return out;
  }

  private boolean received(Msisdn me, Message m) {
    return deliveries.values().stream().anyMatch(d -> d.messageId().equals(m.id()) && d.recipient().equals(me));
  }

  @Override
  public synchronized List<SentBy> sentBy(Msisdn sender, Instant since, int limit) {
    List<SentBy> out = new ArrayList<>();
    for (Message m : messages.descendingMap().values()) {
      if (out.size() >= limit) {
        break;
      }
      if (m.sender().filter(sender::equals).isPresent() && !m.acceptedAt().isBefore(since)) {
        int sms = m.target() instanceof ImContact ? 0
            : (int) deliveries.values().stream().filter(d -> d.messageId().equals(m.id()))
            .filter(d -> d.route().isEmpty() || d.route().get() == Route.SMS
                || d.route().get() == Route.WAP_PUSH)
            .count();
        out.add(new SentBy(m.acceptedAt(), m.body(), sms));
      }
    }
    return out;
  }

  @Override
  public synchronized List<Outgoing> outgoing(Msisdn sender, Optional<Target> to, int limit) {
    List<Outgoing> out = new ArrayList<>();
    for (Message m : messages.descendingMap().values()) {
      if (out.size() >= limit) {
        break;
      }
      if (m.sender().filter(sender::equals).isPresent() && to.map(m.target()::equals).orElse(true)) {
        out.add(new Outgoing(m, deliveriesOf(m.id())));
      }
    }
    return out;
  }

  @Override
  public synchronized long count(DeliveryState state) {
    return deliveries.values().stream().filter(d -> d.state() == state).count();
  }

  @Override
  public synchronized int purge(Instant before) {
    int n = 0;
    for (Message m : List.copyOf(messages.values())) {
      List<Delivery> ds = deliveriesOf(m.id());
      boolean allDone = ds.stream().allMatch(d -> d.state().done());
      if (!allDone) {
        continue;
      }
      if (m.acceptedAt().isBefore(before)) {
        messages.remove(m.id());
        m.originRef().ifPresent(byOriginRef::remove);
        for (Delivery d : ds) {
          deliveries.remove(d.id());
          byToken.remove(d.replyHash());
          replyClaims.remove(d.id());
        }
        n++;
      } else if (m.secret() && !m.body().isEmpty()) {
        messages.put(m.id(), new Message(m.id(), m.sender(), m.target(), "", m.origin(), m.originRef(), true,
            m.acceptedAt()));
      }
    }
    return n;
  }

  @Override
  public synchronized List<Item> inState(DeliveryState state, int limit) {
    return deliveries.values().stream()
        .filter(d -> d.state() == state)
        .sorted(Comparator.comparing(Delivery::id))
        .limit(limit)
        .map(d -> new Item(d, messages.get(d.messageId())))
        .toList();
  }

  @Override
  public synchronized List<Item> submittingTo(Msisdn recipient, int limit) {
    return deliveries.values().stream()
        .filter(d -> d.recipient().equals(recipient) && d.state() == DeliveryState.SUBMITTING)
        .filter(d -> d.route().filter(r -> r == Route.IM).isEmpty())
        .sorted(Comparator.comparing(Delivery::id))
        .limit(limit)
        .map(d -> new Item(d, messages.get(d.messageId())))
        .toList();
  }

  @Override
  public synchronized QueueStats queueStats() {
    List<Delivery> undone = deliveries.values().stream().filter(d -> !d.state().done()).toList();
    Optional<Instant> oldest = undone.stream().map(d -> messages.get(d.messageId()).acceptedAt()).min(Comparator.naturalOrder());
    return new QueueStats(undone.size(), oldest);
  }

  @Override
  public synchronized Optional<Delivery> olderPending(Msisdn recipient, long deliveryId) {
    return deliveries.values().stream()
        .filter(d -> d.recipient().equals(recipient) && d.id() < deliveryId && d.state() == DeliveryState.PENDING)
        .filter(d -> d.route().filter(r -> r == Route.IM).isEmpty())
        .min(Comparator.comparing(Delivery::id));
  }

  @Override
  public synchronized List<Item> undoneTo(Msisdn recipient, int limit) {
    return deliveries.values().stream()
        .filter(d -> d.recipient().equals(recipient) && !d.state().done())
        .sorted(Comparator.comparing(Delivery::id))
        .limit(limit)
        .map(d -> new Item(d, messages.get(d.messageId())))
        .toList();
  }
}
