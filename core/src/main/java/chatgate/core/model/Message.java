package chatgate.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A chat message as accepted: stored once, delivered to each recipient by its own
 * {@link Delivery}.
 *
 * @param sender the phone that wrote it; empty for messages from the gateway itself
 * @param originRef the key that makes a repeated submission (an SMSC re-sending an MO, a form
 *     posted twice) the same message; empty when there is none
 * @param secret its body is a secret (a login code): it is wiped from the store once sent and
 *     never logged
 */
public record Message(
    MessageId id,
    Optional<Msisdn> sender,
    Target target,
    String body,
    Origin origin,
    Optional<String> originRef,
    boolean secret,
    Instant acceptedAt) {

  public Message {
    Objects.requireNonNull(id, "id");
    sender = sender == null ? Optional.empty() : sender;
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(origin, "origin");
    originRef = originRef == null ? Optional.empty() : originRef;
    Objects.requireNonNull(acceptedAt, "acceptedAt");
  }

  public Optional<GroupId> group() {
    return target instanceof GroupId g ? Optional.of(g) : Optional.empty();
  }
}
