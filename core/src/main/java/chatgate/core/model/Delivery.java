package chatgate.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recipient's copy of a message: its state, the route taken, attempts, and the hash of the
 * reply token that the push or SMS carries (P2.7). The token itself is derived again from the
 * delivery's id under the key file's key whenever a link is composed (ADR 0014), so the store
 * never holds a working link.
 *
 * @param keepUntil the recipient was offline: keep it for the web until then (P2.11)
 * @param seenAt when it was shown to the recipient on a page or stream
 * @param smscIds the SMSC's message ids for the segments sent, comma-separated, for DLRs; for a
 *     delivery by IM (route IM), the stanza id once the text was handed to an IM session, for
 *     XEP-0184 receipts (its presence also says the text may have reached the IM server)
 */
public record Delivery(
    long id,
    MessageId messageId,
    Msisdn recipient,
    DeliveryState state,
    Optional<Route> route,
    int attempts,
    Instant nextAttemptAt,
    Optional<Instant> keepUntil,
    Optional<Instant> seenAt,
    String replyHash,
    Optional<String> smscIds,
    Optional<String> lastError,
    Instant updatedAt) {

  public Delivery {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(state, "state");
    route = route == null ? Optional.empty() : route;
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    keepUntil = keepUntil == null ? Optional.empty() : keepUntil;
    seenAt = seenAt == null ? Optional.empty() : seenAt;
    Objects.requireNonNull(replyHash, "replyHash");
    smscIds = smscIds == null ? Optional.empty() : smscIds;
    lastError = lastError == null ? Optional.empty() : lastError;
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  public static Delivery pending(long id, MessageId messageId, Msisdn recipient, String replyHash, Instant now) {
    return new Delivery(
        id, messageId, recipient, DeliveryState.PENDING, Optional.empty(), 0, now,
        Optional.empty(), Optional.empty(), replyHash, Optional.empty(), Optional.empty(), now);
  }

  public Delivery withState(DeliveryState s, Instant now) {
    return new Delivery(id, messageId, recipient, s, route, attempts, nextAttemptAt, keepUntil, seenAt,
        replyHash, smscIds, lastError, now);
  }

  public Delivery withRoute(Route r) {
    return new Delivery(id, messageId, recipient, state, Optional.of(r), attempts, nextAttemptAt, keepUntil,
        seenAt, replyHash, smscIds, lastError, updatedAt);
  }

  public Delivery withAttempt(Instant next, String error) {
    return new Delivery(id, messageId, recipient, state, route, attempts + 1, next, keepUntil, seenAt,
        replyHash, smscIds, Optional.ofNullable(error), updatedAt);
  }

  public Delivery withNextAttemptAt(Instant next) {
    return new Delivery(id, messageId, recipient, state, route, attempts, next, keepUntil, seenAt,
        replyHash, smscIds, lastError, updatedAt);
  }

  public Delivery withKeepUntil(Instant until) {
    return new Delivery(id, messageId, recipient, state, route, attempts, nextAttemptAt, Optional.ofNullable(until),
        seenAt, replyHash, smscIds, lastError, updatedAt);
  }

  public Delivery withSeenAt(Instant at) {
    return new Delivery(id, messageId, recipient, state, route, attempts, nextAttemptAt, keepUntil,
        Optional.ofNullable(at), replyHash, smscIds, lastError, updatedAt);
  }

  public Delivery withSmscIds(String ids) {
    return new Delivery(id, messageId, recipient, state, route, attempts, nextAttemptAt, keepUntil, seenAt,
        replyHash, Optional.ofNullable(ids), lastError, updatedAt);
  }

  public Delivery withError(String error) {
    return new Delivery(id, messageId, recipient, state, route, attempts, nextAttemptAt, keepUntil, seenAt,
        replyHash, smscIds, Optional.ofNullable(error), updatedAt);
  }
}
