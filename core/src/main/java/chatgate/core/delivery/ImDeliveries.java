package chatgate.core.delivery;

import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.ImContact;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Route;
import chatgate.core.port.ImSubmitter.Outcome;
import chatgate.core.port.ImSubmitter.Submission;
import chatgate.core.port.ImSubmitter.Why;
import chatgate.core.port.ImSubmitter;
import chatgate.core.port.MessageStore.Item;
import chatgate.core.port.MessageStore;
import chatgate.core.port.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery stage's IM route (ADR 0022): a phone's text to an IM contact, stored when its MO
 * came, submitted through the phone's IM session ({@link ImSubmitter}) with a stanza id derived
 * from the delivery's id, retried while the session reconnects or until the phone logs in
 * again, and moved SENT (the server acknowledged it) and DELIVERED (the contact's XEP-0184
 * receipt) in the same states as an SMS. The phone hears only of a text that did not go, or may
 * not have: once, in its language.
 *
 * <p>Just before a text goes on a session's wire its stanza id is written to the delivery
 * ({@code smscIds}, {@link #handing}): after a crash, a text handed to a session that no longer
 * exists is in doubt until the phone's session is back, and is then settled by the server's
 * archive (ADR 0030): found, SENT; absent, sent again with the same id; a server that cannot tell
 * leaves it FAILED and the phone told "maybe not sent" (at most once). Across a dropped stream, at
 * least once with the same id, which the contact's client and receipts key on.
 */
final class ImDeliveries implements ImSubmitter.Deliveries {
  private static final Logger log = LoggerFactory.getLogger(ImDeliveries.class);
  /** The prefix of the stanza ids of IM deliveries; the delivery id follows. */
  static final String STANZA_PREFIX = "chatgate-d";
  /** How long a worker waits for the server's acknowledgement; a later one is still recorded. */
  static final Duration ACK_WAIT = Duration.ofSeconds(10);
  /** Retries while a session reconnects stay this close together (its return also starts them). */
  static final Duration MAX_RECONNECT_RETRY = Duration.ofSeconds(30);
  private static final int WAITING_MAX = 500;

  /** Tells the stage's listener of a state reached (its {@code told} hook). */
  interface Told {
    void told(MessageId m, Delivery d, String detail);
  }

  private final MessageStore store;
  private final Clock clock;
  private final DeliverySettings settings;
  private final IntFunction<Duration> backoff;
  private final Told told;
  private final Supplier<Telemetry> telemetry;
  private volatile ImSubmitter submitter = ImSubmitter.NONE;
  /** Deliveries with an attempt under way on this node: one at a time each. */
  private final Map<Long, Object> attempting = new ConcurrentHashMap<>();

  ImDeliveries(MessageStore store, Clock clock, DeliverySettings settings, IntFunction<Duration> backoff, Told told,
      Supplier<Telemetry> telemetry) {
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.backoff = backoff;
    this.told = told;
    this.telemetry = telemetry;
  }

  void submitter(ImSubmitter s) {
    this.submitter = s;
  }

  static String stanzaId(long deliveryId) {
    return STANZA_PREFIX + deliveryId;
  }

  static Optional<Long> deliveryId(String stanzaId) {
    if (stanzaId == null || !stanzaId.startsWith(STANZA_PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(stanzaId.substring(STANZA_PREFIX.length())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Submission submission(Delivery d, Message m) {
    return new Submission(d.id(), d.recipient(), (ImContact) m.target(), m.body(), stanzaId(d.id()),
        d.smscIds().isPresent(), m.acceptedAt());
  }

  @Override
  public void handing(long deliveryId, String stanzaId) {
    Delivery d = store.item(deliveryId).map(Item::delivery).orElseThrow(
        () -> new IllegalStateException("no delivery d" + deliveryId));
    if (d.smscIds().filter(stanzaId::equals).isEmpty() || d.route().isEmpty()) {
      store.update(List.of(d.withRoute(Route.IM).withSmscIds(stanzaId)));
    }
  }

  /** One attempt: the text handed to the phone's session, which records its stanza id just before the wire. */
  CompletionStage<Void> deliver(Delivery d0, Message m, Instant now) {
    Object attempt = new Object();
    if (attempting.putIfAbsent(d0.id(), attempt) != null) {
      return CompletableFuture.completedFuture(null); // an attempt of it is under way here
    }
    try {
      Submission s = submission(d0, m);
      CompletableFuture<Outcome> outcome;
      try {
        outcome = submitter.submit(s).toCompletableFuture();
      } catch (RuntimeException e) {
        outcome = CompletableFuture.completedFuture(new Outcome.Retry(e.toString()));
      }
      CompletableFuture<Void> recorded = outcome.handle((o, err) -> {
        record(d0, m, s, err != null ? new Outcome.Retry(String.valueOf(err)) : o, attempt);
        return null;
      });
      // The worker waits for the acknowledgement a while; a later one is still recorded when it comes.
      CompletableFuture<Outcome> pending = outcome;
      return recorded.copy().completeOnTimeout(null, ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((v, e) -> {
            if (!pending.isDone()) {
              waitingForAck(d0, m, attempt);
            }
          });
    } catch (RuntimeException e) {
      attempting.remove(d0.id(), attempt);
      throw e;
    }
  }

  /**
   * No acknowledgement within {@link #ACK_WAIT} (the server is paused, say): looked at again
   * later. The session sends nothing twice while the first is on its way, so a later attempt
   * only waits on the same acknowledgement, which settles it whenever it comes.
   */
  private void waitingForAck(Delivery d, Message m, Object attempt) {
    try {
      Instant now = clock.instant();
      Delivery current = store.item(d.id()).map(Item::delivery).orElse(d);
      if (!current.state().done()) {
        store.update(List.of(current.withRoute(Route.IM).withAttempt(now.plus(MAX_RECONNECT_RETRY),
            "not acknowledged yet")));
        log.info("delivery d{} msg {} by IM from {} not acknowledged within {} s: waiting", d.id(), m.id(),
            d.recipient().masked(), ACK_WAIT.toSeconds());
      }
    } finally {
      attempting.remove(d.id(), attempt);
    }
  }

  private void record(Delivery attempted, Message m, Submission s, Outcome o, Object attempt) {
    try {
      Instant now = clock.instant();
      Delivery stored = store.item(attempted.id()).map(Item::delivery).orElse(attempted);
      if (stored.state().done()) {
        return; // a receipt (or another node) settled it meanwhile
      }
      Delivery d = stored.withRoute(Route.IM);
      switch (o) {
        case Outcome.Sent sent -> {
          Delivery next = d.withState(DeliveryState.SENT, now).withError(null);
          store.update(List.of(next));
          told.told(m.id(), next, "ACK");
          telemetry.get().delivered(Route.IM, "SENT", Duration.between(m.acceptedAt(), now));
          log.debug("delivery d{} msg {} by IM from {} route=IM state=SENT", d.id(), m.id(), d.recipient().masked());
        }
        case Outcome.Retry r -> {
          Duration wait = backoff.apply(d.attempts() + 1);
          if (wait.compareTo(MAX_RECONNECT_RETRY) > 0) {
            wait = MAX_RECONNECT_RETRY;
          }
          store.update(List.of(d.withAttempt(now.plus(wait), r.reason())));
          telemetry.get().retry();
          log.info("delivery d{} msg {} by IM from {} retry in {} ms: {}", d.id(), m.id(), d.recipient().masked(),
              wait.toMillis(), r.reason());
        }
        case Outcome.NoSession n -> {
          // Waits for the phone to log in to that account again (it was told to); its login starts it.
          Duration wait = backoff.apply(d.attempts() + 1);
          store.update(List.of(d.withAttempt(now.plus(wait), "not logged in")));
          log.info("delivery d{} msg {} by IM from {} waits for a login to {} (next look in {} s)", d.id(), m.id(),
              d.recipient().masked(), s.to().account(), wait.toSeconds());
        }
        case Outcome.Failed f -> fail(d, m, s, Why.REFUSED, f.reason(), now);
        case Outcome.InDoubt x -> fail(d, m, s, Why.SESSION_LOST, "in doubt: its session was lost", now);
      }
    } catch (RuntimeException e) {
      log.warn("delivery d{} by IM: outcome not recorded: {}", attempted.id(), Msisdn.maskAll(e.toString()));
    } finally {
      attempting.remove(attempted.id(), attempt);
    }
  }

  private void fail(Delivery d, Message m, Submission s, Why why, String reason, Instant now) {
    Delivery failed = d.withRoute(Route.IM).withState(DeliveryState.FAILED, now).withError(reason);
    store.update(List.of(failed));
    told.told(m.id(), failed, reason);
    telemetry.get().delivered(Route.IM, "FAILED", Duration.between(m.acceptedAt(), now));
    log.info("delivery d{} msg {} by IM from {} state=FAILED ({}): {}", d.id(), m.id(), d.recipient().masked(), why,
        reason);
    try {
      submitter.undelivered(s, why, reason);
    } catch (RuntimeException e) {
      log.warn("delivery d{}: the phone could not be told: {}", d.id(), Msisdn.maskAll(e.toString()));
    }
  }

  /** Retention over: the phone never logged in again (or the text stayed in doubt). */
  CompletionStage<Void> expire(Delivery d, Message m, Instant now) {
    Submission s = submission(d, m);
    fail(d, m, s, s.handedBefore() ? Why.SESSION_LOST : Why.EXPIRED, "expired", now);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void receipt(Msisdn phone, String from, String stanzaId) {
    Optional<Long> id = deliveryId(stanzaId);
    if (id.isEmpty()) {
      return;
    }
    Optional<Item> item = store.item(id.get());
    if (item.isEmpty() || !(item.get().message().target() instanceof ImContact to)
        || !item.get().delivery().recipient().equals(phone) || !to.address().equalsIgnoreCase(from)) {
      log.info("XEP-0184 receipt {} on a session of {} matches no IM text of it: ignored", stanzaId, phone.masked());
      return;
    }
    Delivery d = item.get().delivery();
    boolean open = d.state() == DeliveryState.PENDING || d.state() == DeliveryState.SENT
        || (d.state() == DeliveryState.FAILED && d.smscIds().isPresent());
    if (!open) {
      return; // already delivered: a repeated receipt
    }
    Instant now = clock.instant();
    Delivery delivered = d.withState(DeliveryState.DELIVERED, now).withError(null);
    store.update(List.of(delivered));
    told.told(d.messageId(), delivered, "XEP-0184 receipt");
    telemetry.get().delivered(Route.IM, "DELIVERED", Duration.between(item.get().message().acceptedAt(), now));
    log.debug("delivery d{} by IM from {} state=DELIVERED (receipt)", d.id(), phone.masked());
  }

  /** The phone's texts to IM contacts on that account that wait, oldest first ("": any account). */
  private List<Item> waiting(Msisdn phone, String account) {
    return store.undoneTo(phone, WAITING_MAX).stream()
        .filter(i -> i.message().target() instanceof ImContact c && (account.isEmpty()
            || c.account().equalsIgnoreCase(account)))
        .toList();
  }

  @Override
  public void sessionUp(Msisdn phone, String account) {
    Thread.ofVirtual().name("im-session-up").start(() -> {
      try {
        // One after the other, oldest first, so they reach the contact in the order they were written.
        for (Item i : waiting(phone, account)) {
          Item fresh = store.item(i.delivery().id()).orElse(null);
          if (fresh == null || fresh.delivery().state().done()) {
            continue;
          }
          deliver(fresh.delivery(), fresh.message(), clock.instant());
        }
      } catch (RuntimeException e) {
        log.warn("IM texts of {} waiting for its session not started: {}", phone.masked(), Msisdn.maskAll(e.toString()));
      }
    });
  }

  @Override
  public void loggedOut(Msisdn phone, String account) {
    Instant now = clock.instant();
    for (Item i : waiting(phone, account)) {
      Delivery d = i.delivery();
      if (attempting.containsKey(d.id())) {
        continue; // under way: its outcome is recorded when it comes
      }
      Submission s = submission(d, i.message());
      fail(d, i.message(), s, s.handedBefore() ? Why.SESSION_LOST : Why.LOGGED_OUT, "logged out", now);
    }
  }

  int attempting() {
    return attempting.size();
  }
}
