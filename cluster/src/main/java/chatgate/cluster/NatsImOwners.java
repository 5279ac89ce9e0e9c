package chatgate.cluster;

import chatgate.core.model.MaskedFailure;
import chatgate.core.model.Msisdn;
import chatgate.core.port.ImSessionOwners;
import chatgate.core.port.ImSubmitter.Outcome;
import chatgate.core.port.ImSubmitter;
import chatgate.core.port.SmsInbound.MobileOriginated;
import chatgate.core.port.SmsInbound;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IM session ownership across nodes (issue 7). The node holding a phone's IM sessions leases
 * {@code im.<digits>} in a KV bucket (TTL {@link #TTL}, renewed every {@link #RENEW}) and
 * listens on {@code chatgate.mo.<digits>}; another node receiving that phone's MO sends it
 * there as a request and the holder handles it whole. When the holder dies its lease lapses
 * within the TTL, and the sweep of a live node tells the phone ({@code ImRelay.tellOrphaned}).
 *
 * <p>A phone's stored text to an IM contact that another node's delivery stage works on (a
 * retry it claimed) is submitted the same way, on {@code chatgate.imsend.<digits>}: the holder
 * puts it on its session and answers with the outcome (ADR 0022).
 */
public final class NatsImOwners implements ImSessionOwners, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NatsImOwners.class);
  public static final String BUCKET = "chatgate_im";
  public static final Duration TTL = Duration.ofSeconds(15);
  static final Duration RENEW = Duration.ofSeconds(5);
  static final String SUBJECT = "chatgate.mo.";
  static final String SUBMIT_SUBJECT = "chatgate.imsend.";
  /** How long a submission handed to the holder may take: below the delivery stage's wait for an acknowledgement. */
  static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(8);
  private static final Duration HOLDER_WAIT = SUBMIT_TIMEOUT.minusSeconds(1);
  private static final byte[] DONE = {'1'};

  private final Connection nc;
  private final KeyValue kv;
  private final String node;
  private final Duration timeout;
  private final Dispatcher dispatcher;
  private final Map<Msisdn, Held> held = new ConcurrentHashMap<>();
  private final ScheduledExecutorService renewer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("im-leases").daemon().factory());
  private volatile SmsInbound receiver;
  private volatile Function<ImSubmitter.Submission, CompletionStage<Outcome>> submitter =
      s -> CompletableFuture.completedFuture(new Outcome.NoSession());

  private record Held(Optional<Lease> lease, Subscription subscription, Subscription submits) {}

  public NatsImOwners(NatsCluster cluster, Duration timeout) throws IOException {
    this.nc = cluster.connection();
    this.kv = cluster.bucket(BUCKET, TTL);
    this.node = cluster.settings().nodeId();
    this.timeout = timeout;
    this.dispatcher = nc.createDispatcher();
    renewer.scheduleWithFixedDelay(this::renew, RENEW.toMillis(), RENEW.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Where handed-over submissions go on this node (the IM relay's own sessions). */
  public void submitter(Function<ImSubmitter.Submission, CompletionStage<Outcome>> s) {
    this.submitter = s;
  }

  /** Where handed-over MO are handled on this node (the MO service). */
  public void receiver(SmsInbound r) {
    this.receiver = r;
  }

  private static String key(Msisdn m) {
    return "im." + m.e164().substring(1);
  }

  private static String subject(Msisdn m) {
    return SUBJECT + m.e164().substring(1);
  }

  @Override
  public void holding(Msisdn phone) {
    held.computeIfAbsent(phone, m -> {
      Optional<Lease> lease = acquire(m);
      return new Held(lease, dispatcher.subscribe(subject(m), this::onHandOver),
          dispatcher.subscribe(SUBMIT_SUBJECT + m.e164().substring(1), this::onSubmit));
    });
  }

  private Optional<Lease> acquire(Msisdn m) {
    try {
      Optional<Lease> lease = Lease.tryAcquire(kv, key(m), node);
      if (lease.isEmpty()) {
        // Another node holds sessions of this phone too (two LOGINs raced to two nodes): both
        // answer for it; the lease is taken when that node lets go.
        log.warn("IM sessions of {} are held on another node as well", m.masked());
      }
      return lease;
    } catch (IOException | RuntimeException e) {
      log.warn("IM lease for {} not taken: {}", m.masked(), e.toString());
      return Optional.empty();
    }
  }

  @Override
  public void released(Msisdn phone) {
    Held h = held.remove(phone);
    if (h != null) {
      try {
        dispatcher.unsubscribe(h.subscription());
        dispatcher.unsubscribe(h.submits());
      } catch (IllegalStateException closed) {
        // the connection is gone: so is the subscription
      }
      h.lease().ifPresent(Lease::close);
    }
  }

  /** Renews every lease held, and retries the ones not taken yet. */
  private void renew() {
    held.replaceAll((m, h) -> {
      if (h.lease().isPresent() && h.lease().get().renew()) {
        return h;
      }
      if (h.lease().isPresent() && h.lease().get().held()) {
        return h; // NATS unreachable this time: try again at the next round
      }
      Optional<Lease> again = acquire(m);
      return new Held(again, h.subscription(), h.submits());
    });
  }

  @Override
  public boolean handOver(MobileOriginated mo) {
    if (held.containsKey(mo.from())) {
      return false;
    }
    byte[] body = ImWire.mo(mo);
    try {
      Message reply = nc.requestWithTimeout(subject(mo.from()), body, timeout)
          .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      return reply != null && reply.getData() != null && reply.getData().length == 1 && reply.getData()[0] == '1';
    } catch (ExecutionException | TimeoutException | CancellationException e) {
      return false; // nobody holds the phone's sessions (no responders), or the holder did not answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void onHandOver(Message msg) {
    SmsInbound r = receiver;
    try {
      MobileOriginated mo = ImWire.mo(msg.getData());
      if (r == null || !held.containsKey(mo.from())) {
        return; // not (or no longer) ours: stay silent, the sender handles it
      }
      // Handled off the dispatcher thread (it serves every phone), answered once done.
      Thread.ofVirtual().name("mo-handed-over").start(() -> {
        try {
          r.onMobileOriginated(mo);
          if (msg.getReplyTo() != null) {
            nc.publish(msg.getReplyTo(), DONE);
          }
        } catch (RuntimeException e) {
          log.warn("handed-over MO {} failed here", mo.ref(), MaskedFailure.of(e));
        }
      });
    } catch (IOException | RuntimeException e) {
      log.warn("handed-over MO on {} not handled: {}", Msisdn.maskAll(msg.getSubject()), Msisdn.maskAll(e.toString()));
    }
  }

  @Override
  public CompletionStage<Outcome> submit(ImSubmitter.Submission s) {
    if (!heldAnywhere(s.phone())) {
      // No lease: no node holds a session of the phone, so nobody could answer; it waits for a login.
      return CompletableFuture.completedFuture(new Outcome.NoSession());
    }
    byte[] body = ImWire.submission(s);
    return nc.requestWithTimeout(SUBMIT_SUBJECT + s.phone().e164().substring(1), body, SUBMIT_TIMEOUT)
        .handle((reply, err) -> {
          if (err != null || reply == null || reply.getData() == null || reply.getData().length == 0) {
            // Nobody answered for the phone (no responders), or not in time: the stage tries again.
            return (Outcome) new Outcome.Retry("the node holding the session did not answer");
          }
          try {
            return ImWire.outcome(reply.getData());
          } catch (IOException e) {
            return new Outcome.Retry("unreadable answer: " + e.getMessage());
          }
        });
  }

  /** A submission from another node for a phone whose session this node holds: put on it, answered with the outcome. */
  private void onSubmit(Message msg) {
    if (msg.getReplyTo() == null) {
      return;
    }
    ImSubmitter.Submission s;
    try {
      s = ImWire.submission(msg.getData());
    } catch (IOException | RuntimeException e) {
      log.warn("handed-over IM text on {} not read: {}", Msisdn.maskAll(msg.getSubject()), Msisdn.maskAll(e.toString()));
      return;
    }
    if (!held.containsKey(s.phone())) {
      return; // not (or no longer) ours: stay silent, the sender tries again
    }
    CompletableFuture<Outcome> outcome;
    try {
      outcome = submitter.apply(s).toCompletableFuture();
    } catch (RuntimeException e) {
      outcome = CompletableFuture.completedFuture(new Outcome.Retry(e.toString()));
    }
    outcome.completeOnTimeout(new Outcome.Retry("not acknowledged yet"), HOLDER_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((o, err) -> {
          try {
            nc.publish(msg.getReplyTo(), ImWire.outcome(err != null ? new Outcome.Retry(String.valueOf(err)) : o));
          } catch (RuntimeException e) {
            log.warn("outcome of a handed-over IM text not sent back: {}", Msisdn.maskAll(e.toString()));
          }
        });
  }

  @Override
  public boolean heldAnywhere(Msisdn phone) {
    if (held.containsKey(phone)) {
      return true;
    }
    try {
      return Lease.holder(kv, key(phone)).isPresent();
    } catch (IOException | RuntimeException e) {
      return true; // cannot tell: do not end anyone's login on a guess
    }
  }

  /** Phones whose sessions this node holds (tests, metrics). */
  public int holding() {
    return held.size();
  }

  @Override
  public void close() {
    renewer.shutdownNow();
    for (Msisdn m : held.keySet()) {
      released(m);
    }
  }
}
