package chatgate.core.port;

import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Route;
import chatgate.core.model.Target;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The durable store of messages and their per-recipient deliveries. A protocol adapter
 * acknowledges a message only after {@link #accept} has returned.
 */
public interface MessageStore {

  /** What {@link #accept} stored, or found already stored under the same origin ref. */
  record Accepted(Message message, List<Delivery> deliveries, boolean duplicate) {}

  /** A delivery with the message it carries. */
  record Item(Delivery delivery, Message message) {}

  /** Someone a user has chatted with, and when last (a phone or a group: IM contacts are not chat partners). */
  record Partner(Target target, Instant lastAt) {}

  /**
   * Stores the message and its deliveries atomically and durably (committed and synced before
   * returning). If a message with the same non-empty origin ref exists, stores nothing and
   * returns that one with {@code duplicate} set.
   */
  Accepted accept(Message message, List<Delivery> deliveries);

  Optional<Message> message(MessageId id);

  List<Delivery> deliveriesOf(MessageId id);

  Optional<Item> item(long deliveryId);

  /** The item whose reply link has this hash (ADR 0014: only hashes of reply tokens are stored). */
  Optional<Item> itemByReplyHash(String replyHash);

  /**
   * Claims a reply link for one browser, named by the hash of its reply-session secret: true if
   * the link was unclaimed (it is now this browser's) or was already claimed by the same hash;
   * false if another browser holds it or the link is unknown. Atomic across nodes.
   */
  boolean claimReplyLink(String replyHash, String claimHash);

  /**
   * Items whose delivery is not done and whose next attempt is due at {@code now}, oldest first.
   * A store shared by several nodes returns only what it has just claimed for this node, so no
   * two nodes work on one delivery at once (ADR 0010).
   */
  List<Item> due(Instant now, int limit);

  /**
   * Asked just before an SMS is submitted, which cannot be taken back: may this node send the
   * delivery now? A shared store answers by this node's claim, and holds the claim longer so no
   * other node takes it over meanwhile (a fence); one node alone always may.
   */
  default boolean holdForSend(long deliveryId, Instant now) {
    return true;
  }

  /**
   * A node stopping cleanly gives up its claims on deliveries not done, so that another node takes
   * them at its next poll instead of when the claims run out (issue 20). What it had on the wire
   * stays SUBMITTING with its in-doubt wait (ADR 0011), so it is not sent again meanwhile.
   * Returns how many were released; one node alone holds no claims.
   */
  default int releaseClaims() {
    return 0;
  }

  /**
   * Marks a delivery SUBMITTING by its id alone, for the node that sends an SMS another node
   * handed to it (its bind): just before the submit_sm, as the sender's own gate does (ADR 0011).
   */
  default void markSubmitting(long deliveryId, Route route, Instant at, Instant retryAt) {
    item(deliveryId).map(Item::delivery).filter(d -> !d.state().done()).ifPresent(d -> update(List.of(
        d.withRoute(route).withState(DeliveryState.SUBMITTING, at).withNextAttemptAt(retryAt))));
  }

  /**
   * Whether another node of a cluster holds this delivery's claim right now (its submit may be
   * under way there). One node alone: never.
   */
  default boolean claimedElsewhere(long deliveryId, Instant now) {
    return false;
  }

  /**
   * Writes these deliveries' mutable fields (state, route, attempts, next attempt, keep, seen,
   * SMSC ids, error), durably, in one transaction.
   */
  void update(Collection<Delivery> deliveries);

  /** The delivery whose SMS got this SMSC message id (any of its segments), for DLRs. */
  Optional<Delivery> deliveryBySmscId(String smscId);

  /**
   * Messages between {@code me} and a phone (both ways), or posted to a group, newest first.
   */
  List<Message> conversation(Msisdn me, Target partner, int limit);

  /**
   * The messages of {@link #conversation} older than {@code before}, newest first: a page of
   * older history found by message id, not by counting (issue 18). This default reads the newer
   * ones too; a database answers from the index it keeps by target, sender and id.
   */
  default List<Message> conversationBefore(Msisdn me, Target partner, MessageId before, int limit) {
    return conversation(me, partner, Integer.MAX_VALUE).stream()
        .filter(m -> m.id().compareTo(before) < 0).limit(limit).toList();
  }

  /**
   * Items addressed to {@code me} not yet seen on the web whose keep-until is after {@code now}
   * (P2.11): the newest {@code limit} of them, oldest first. The newest, because they are the ones
   * a page or stream must show now (a live item waits for its fetch or acknowledgement); older
   * ones stay in their conversations.
   */
  List<Item> unseen(Msisdn me, Instant now, int limit);

  /** Marks these deliveries seen on the web at this time. */
  void markSeen(Collection<Long> deliveryIds, Instant at);

  /** The phones and groups {@code me} exchanged messages with, most recent first. */
  List<Partner> partners(Msisdn me, int limit);

  /** Counts deliveries in each of the given states. */
  long count(DeliveryState state);

  /**
   * A message a phone sent, as its quotas count it: when, its text, and how many of its
   * deliveries went or may still go by SMS (route SMS or WAP push, or not routed yet; a text to an
   * IM contact never does).
   */
  record SentBy(Instant acceptedAt, String body, int smsDeliveries) {}

  /**
   * The messages this phone sent since then, newest first, at most {@code limit} (a read on the
   * index of messages by sender: per-sender quotas derive from rows already written, ADR 0017).
   */
  List<SentBy> sentBy(Msisdn sender, Instant since, int limit);

  /** A message a phone sent, with its deliveries in id order: what its sender follows (issue 16). */
  record Outgoing(Message message, List<Delivery> deliveries) {}

  /**
   * The messages this phone sent, to {@code to} if given, else to anyone, newest first, at most
   * {@code limit} messages, each with all its deliveries (a read on the indexes of messages by
   * sender or by target and sender, then of deliveries by message).
   */
  List<Outgoing> outgoing(Msisdn sender, Optional<Target> to, int limit);

  /**
   * Deletes messages accepted before {@code before} whose deliveries are all done, and wipes
   * the body of secret messages whose deliveries are done. Returns the messages deleted.
   */
  int purge(Instant before);

  /**
   * The oldest delivery to this recipient accepted before the given one and still {@code PENDING}
   * (to be routed, or waiting for a retry): SMS to one phone go out in the order they were accepted.
   * The phone's own texts to IM contacts (route IM) are not among them: they never hold an SMS back.
   */
  Optional<Delivery> olderPending(Msisdn recipient, long deliveryId);

  /**
   * Deliveries to this phone in state {@code SUBMITTING} (a submit under way, or left in doubt
   * by a crash), oldest first: what a receipt with an unknown SMSC id may belong to. SMS only.
   */
  List<Item> submittingTo(Msisdn recipient, int limit);

  /**
   * Deliveries to (or, by IM, from) this phone that are not done, oldest first: a phone's texts
   * to IM contacts waiting for its session (ADR 0022).
   */
  List<Item> undoneTo(Msisdn recipient, int limit);

  /** Deliveries in one state, oldest first (the operator's queue view and retries). */
  List<Item> inState(DeliveryState state, int limit);

  /** The work queue at a glance: deliveries not done, and when the oldest of their messages was accepted. */
  QueueStats queueStats();

  record QueueStats(long depth, Optional<Instant> oldestAcceptedAt) {}
}
