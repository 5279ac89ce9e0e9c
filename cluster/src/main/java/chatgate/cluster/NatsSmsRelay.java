package chatgate.cluster;

import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsPort;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMPP binds shared by the cluster (issue 7), for SMSC accounts that allow fewer binds than there
 * are nodes. Bind number {@code i} is a lease {@code smpp.bind.<i>} (KV bucket, TTL {@link #TTL});
 * a node holding one binds and serves the others' MT on the queue group {@code chatgate.mt};
 * a node holding none hands its MT to them. When a bind holder dies, its lease lapses and a node
 * without a bind takes the number and binds, within the TTL plus one {@link #TRY_EVERY}.
 */
public final class NatsSmsRelay implements SmsPort, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NatsSmsRelay.class);
  public static final String BUCKET = "chatgate_binds";
  public static final Duration TTL = Duration.ofSeconds(15);
  static final Duration TRY_EVERY = Duration.ofSeconds(3);
  /** A stopping node waits this long for its unbind before it gives the bind lease up. */
  static final Duration UNBIND_WAIT = Duration.ofMillis(800);
  static final String SUBJECT = "chatgate.mt";
  private static final String QUEUE = "binders";

  /** An SMPP link this node can open and close as it gains and loses a bind lease. */
  public interface Link extends SmsPort, AutoCloseable {
    void start();

    boolean bound();

    @Override
    void close();
  }

  private final Connection nc;
  private final KeyValue kv;
  private final String node;
  private final int binds;
  private final Supplier<Link> links;
  private final Duration timeout;
  private final Dispatcher dispatcher;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("smpp-bind-lease").daemon().factory());
  private volatile Link link;
  private volatile Function<OutboundSms, SmsPort.SendGate> holderGates = s -> SmsPort.SendGate.OPEN;
  private volatile Lease lease;
  private volatile Subscription serving;
  /** Watches the bind leases for one given up. */
  private volatile NatsKeyValueWatchSubscription released;

  /**
   * @param binds how many binds the SMSC account allows (the lease numbers 0..binds-1)
   * @param timeout how long a handed-over MT may take (the holder's window and throughput queue included)
   */
  public NatsSmsRelay(NatsCluster cluster, int binds, Supplier<Link> links, Duration timeout) throws IOException {
    this.nc = cluster.connection();
    this.kv = cluster.bucket(BUCKET, TTL);
    this.node = cluster.settings().nodeId();
    this.binds = binds;
    this.links = links;
    this.timeout = timeout;
    this.dispatcher = nc.createDispatcher();
  }

  /**
   * Takes a free bind now if there is one, then keeps trying and renewing in the background, and
   * at once when a bind lease is given up (a node stopping cleanly deletes its lease, issue 20).
   */
  public NatsSmsRelay start() {
    tick();
    try {
      released = kv.watchAll(new KeyValueWatcher() {
        @Override
        public void watch(KeyValueEntry e) {
          if (e.getOperation() != KeyValueOperation.PUT && lease == null) {
            try {
              scheduler.execute(NatsSmsRelay.this::tick);
            } catch (RejectedExecutionException stopping) {
              // this node is stopping too
            }
          }
        }

        @Override
        public void endOfData() {}
      }, KeyValueWatchOption.UPDATES_ONLY);
    } catch (IOException | JetStreamApiException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("cannot watch the SMPP bind leases (a freed bind is taken at the next try instead): {}", e.toString());
    }
    scheduler.scheduleWithFixedDelay(this::tick, TRY_EVERY.toMillis(), TRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** This node holds a bind lease (and so binds). */
  public boolean holdsBind() {
    return link != null;
  }

  /** This node's own link is bound, or some node serves MT for it. */
  public boolean bound() {
    Link l = link;
    return l != null ? l.bound() : lease == null; // a node without a bind relies on the others
  }

  private synchronized void tick() {
    try {
      Lease l = lease;
      if (l != null) {
        if (!l.renew() && !l.held()) {
          log.error("SMPP bind lease {} lost to another node: unbinding", l.key());
          stopServing();
        }
        return;
      }
      for (int i = 0; i < binds; i++) {
        Optional<Lease> got = Lease.tryAcquire(kv, "smpp.bind." + i, node);
        if (got.isPresent()) {
          lease = got.get();
          Link opened = links.get();
          opened.start();
          link = opened;
          serving = dispatcher.subscribe(SUBJECT, QUEUE, this::onMt);
          log.info("node {} holds SMPP bind {} of {}", node, i, binds);
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("SMPP bind lease round failed: {}", e.toString());
    }
  }

  private void stopServing() {
    stopServing(null);
  }

  /**
   * Stops serving the queue group, closes the link (waiting at most {@code linkWait} for its unbind
   * when given) and gives the lease up: a node stopping must release it even when its SMSC is slow
   * to answer the unbind, or the others wait for the TTL (issue 20).
   */
  private void stopServing(Duration linkWait) {
    Subscription s = serving;
    serving = null;
    if (s != null) {
      try {
        dispatcher.unsubscribe(s);
      } catch (IllegalStateException closed) {
        // connection gone
      }
    }
    Link l = link;
    link = null;
    if (l != null) {
      if (linkWait == null) {
        l.close();
      } else {
        Thread closing = Thread.ofPlatform().daemon().name("smpp-unbind").start(l::close);
        try {
          if (!closing.join(linkWait)) {
            log.warn("SMPP unbind not answered within {} ms: giving the bind lease up anyway", linkWait.toMillis());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    Lease held = lease;
    lease = null;
    if (held != null) {
      held.close();
    }
  }

  /** The gate of each MT another node hands to this one, opened by the link just before its submit_sm. */
  public void holderGates(Function<OutboundSms, SmsPort.SendGate> gates) {
    this.holderGates = gates;
  }

  @Override
  public CompletionStage<SubmitOutcome> submit(OutboundSms sms) {
    Link l = link;
    if (l != null) {
      return l.submit(sms);
    }
    // The holder opens its own gate (holderGates) just before its submit_sm: marking here would put
    // SMS in doubt that a dying holder never sent.
    byte[] body = SmsWire.request(sms);
    long asked = System.nanoTime();
    return nc.requestWithTimeout(SUBJECT, body, timeout).handle((reply, err) -> {
      if (err != null && System.nanoTime() - asked >= timeout.toNanos() / 2) {
        // Handed over, no answer in time: the holder may have sent it and died before replying.
        // (jnats fails both this and "no responders" with a CancellationException; the latter at once.)
        return new SubmitOutcome.InDoubt("the bind holder did not answer: " + err.getClass().getSimpleName());
      }
      if (err != null || reply == null || reply.getData() == null) {
        // No bind holder answered (none alive, or it did not finish in time): as a link down.
        return new SubmitOutcome.Retry("no node with an SMPP bind answered: "
            + (err == null ? "empty reply" : err.getClass().getSimpleName()), Duration.ZERO);
      }
      try {
        return SmsWire.outcome(reply.getData());
      } catch (IOException e) {
        return new SubmitOutcome.Retry("unreadable reply from the bind holder", Duration.ZERO);
      }
    });
  }

  private void onMt(Message msg) {
    Link l = link;
    if (l == null || msg.getReplyTo() == null) {
      return; // stopped serving meanwhile: silence makes the sender retry
    }
    OutboundSms sms;
    try {
      sms = SmsWire.sms(msg.getData(), holderGates);
    } catch (IOException | RuntimeException e) {
      log.warn("handed-over MT unreadable: {}", Msisdn.maskAll(e.toString()));
      return;
    }
    CompletionStage<SubmitOutcome> done;
    try {
      done = l.submit(sms);
    } catch (RuntimeException e) {
      done = CompletableFuture.completedFuture(new SubmitOutcome.Retry(e.toString(), Duration.ZERO));
    }
    done.whenComplete((o, err) -> {
      SubmitOutcome out = err != null ? new SubmitOutcome.Retry(String.valueOf(err), Duration.ZERO) : o;
      try {
        nc.publish(msg.getReplyTo(), SmsWire.reply(out));
      } catch (IOException | RuntimeException e) {
        log.warn("reply to handed-over MT {} failed: {}", sms.ref(), Msisdn.maskAll(e.toString()));
      }
    });
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    var w = released;
    if (w != null) {
      try {
        w.unsubscribe();
      } catch (RuntimeException e) {
        log.debug("bind lease watch close: {}", e.toString());
      }
    }
    synchronized (this) {
      stopServing(UNBIND_WAIT);
    }
  }
}
