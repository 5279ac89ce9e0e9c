package chatgate.core.delivery;

import chatgate.core.auth.Keys;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.ChatSettings;
import chatgate.core.chat.ReplyLinks;
import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Group;
import chatgate.core.model.ImContact;
import chatgate.core.model.Language;
import chatgate.core.model.MaskedFailure;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.Presence;
import chatgate.core.model.Route;
import chatgate.core.model.User;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.ImSubmitter;
import chatgate.core.port.LivePush;
import chatgate.core.port.MessageStore.Item;
import chatgate.core.port.MessageStore;
import chatgate.core.port.PresenceRegistry;
import chatgate.core.port.SmsInbound.DeliveryReport;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsPort.SubmitOutcome;
import chatgate.core.port.SmsPort;
import chatgate.core.port.Telemetry;
import chatgate.core.port.UserDirectory;
import chatgate.core.routing.RoutingPolicy.Decision;
import chatgate.core.routing.RoutingPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The delivery stage: the spooler between the protocols and the channels. Protocol adapters
 * store a message and stop; this stage decides, per recipient and at the moment of delivery,
 * which channel carries it (through {@link RoutingPolicy}), pushes or submits it, and records
 * the outcome. Temporary failures come back with backoff; timeouts of live pages fall back to
 * SMS; after a restart everything not done in the store is picked up again.
 */
public final class DeliveryStage implements ChatService.Dispatcher, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryStage.class);
  private static final int POLL_BATCH = 500;
  /** How long the poller remembers fresh deliveries it took (a dispatch comes within microseconds). */
  private static final long TAKEN_MEMORY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final MessageStore store;
  private final UserDirectory users;
  private final GroupDirectory groups;
  private final PresenceRegistry presence;
  private final RoutingPolicy policy;
  private final SmsPort sms;
  private final LivePush live;
  private final Clock clock;
  private final DeliverySettings settings;
  private final ChatSettings chat;
  private final Function<Msisdn, String> labels;
  private final SmsComposer composer;

  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  /**
   * SMS between "submit started" and "outcome committed". A crash can only resend these, so this
   * bound ({@link DeliverySettings#smsInFlight()}) is the most a crash can duplicate.
   */
  private final Semaphore smsUnrecorded;
  /**
   * Turns per phone (striped by number; two phones may share one): an SMS takes its phone's turn
   * before its marker and gives it back once its outcome is recorded.
   */
  private final Semaphore[] phoneTurns = new Semaphore[PHONE_TURNS];
  private static final int PHONE_TURNS = 4096;
  /**
   * Fresh deliveries the poller took before their own dispatch arrived (id to nanoTime). The
   * dispatch that comes later carries the accept-time snapshot and must not send it again.
   */
  private final Map<Long, Long> takenByPoller = new ConcurrentHashMap<>();
  /**
   * SMS held back because an older one to the same phone is still pending, by phone: started as
   * soon as that one is done, rather than at the next poll.
   */
  private final Map<Msisdn, ConcurrentSkipListSet<Long>> heldBack = new ConcurrentHashMap<>();
  private final Set<Long> kickAgain = ConcurrentHashMap.newKeySet();
  /** When each held-back SMS was held (nanoTime): the poller leaves them alone for HOLD_NANOS. */
  private final Map<Long, Long> heldSince = new ConcurrentHashMap<>();
  /** A safety net, not the mechanism: a held SMS whose release was missed is looked at again after this. */
  private static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(30);
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final DeliveryWrites writes;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("delivery-poller").daemon().factory());
  private volatile boolean running;

  private final Keys keys;
  /** The IM route (ADR 0022): a phone's texts to IM contacts, through its IM session. */
  private final ImDeliveries im;

  public DeliveryStage(
      MessageStore store,
      UserDirectory users,
      GroupDirectory groups,
      PresenceRegistry presence,
      RoutingPolicy policy,
      SmsPort sms,
      LivePush live,
      Clock clock,
      DeliverySettings settings,
      ChatSettings chat,
      Function<Msisdn, String> labels,
      Keys keys) {
    this.keys = keys;
    this.store = store;
    this.users = users;
    this.groups = groups;
    this.presence = presence;
    this.policy = policy;
    this.sms = sms;
    this.live = live;
    this.clock = clock;
    this.settings = settings;
    this.chat = chat;
    this.labels = labels;
    this.composer = new SmsComposer(settings.maxSegments());
    this.smsUnrecorded = new Semaphore(settings.smsInFlight(), true);
    this.writes = new DeliveryWrites(store, workers);
    this.im = new ImDeliveries(store, clock, settings, this::backoff, this::told, () -> telemetry);
    for (int i = 0; i < phoneTurns.length; i++) {
      phoneTurns[i] = new Semaphore(1, true);
    }
  }

  /** The IM channel: the phone's IM sessions, on this node or the one holding them (ADR 0022). */
  public void im(ImSubmitter submitter) {
    im.submitter(submitter);
  }

  /** Where the IM relay reports receipts and sessions coming and going. */
  public ImSubmitter.Deliveries imDeliveries() {
    return im;
  }

  /** Starts looking for due work: first everything a previous run left, then retries and timeouts. */
  public void start() {
    running = true;
    long every = settings.pollEvery().toMillis();
    poller.scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void dispatch(Message message, List<Delivery> deliveries) {
    if (!running) {
      return; // the poller picks them up from the store once started
    }
    for (Delivery d : deliveries) {
      if (takenByPoller.remove(d.id()) != null) {
        continue; // the poller was quicker: it has it, or has already done it
      }
      if (inFlight.add(d.id())) {
        Item item = new Item(d, message);
        workers.execute(() -> run(item, false));
      }
    }
  }

  /** Runs one poll now (tests, and the poller). */
  public void poll() {
    if (!running) {
      return;
    }
    try {
      long stale = System.nanoTime() - TAKEN_MEMORY_NANOS;
      takenByPoller.values().removeIf(t -> t - stale < 0);
      long holdExpired = System.nanoTime() - HOLD_NANOS;
      heldSince.values().removeIf(t -> t - holdExpired < 0);
      List<Item> due;
      do {
        due = store.due(clock.instant(), POLL_BATCH);
        int started = 0;
        for (Item item : due) {
          if (heldSince.containsKey(item.delivery().id())) {
            continue; // waiting for an older SMS to the same phone, which starts it when done
          }
          if (inFlight.add(item.delivery().id())) {
            started++;
            workers.execute(() -> run(item, true));
          }
        }
        if (started == 0) {
          break;
        }
      } while (due.size() == POLL_BATCH);
    } catch (RuntimeException e) {
      log.warn("delivery poll failed", MaskedFailure.of(e));
    }
  }

  private void run(Item item, boolean reload) {
    run(item.delivery().id(), item, reload, false);
  }

  /**
   * A delivery to this phone is no longer pending: start the oldest SMS held back behind it now,
   * whatever its postponed time says (one at a time, so a burst to one phone costs O(n)).
   */
  private void release(Msisdn recipient) {
    ConcurrentSkipListSet<Long> held = heldBack.get(recipient);
    Long next = held == null ? null : held.pollFirst();
    if (next == null) {
      return;
    }
    heldSince.remove(next);
    if (inFlight.add(next)) {
      workers.execute(() -> run(next, null, true, true));
    } else {
      kickAgain.add(next); // still finishing its hold: started again as soon as it is done
    }
  }

  private void run(long id, Item item, boolean reload, boolean ignoreSchedule) {
    CompletionStage<Void> done;
    // The delivery's fields on every line logged while it is worked on here (JSON log: fields, not a sentence).
    MDC.put("delivery", "d" + id);
    try {
      Item current = item;
      if (reload) {
        // The poller's snapshot may be older than another worker's update: read it again.
        Optional<Item> fresh = store.item(id);
        Instant now = clock.instant();
        if (fresh.isEmpty()
            || fresh.get().delivery().state().done()
            || (!ignoreSchedule && fresh.get().delivery().nextAttemptAt().isAfter(now))) {
          inFlight.remove(id);
          if (ignoreSchedule && fresh.isPresent()) {
            release(fresh.get().delivery().recipient()); // pass the turn on
          }
          return;
        }
        current = fresh.get();
        Delivery d = current.delivery();
        MDC.put("message", String.valueOf(current.message().id().value()));
        MDC.put("phone", d.recipient().masked());
        if (d.attempts() == 0 && d.state() == DeliveryState.PENDING && d.route().isEmpty()) {
          takenByPoller.put(id, System.nanoTime());
        }
      }
      done = process(current);
    } catch (RuntimeException e) {
      log.warn("delivery d{} failed", id, MaskedFailure.of(e));
      done = CompletableFuture.completedFuture(null);
    } finally {
      MDC.remove("delivery");
      MDC.remove("message");
      MDC.remove("phone");
    }
    done.whenComplete((v, e) -> {
      inFlight.remove(id);
      if (kickAgain.remove(id) && inFlight.add(id)) {
        workers.execute(() -> run(id, null, true, true));
      }
    });
  }

  private CompletionStage<Void> process(Item item) {
    Delivery d = item.delivery();
    Message m = item.message();
    Instant now = clock.instant();
    if (m.acceptedAt().plus(settings.retention()).isBefore(now) && m.target() instanceof ImContact) {
      return im.expire(d, m, now); // the phone is told
    }
    if (m.acceptedAt().plus(settings.retention()).isBefore(now)) {
      save(d.withState(DeliveryState.FAILED, now).withError("expired"));
      log.info("delivery d{} msg {} to {} expired after {} attempts", d.id(), m.id(), d.recipient().masked(), d.attempts());
      release(d.recipient());
      return CompletableFuture.completedFuture(null);
    }
    User user = recipient(d, now);
    Presence p = presence.presence(d.recipient(), now);
    Decision decision;
    if (d.state() == DeliveryState.AWAITING_FETCH) {
      // The refreshing page was not fetched within wap_idle, or the stream's page did not
      // acknowledge within push_ack_wait: the recipient is not reading it.
      decision = policy.fallback(p, user, m.origin());
    } else if ((d.state() == DeliveryState.PENDING || d.state() == DeliveryState.SUBMITTING)
        && d.route().filter(r -> r == Route.SMS || r == Route.WAP_PUSH).isPresent()) {
      if (d.state() == DeliveryState.SUBMITTING) {
        // Left in doubt by a crash, and no receipt settled it within in_doubt_wait: the SMSC most
        // likely never took it. Sending again is the one way not to lose it.
        log.info("delivery d{} msg {} to {} in doubt, no receipt within {} s: sending again", d.id(), m.id(),
            d.recipient().masked(), settings.inDoubtWait().toSeconds());
      }
      decision = policy.retry(p, user, m.origin(), d.route().get(), d.keepUntil().isPresent());
    } else {
      decision = policy.decide(p, user, m.origin(), m.target());
    }
    return execute(d, m, user, p, decision, now);
  }

  private CompletionStage<Void> execute(Delivery d, Message m, User user, Presence p, Decision decision, Instant now) {
    switch (decision.route()) {
      case LIVE_STREAM -> {
        if (live.push(d.recipient(), pushItem(d, m))) {
          // Written into a stream is not shown: a tab closed a moment ago, or a connection dead
          // without a FIN, still takes writes. Delivered once the page acknowledges it (or is
          // fetched); until then it waits like a refreshing page's item, and goes by SMS or is
          // kept if no acknowledgement comes within push_ack_wait.
          Delivery onPage = d.withRoute(Route.LIVE_STREAM)
              .withState(DeliveryState.AWAITING_FETCH, now)
              .withNextAttemptAt(now.plus(settings.pushAckWait()))
              .withKeepUntil(now.plus(settings.retention()));
          save(onPage);
          told(m, onPage, "LIVE_STREAM");
          release(d.recipient());
          log.debug("delivery d{} msg {} to {} route=LIVE_STREAM state=AWAITING_FETCH (acknowledgement)", d.id(), m.id(),
              d.recipient().masked());
          return CompletableFuture.completedFuture(null);
        }
        // The stream closed under us; judge again as if it had not been there.
        Presence noStream = new Presence(p.online(), p.browsing(), false);
        return execute(d, m, user, noStream, policy.streamGone(p, user, m.origin()), now);
      }
      case LIVE_PAGE -> {
        Delivery onPage = d.withRoute(Route.LIVE_PAGE)
            .withState(DeliveryState.AWAITING_FETCH, now)
            .withNextAttemptAt(now.plus(settings.wapIdle()))
            .withKeepUntil(now.plus(settings.retention()));
        save(onPage);
        told(m, onPage, "LIVE_PAGE");
        log.debug("delivery d{} msg {} to {} route=LIVE_PAGE state=AWAITING_FETCH", d.id(), m.id(), d.recipient().masked());
        release(d.recipient());
        return CompletableFuture.completedFuture(null);
      }
      case KEEP -> {
        String why = user.smsStopped() ? "recipient sent STOP" : "destination not allowed";
        if (decision.dropped()) {
          // Unsolicited SMS to a phone that said STOP: neither sent nor shown on its page; the
          // sender learns it failed, and why.
          finished(d.withRoute(Route.KEEP).withState(DeliveryState.FAILED, now).withError(why), m, why, now);
          log.info("delivery d{} msg {} to {} route=KEEP state=FAILED ({})", d.id(), m.id(), d.recipient().masked(),
              why);
          return CompletableFuture.completedFuture(null);
        }
        // Why it was not sent by SMS is kept with it: its sender is told so (issue 16).
        Delivery kept = d.withRoute(Route.KEEP).withState(DeliveryState.KEPT, now)
            .withKeepUntil(now.plus(settings.retention())).withError(why);
        save(kept);
        told(m, kept, why);
        telemetry.delivered(Route.KEEP, "KEPT", Duration.between(m.acceptedAt(), now));
        release(d.recipient());
        log.debug("delivery d{} msg {} to {} route=KEEP state=KEPT", d.id(), m.id(), d.recipient().masked());
        return CompletableFuture.completedFuture(null);
      }
      case SMS, WAP_PUSH -> {
        return submit(d, m, user, decision, now);
      }
      case IM -> {
        return im.deliver(d, m, now);
      }
    }
    throw new IllegalStateException("unhandled route " + decision.route());
  }

  private CompletionStage<Void> submit(Delivery d0, Message m, User user, Decision decision, Instant now) {
    Optional<Delivery> older = store.olderPending(d0.recipient(), d0.id()).filter(o -> waiting(o, now));
    if (older.isPresent()) {
      // In accept order per phone: wait, in memory, for the older one, which starts this one when
      // it is no longer pending (release). Nothing is written: after a restart the poller finds
      // both again, oldest first.
      heldSince.put(d0.id(), System.nanoTime());
      heldBack.computeIfAbsent(d0.recipient(), k -> new ConcurrentSkipListSet<>()).add(d0.id());
      if (store.olderPending(d0.recipient(), d0.id()).filter(o -> waiting(o, now)).isPresent()) {
        log.debug("delivery d{} msg {} to {} held back behind d{}", d0.id(), m.id(), d0.recipient().masked(),
            older.get().id());
        return CompletableFuture.completedFuture(null);
      }
      // The older one finished while this was being held back: go on now.
      heldSince.remove(d0.id());
      ConcurrentSkipListSet<Long> held = heldBack.get(d0.recipient());
      if (held != null) {
        held.remove(d0.id());
      }
    }
    Delivery d = d0.withRoute(decision.route());
    if (decision.keep() && d.keepUntil().isEmpty()) {
      d = d.withKeepUntil(now.plus(settings.retention()));
    }
    SmsPort.OutboundSms out = outbound(d, m, user, decision.route());
    Delivery submitted = d.state() == DeliveryState.SUBMITTING ? d.withState(DeliveryState.PENDING, now) : d;
    AtomicBoolean takenOver = new AtomicBoolean();
    // One SMS per phone between its marker and its recorded outcome (ADR 0011): a crash then leaves
    // at most one SMS in doubt per phone, which its receipt settles however alike the texts are.
    Semaphore turn = settings.inDoubtWait().isZero() ? null : phoneTurns[Math.floorMod(d.recipient().hashCode(),
        phoneTurns.length)];
    Runnable unrecorded = () -> {
      smsUnrecorded.release();
      if (turn != null) {
        turn.release();
      }
    };
    try {
      if (turn != null) {
        turn.acquire(); // workers are virtual threads: waiting here costs no platform thread
      }
      try {
        smsUnrecorded.acquire();
      } catch (InterruptedException e) {
        if (turn != null) {
          turn.release();
        }
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.completedFuture(null); // stopping: the poller finds it again after a restart
    }
    boolean ours;
    try {
      ours = store.holdForSend(d.id(), clock.instant());
    } catch (RuntimeException e) {
      unrecorded.run();
      throw e;
    }
    if (!ours) {
      // Another node took this delivery over (its claim ran out here): it sends, this node does not.
      unrecorded.run();
      log.info("delivery d{} msg {} to {} taken over by another node", d.id(), m.id(), d.recipient().masked());
      return CompletableFuture.completedFuture(null);
    }
    if (!settings.inDoubtWait().isZero()) {
      // Durably "submit under way" just before the submit_sm goes on the wire (the adapter calls
      // the gate when only a window slot stands between the SMS and the wire), as it cannot be
      // taken back: a crash from there until the outcome is recorded leaves it in doubt, to be
      // settled by a receipt (onDeliveryReport) or sent again once in_doubt_wait has passed (ADR 0011).
      Delivery marked = submitted;
      out = new SmsPort.OutboundSms(out.ref(), out.to(), out.text(), out.wapPushUrl(), out.secret(), () -> {
        Instant at = clock.instant();
        // The fence again, now that the SMS is about to go: it may have waited for its window slot
        // longer than this node's claim (a cluster); if another node took it, this node sends nothing.
        if (!store.holdForSend(marked.id(), at)) {
          takenOver.set(true);
          throw new IllegalStateException("taken over by another node");
        }
        save(marked.withState(DeliveryState.SUBMITTING, at).withNextAttemptAt(at.plus(settings.inDoubtWait())));
      });
    }
    CompletionStage<SubmitOutcome> outcome;
    try {
      outcome = sms.submit(out);
    } catch (RuntimeException e) {
      outcome = CompletableFuture.completedFuture(new SubmitOutcome.Retry(e.toString(), Duration.ZERO));
    }
    return outcome.handle((o, err) -> {
      try {
        if (takenOver.get()) {
          log.info("delivery d{} msg {} to {} taken over by another node before its submit_sm", submitted.id(), m.id(),
              submitted.recipient().masked());
          return null; // the other node records it
        }
        SubmitOutcome result = err != null ? new SubmitOutcome.Retry(String.valueOf(err), Duration.ZERO) : o;
        if (result instanceof SubmitOutcome.Accepted a) {
          recordAccepted(submitted, m, a);
        } else {
          record(submitted, m, result);
        }
      } finally {
        unrecorded.run();
      }
      return null;
    });
  }

  /**
   * SMSC ids answered but not yet committed with their delivery: a receipt that overtakes the
   * commit (a fast SMSC sends it right after the submit_sm_resp) waits here for it, rather than
   * being taken for an SMS in doubt and looked at again and again.
   */
  private final Map<String, CompletableFuture<Void>> recording = new ConcurrentHashMap<>();

  private void recordAccepted(Delivery d, Message m, SubmitOutcome.Accepted a) {
    CompletableFuture<Void> committed = new CompletableFuture<>();
    for (String id : a.smscIds()) {
      recording.put(id, committed);
    }
    try {
      record(d, m, a);
    } finally {
      committed.complete(null);
      for (String id : a.smscIds()) {
        recording.remove(id, committed);
      }
    }
  }

  /**
   * The gate for an SMS another node handed to this one because this one holds an SMPP bind: it
   * marks the delivery SUBMITTING just before the submit_sm, so only what really went out can be
   * in doubt if this node dies (the handing node does not mark it, ADR 0011).
   */
  public SmsPort.SendGate holderGate(SmsPort.OutboundSms sms) {
    if (settings.inDoubtWait().isZero() || !sms.ref().matches("d\\d{1,19}")) {
      return SmsPort.SendGate.OPEN;
    }
    long id = Long.parseLong(sms.ref().substring(1));
    Route route = sms.wapPushUrl().isPresent() ? Route.WAP_PUSH : Route.SMS;
    return () -> {
      Instant at = clock.instant();
      store.markSubmitting(id, route, at, at.plus(settings.inDoubtWait()));
    };
  }

  /** The SMS this delivery is sent as: the message framed for its recipient, or the bare text of a system SMS. */
  private SmsPort.OutboundSms outbound(Delivery d, Message m, User user, Route route) {
    boolean wap = route == Route.WAP_PUSH;
    boolean bare = m.origin() == Origin.SYSTEM || m.origin() == Origin.NOTICE || m.origin() == Origin.HTTP_SMS;
    // The reply link (an HMAC) only for an SMS that carries one: a sendsms MT's text is its own.
    String link = bare && !wap ? "" : chat.replyUrl(ReplyLinks.token(keys, d.id()));
    String text;
    if (bare) {
      text = m.secret() ? keys.openIfSealed(m.body()) : m.body();
    } else {
      String sender = m.sender().map(x -> label(d.recipient(), x)).orElse("chatgate");
      Optional<String> group = m.group().map(g -> groups.find(g).map(Group::name).orElse(g.value()));
      // A WAP Push carries the link in its href; its text is the message alone.
      text = wap
          ? group.map(g -> "[" + g + "]").orElse("") + sender + ": " + m.body()
          : composer.compose(user.language(), sender, group, m.body(), link);
    }
    return new SmsPort.OutboundSms(
        "d" + d.id(), d.recipient(), text, wap ? Optional.of(link) : Optional.empty(), m.secret());
  }

  private void record(Delivery d, Message m, SubmitOutcome outcome) {
    Instant now = clock.instant();
    switch (outcome) {
      case SubmitOutcome.Accepted a -> {
        Delivery sent = d.withState(DeliveryState.SENT, now).withSmscIds(String.join(",", a.smscIds())).withError(null);
        finished(sent, m, "ACK", now);
        telemetry.mtSubmitted(d.route().orElse(Route.SMS), a.smscIds().size());
        log.debug("delivery d{} msg {} to {} route={} state=SENT segments={}", d.id(), m.id(), d.recipient().masked(),
            d.route().orElse(Route.SMS), a.smscIds().size());
      }
      case SubmitOutcome.Failed f -> {
        finished(d.withState(DeliveryState.FAILED, now).withError(f.reason()), m, f.reason(), now);
        log.info("delivery d{} msg {} to {} state=FAILED reason={}", d.id(), m.id(), d.recipient().masked(), f.reason());
      }
      case SubmitOutcome.InDoubt u when !settings.inDoubtWait().isZero() -> {
        // Stays SUBMITTING (written by the gate) until a receipt settles it or the wait is over.
        log.info("delivery d{} msg {} to {} in doubt: {}; waiting {} s for a receipt", d.id(), m.id(),
            d.recipient().masked(), u.reason(), settings.inDoubtWait().toSeconds());
      }
      case SubmitOutcome.InDoubt u -> record(d, m, new SubmitOutcome.Retry(u.reason(), Duration.ZERO));
      case SubmitOutcome.Retry r -> {
        int attempt = d.attempts() + 1;
        if (attempt >= settings.maxAttempts()) {
          finished(d.withAttempt(now, r.reason()).withState(DeliveryState.FAILED, now), m, r.reason(), now);
          log.info("delivery d{} msg {} to {} state=FAILED after {} attempts: {}", d.id(), m.id(),
              d.recipient().masked(), attempt, r.reason());
        } else {
          Duration wait = backoff(attempt);
          if (r.notBefore().compareTo(wait) > 0) {
            wait = r.notBefore();
          }
          save(d.withAttempt(now.plus(wait), r.reason()).withState(DeliveryState.PENDING, now));
          telemetry.retry();
          log.info("delivery d{} msg {} to {} retry {} in {} ms: {}", d.id(), m.id(), d.recipient().masked(),
              attempt, wait.toMillis(), r.reason());
        }
      }
    }
  }

  /** An SMS reached its outcome (SENT or FAILED): stored, told, counted, and the next one to that phone may go. */
  private void finished(Delivery outcome, Message m, String detail, Instant now) {
    save(outcome);
    told(m, outcome, detail);
    telemetry.delivered(outcome.route().orElse(Route.SMS), outcome.state().name(), Duration.between(m.acceptedAt(), now));
    release(outcome.recipient());
  }

  /**
   * An older SMS to the same phone this one must not overtake: one that failed and waits for its
   * retry, or is itself held back. A first attempt still in flight is not waited for, so the
   * window keeps a burst to one phone moving; after a failure (the SMSC down, say) the order
   * per phone is strict.
   */
  private boolean waiting(Delivery older, Instant now) {
    return older.attempts() > 0 || older.nextAttemptAt().isAfter(now) || heldSince.containsKey(older.id());
  }

  /** Exponential from {@code firstRetry}, capped, with ±20 % jitter so retries do not march in step. */
  Duration backoff(int attempt) {
    long base = settings.firstRetry().toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, settings.maxRetry().toMillis());
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Duration.ofMillis((long) (capped * jitter));
  }

  /** The sender as the recipient sees them: the name the recipient gave them, else their own label (issue 18). */
  private String label(Msisdn recipient, Msisdn sender) {
    String given = users.contactNames(recipient).get(sender);
    return given != null ? given : labels.apply(sender);
  }

  private LivePush.PushItem pushItem(Delivery d, Message m) {
    String label = m.sender().map(x -> label(d.recipient(), x)).orElse("chatgate");
    return new LivePush.PushItem(d.id(), m.id(), m.sender(), label, m.group(), m.body(),
        ReplyLinks.token(keys, d.id()), m.acceptedAt());
  }

  /** Most SMS made due at once when the link comes back; a larger backlog drains by its own backoff. */
  private static final int LINK_UP_BATCH = 10_000;

  /**
   * The SMS link is (back) up: SMS waiting for a retry, most because the link was down, are due
   * now rather than at the end of their backoff, oldest first (the poller keeps the order per
   * phone). Kannel's store-and-forward does the same when a bind comes back.
   */
  public void linkUp() {
    Instant now = clock.instant();
    List<Delivery> due = new ArrayList<>();
    for (Item i : store.inState(DeliveryState.PENDING, LINK_UP_BATCH)) {
      Delivery d = i.delivery();
      boolean sms = d.route().filter(r -> r == Route.SMS || r == Route.WAP_PUSH).isPresent();
      if (sms && d.attempts() > 0 && d.nextAttemptAt().isAfter(now)) {
        due.add(d.withNextAttemptAt(now));
      }
    }
    if (!due.isEmpty()) {
      store.update(due);
      log.info("SMS link up: {} SMS waiting for a retry are due now", due.size());
      poll();
    }
  }

  /**
   * A page showed these items to their recipient: a refreshing page's live delivery is done
   * (P2.4), and kept messages are now seen (P2.11).
   */
  public void shown(Collection<Item> items) {
    if (items.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    List<Delivery> changed = new ArrayList<>(items.size());
    for (Item i : items) {
      Delivery d = i.delivery().withSeenAt(now);
      if (d.state() == DeliveryState.AWAITING_FETCH || d.state() == DeliveryState.PENDING) {
        Route route = d.route().filter(r -> r == Route.LIVE_STREAM).orElse(Route.LIVE_PAGE);
        d = d.withRoute(route).withState(DeliveryState.PUSHED, now);
        telemetry.delivered(route, "PUSHED", Duration.between(i.message().acceptedAt(), now));
        log.debug("delivery d{} msg {} to {} route={} state=PUSHED", d.id(), i.message().id(), d.recipient().masked(),
            route);
      }
      changed.add(d);
    }
    store.update(changed);
    int k = 0;
    for (Item i : items) {
      told(i.message(), changed.get(k++), StateListener.SEEN);
    }
  }

  /**
   * The recipient's page acknowledged these pushed items (their delivery ids, as the page got
   * them over its stream): they are delivered. Ids of other phones' deliveries are ignored.
   */
  public void acknowledged(Msisdn recipient, Collection<Long> deliveryIds) {
    List<Item> mine = new ArrayList<>(deliveryIds.size());
    for (long id : deliveryIds) {
      store.item(id).filter(i -> i.delivery().recipient().equals(recipient))
          .filter(i -> i.delivery().seenAt().isEmpty()).ifPresent(mine::add);
    }
    shown(mine);
  }

  /** A delivery receipt from the SMSC: SENT becomes DELIVERED, or FAILED with the SMSC's status. */
  public void onDeliveryReport(DeliveryReport report) {
    Optional<Delivery> found = store.deliveryBySmscId(report.smscId());
    CompletableFuture<Void> committing = found.isEmpty() ? recording.get(report.smscId()) : null;
    if (committing != null) {
      try {
        committing.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // not committed in time: the receipt takes the slow way below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SmsInbound.TooEarly("interrupted while its submit was being recorded");
      }
      found = store.deliveryBySmscId(report.smscId());
    }
    for (int wait = 0; found.isEmpty(); wait++) {
      try {
        if (!settleInDoubt(report)) {
          log.info("DLR for unknown SMSC id {} ({}) ignored", report.smscId(), report.status());
        }
        return;
      } catch (SmsInbound.TooEarly e) {
        // Most often the receipt overtook the record of its own submit_sm_resp by a few ms: wait
        // for it here, a little, rather than make the SMSC repeat the receipt.
        if (wait >= EARLY_RECEIPT_POLLS) {
          throw e;
        }
        try {
          Thread.sleep(EARLY_RECEIPT_POLL_MS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      } catch (Recheck e) {
        // a candidate's state changed under us: look again from the id (a bounded number of times)
        if (wait >= EARLY_RECEIPT_POLLS) {
          log.info("DLR for unknown SMSC id {} ({}) ignored: its SMS kept changing", report.smscId(), report.status());
          return;
        }
      }
      found = store.deliveryBySmscId(report.smscId());
    }
    Delivery d = found.get();
    if (d.state() != DeliveryState.SENT) {
      return; // repeated, or already final: nothing changes
    }
    Instant now = clock.instant();
    Delivery next = report.delivered()
        ? d.withState(DeliveryState.DELIVERED, now)
        : d.withState(DeliveryState.FAILED, now).withError("DLR " + report.status());
    save(next);
    told(d.messageId(), next, report.status());
    telemetry.dlr(report.status());
    log.debug("delivery d{} to {} DLR {} state={}", d.id(), d.recipient().masked(), report.status(), next.state());
  }

  /** How long a receipt waits for the outcome of its own submit to be recorded: 40 × 25 ms. */
  private static final int EARLY_RECEIPT_POLLS = 40;
  private static final long EARLY_RECEIPT_POLL_MS = 25;

  /** A candidate's state changed while a receipt was being matched. */
  private static final class Recheck extends RuntimeException {
    Recheck() {
      super(null, null, false, false);
    }
  }

  /** Receipts a delivery in doubt is compared with, at most, per phone. */
  private static final int IN_DOUBT_CANDIDATES = 100;

  /**
   * A receipt whose SMSC id is not recorded may belong to an SMS whose submit is under way or was
   * left in doubt by a crash (state SUBMITTING): the SMSC took it, and the crash lost only its id.
   * Matched by phone and by the text the receipt quotes, oldest first, segment by segment; when
   * every segment is accounted for, the delivery is settled and never sent again (ADR 0011).
   *
   * @return whether the receipt belonged to such a delivery
   * @throws SmsInbound.TooEarly if it may belong to a submit of this node still waiting for its
   *     response: the SMSC repeats it, and by then the id is recorded
   */
  private boolean settleInDoubt(DeliveryReport r) {
    if (r.handset().isEmpty()) {
      return false;
    }
    List<Item> candidates = store.submittingTo(r.handset().get(), IN_DOUBT_CANDIDATES);
    if (candidates.isEmpty()) {
      return false;
    }
    String quoted = r.text().orElse("");
    // Every SMS in doubt to this phone the receipt could be for, with how many segments each has.
    List<Item> matching = new ArrayList<>();
    List<Integer> segmentCounts = new ArrayList<>();
    for (Item c : candidates) {
      Delivery d = c.delivery();
      if (ids(d).contains(r.smscId())) {
        return true; // a repeated receipt
      }
      User user = recipient(d, clock.instant());
      List<String> segments = sms.segmentTexts(outbound(d, c.message(), user, d.route().orElse(Route.SMS)));
      if (segments.stream().anyMatch(seg -> ReceiptQuote.matches(quoted, seg))) {
        if (inFlight.contains(d.id()) || store.claimedElsewhere(d.id(), clock.instant())) {
          // Its submit is still under way, here or on the node that holds its claim (a cluster).
          throw new SmsInbound.TooEarly("receipt " + r.smscId() + " may be for d" + d.id()
              + ", whose submit is still under way");
        }
        matching.add(c);
        segmentCounts.add(segments.size());
      }
    }
    // The receipt's own SMS may have been recorded SENT between its lookup by id and the read of
    // the SMS in doubt (then it is not among them, and an older one that quotes alike would be
    // taken for it): look it up by id again, now that the candidates are read.
    if (!matching.isEmpty() && store.deliveryBySmscId(r.smscId()).isPresent()) {
      throw new Recheck();
    }
    // Read again now that none of them is in flight here: a submit whose outcome was recorded just
    // after the first read (its receipt overtook it) is SENT now, and the receipt is found by id.
    for (Item c : matching) {
      if (store.item(c.delivery().id()).map(i -> i.delivery().state() != DeliveryState.SUBMITTING).orElse(true)) {
        throw new Recheck();
      }
    }
    int open = -1;
    for (int i = 0; i < matching.size() && open < 0; i++) {
      if (ids(matching.get(i).delivery()).size() < segmentCounts.get(i)) {
        open = i;
      }
    }
    if (open < 0) {
      return !matching.isEmpty(); // each already has its receipts: one more for the same text changes nothing
    }
    // Counted against the oldest that still lacks one. When several SMS quote alike, which one a
    // receipt is for cannot be told: they are settled together once each has all its receipts;
    // until then none is, and the ones left are sent again after in_doubt_wait (a duplicate at
    // worst, never a loss).
    Delivery d = matching.get(open).delivery();
    List<String> ids = new ArrayList<>(ids(d));
    ids.add(r.smscId());
    Delivery counted = d.withSmscIds(String.join(",", ids));
    boolean allCounted = true;
    for (int i = 0; i < matching.size(); i++) {
      int have = i == open ? ids.size() : ids(matching.get(i).delivery()).size();
      allCounted &= have >= segmentCounts.get(i);
    }
    if (!allCounted) {
      save(counted);
      log.info("delivery d{} to {} in doubt: receipt {} counted ({} of {} segments; {} SMS quote alike)", d.id(),
          d.recipient().masked(), r.smscId(), ids.size(), segmentCounts.get(open), matching.size());
      return true;
    }
    Instant now = clock.instant();
    List<Delivery> settled = new ArrayList<>();
    for (int i = 0; i < matching.size(); i++) {
      Delivery one = i == open ? counted : matching.get(i).delivery();
      settled.add(r.delivered()
          ? one.withState(DeliveryState.DELIVERED, now).withError(null)
          : one.withState(DeliveryState.FAILED, now).withError("DLR " + r.status()));
    }
    store.update(settled);
    for (int i = 0; i < settled.size(); i++) {
      Delivery next = settled.get(i);
      told(next.messageId(), next, r.status());
      telemetry.dlr(r.status());
      telemetry.delivered(next.route().orElse(Route.SMS), next.state().name(),
          Duration.between(matching.get(i).message().acceptedAt(), now));
      log.info("delivery d{} msg {} to {} in doubt settled by receipts ({}): state={}, not sent again", next.id(),
          next.messageId(), next.recipient().masked(), next.smscIds().orElse(""), next.state());
    }
    release(d.recipient());
    return true;
  }

  /** The recipient as a user; one never seen before is an English-speaking new user. */
  private User recipient(Delivery d, Instant now) {
    return users.find(d.recipient()).orElseGet(() -> User.newUser(d.recipient(), Language.EN, now));
  }

  private static List<String> ids(Delivery d) {
    return d.smscIds().filter(s -> !s.isEmpty()).map(s -> List.of(s.split(","))).orElse(List.of());
  }

  /** Durable once this returns; written together with what other workers write meanwhile (ADR 0035). */
  private void save(Delivery d) {
    writes.write(d);
  }

  /**
   * Told of every state a delivery reaches once it is stored: by SMS (SENT, DELIVERED, FAILED),
   * and, for its sender's view (issue 16), on a page (AWAITING_FETCH), kept (KEPT) and seen.
   */
  public interface StateListener {
    void onState(MessageId message, Delivery delivery, String detail);

    /**
     * The same, told by a stage that has the message at hand: a listener that needs the message
     * (its sender) reads nothing. Receipts are told by id: the stage has only the delivery then.
     */
    default void onState(Message message, Delivery delivery, String detail) {
      onState(message.id(), delivery, detail);
    }

    /** The detail of a state told because the recipient's page showed the message. */
    String SEEN = "seen";

    /**
     * Only what a delivery receipt reports, each once as it is reached: SENT, DELIVERED, FAILED
     * (not the page states, nor an SMS seen on a page later), for Kannel-style DLR callbacks.
     */
    static StateListener smsStates(StateListener l) {
      return new StateListener() {
        @Override
        public void onState(MessageId m, Delivery d, String detail) {
          if (reported(d, detail)) {
            l.onState(m, d, detail);
          }
        }

        @Override
        public void onState(Message m, Delivery d, String detail) {
          if (reported(d, detail)) {
            l.onState(m, d, detail);
          }
        }

        private static boolean reported(Delivery d, String detail) {
          boolean sms = d.state() == DeliveryState.SENT || d.state() == DeliveryState.DELIVERED
              || d.state() == DeliveryState.FAILED;
          return sms && !SEEN.equals(detail);
        }
      };
    }

    /** This listener, then {@code next}; each is told even when the other fails. */
    default StateListener andThen(StateListener next) {
      StateListener first = this;
      return new StateListener() {
        @Override
        public void onState(MessageId m, Delivery d, String detail) {
          try {
            first.onState(m, d, detail);
          } finally {
            next.onState(m, d, detail);
          }
        }

        @Override
        public void onState(Message m, Delivery d, String detail) {
          try {
            first.onState(m, d, detail);
          } finally {
            next.onState(m, d, detail);
          }
        }
      };
    }
  }

  private volatile StateListener listener = (MessageId m, Delivery d, String detail) -> {};
  private volatile Telemetry telemetry = Telemetry.NONE;

  public void telemetry(Telemetry t) {
    this.telemetry = t;
  }

  public void listener(StateListener l) {
    this.listener = l;
  }

  private void told(MessageId m, Delivery d, String detail) {
    try {
      listener.onState(m, d, detail);
    } catch (RuntimeException e) {
      log.warn("delivery state listener failed for d{}", d.id(), MaskedFailure.of(e));
    }
  }

  private void told(Message m, Delivery d, String detail) {
    try {
      listener.onState(m, d, detail);
    } catch (RuntimeException e) {
      log.warn("delivery state listener failed for d{}", d.id(), MaskedFailure.of(e));
    }
  }

  /** Deliveries currently being worked on (tests and metrics). */
  public int inFlight() {
    return inFlight.size();
  }

  @Override
  public void close() {
    stop(Instant.now().plusSeconds(5));
  }

  /**
   * Stops taking work and lets the workers finish until {@code deadline}, then interrupts the
   * rest (issue 20): what was not submitted stays due in the store, and what was submitted but
   * not recorded stays SUBMITTING (ADR 0011), for the next start or another node. Returns how
   * many deliveries were still in flight at the deadline.
   */
  public int stop(Instant deadline) {
    running = false;
    poller.shutdownNow();
    workers.shutdown();
    try {
      long wait = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
      if (!workers.awaitTermination(wait, TimeUnit.NANOSECONDS)) {
        int left = inFlight.size();
        workers.shutdownNow();
        return left;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
