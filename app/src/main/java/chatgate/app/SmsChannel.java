package chatgate.app;

import chatgate.app.config.Config;
import chatgate.cluster.NatsSmsRelay;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsPort;
import chatgate.core.port.SmsPort.OutboundSms;
import chatgate.core.port.SmsPort.SubmitOutcome;
import chatgate.core.sms.MoReassembler;
import chatgate.sms.smpp.SmppSmsPort;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The SMS channel as the rest of the gateway sees it: this node's own SMPP link, or, in a
 * cluster with {@code [cluster] smpp_binds}, binds leased among the nodes (issue 7).
 */
final class SmsChannel {
  private final SmsPort port;
  private final BooleanSupplier bound;
  private final BiConsumer<SmsInbound, MoReassembler> inbound;
  private final Runnable start;
  private final Runnable close;
  /** Where MT handed over by other nodes get their gate (a cluster with shared binds). */
  private Consumer<Function<OutboundSms, SmsPort.SendGate>> holderGates = g -> {};
  /** What to do after each bind of a link of this node (the stage's linkUp). */
  private final AtomicReference<Runnable> bindListener =
      new AtomicReference<>(() -> {});

  private SmsChannel(SmsPort port, BooleanSupplier bound,
      BiConsumer<SmsInbound, MoReassembler> inbound, Runnable start,
      Runnable close) {
    this.port = port;
    this.bound = bound;
    this.inbound = inbound;
    this.start = start;
    this.close = close;
  }

  static SmsChannel of(Config c, ClusterParts cluster, Supplier<SmppSmsPort> links) {
    if (cluster == null || c.cluster().smppBinds() == 0) {
      SmppSmsPort own = links.get();
      SmsChannel ch = new SmsChannel(own, own::bound, own::inbound, own::start, own::close);
      own.onBound(() -> ch.bindListener.get().run());
      return ch;
    }
    // Each bind lease opens a fresh link; the receivers of MO are known only once wired.
    var sink = new AtomicReference<SmsInbound>();
    var parts = new AtomicReference<MoReassembler>();
    var listener = new AtomicReference<Runnable>(() -> {});
    NatsSmsRelay relay;
    try {
      relay = new NatsSmsRelay(cluster.nats, c.cluster().smppBinds(), () -> {
        SmppSmsPort own = links.get();
        own.inbound(sink.get(), parts.get());
        own.onBound(() -> listener.get().run());
        return new NatsSmsRelay.Link() {
          @Override
          public CompletionStage<SubmitOutcome> submit(OutboundSms sms) {
            return own.submit(sms);
          }

          @Override
          public void start() {
            own.start();
          }

          @Override
          public boolean bound() {
            return own.bound();
          }

          @Override
          public void close() {
            own.close();
          }
        };
        // A handed-over MT waits at most this for the holder's answer (its SMPP response timeout
        // is 10 s); a holder that died meanwhile costs one retry, not a long stall.
      }, Duration.ofSeconds(15));
    } catch (IOException e) {
      throw new IllegalStateException("cannot share SMPP binds over NATS: " + e.getMessage(), e);
    }
    NatsSmsRelay shared = relay;
    SmsPort port = new SmsPort() {
      @Override
      public CompletionStage<SubmitOutcome> submit(OutboundSms sms) {
        return shared.submit(sms);
      }

      @Override
      public List<String> segmentTexts(OutboundSms sms) {
        return SmppSmsPort.textsOfSegments(sms, Clock.systemUTC()); // whichever node's bind sends it
      }
    };
    SmsChannel ch = new SmsChannel(port, shared::bound, (s, r) -> {
      sink.set(s);
      parts.set(r);
    }, shared::start, shared::close);
    listener.set(() -> ch.bindListener.get().run());
    ch.holderGates = shared::holderGates;
    return ch;
  }

  SmsPort port() {
    return port;
  }

  boolean bound() {
    return bound.getAsBoolean();
  }

  void inbound(SmsInbound s, MoReassembler r) {
    inbound.accept(s, r);
  }

  void start() {
    start.run();
  }

  /** The stage's gate for MT that other nodes hand to this node's binds (a cluster with shared binds). */
  void holderGates(Function<OutboundSms, SmsPort.SendGate> gates) {
    holderGates.accept(gates);
  }

  void onBound(Runnable r) {
    bindListener.set(r);
  }

  void close() {
    close.run();
  }
}
