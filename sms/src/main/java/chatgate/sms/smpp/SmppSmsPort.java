package chatgate.sms.smpp;

import chatgate.core.auth.Keys;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsPort;
import chatgate.core.sms.MoReassembler;
import chatgate.sms.codec.SmsCodec;
import chatgate.sms.codec.UserData;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.DefaultPDUSender;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.PDUStringException;
import org.jsmpp.SynchronizedPDUSender;
import org.jsmpp.bean.AbstractSmCommand;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.connection.socket.SocketConnectionFactory;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS port over SMPP 3.4 (an ESME, on jSMPP): one transceiver bind, or a transmitter and a
 * receiver; enquire_link; reconnect with backoff after any loss; a token bucket at the
 * contracted {@code throughput} and a {@code window} of outstanding submit_sm.
 *
 * <p>It only carries messages: what to send and when to retry is the delivery stage's. A
 * temporary refusal comes back as {@link SubmitOutcome.Retry}, a permanent one as
 * {@link SubmitOutcome.Failed} with the SMSC's status. An MO or receipt is answered with
 * deliver_sm_resp only after the gateway stored it; when it could not, the SMSC is told
 * {@code ESME_RX_T_APPN} and repeats it later.
 */
public final class SmppSmsPort implements SmsPort, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmppSmsPort.class);
  /** submit_sm_resp statuses that mean "later" (Kannel and Jasmin agree on these). */
  private static final int THROTTLED = 0x58;
  /** ESME_RINVBNDSTS: a submit_sm on a session that is not (or no longer) bound. */
  private static final int INVALID_BIND_STATUS = 0x04;
  private static final int MSGQFUL = 0x14;
  private static final int SYSERR = 0x08;
  private static final int X_T_APPN = 0x64;
  private static final int ESME_RINVMSGLEN = 0x01;
  private static final int RECENT_MAX = 20_000;
  private static final int PDU_THREADS = 32;
  private static final int PDU_QUEUE = 2_000;

  private final SmppSettings s;
  private final DeliverSmReader reader;
  private final Clock clock;
  private final TokenBucket bucket;
  private final Semaphore window;
  /**
   * SMS past their gate (durably marked "on the wire", ADR 0011) and not yet answered: the
   * window plus as many again waiting for a slot. The mark is a commit; taken inside the window
   * it would hold a slot for an fsync, so the next SMS is marked while the window is busy.
   */
  private final Semaphore marked;
  private volatile SmsInbound sink;
  private volatile MoReassembler reassembler;
  private volatile SMPPSession tx;
  private volatile SMPPSession rx;
  private volatile boolean open = true;
  private volatile Thread linkThread;
  private final Object linkLock = new Object();
  /** Segments already accepted per ref: a retry resumes after them, a repeat is answered from here. */
  private final Map<String, List<String>> accepted = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<String>> e) {
      return size() > RECENT_MAX;
    }
  };
  private final Map<String, Integer> concatRefs = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> e) {
      return size() > RECENT_MAX;
    }
  };

  /** {@code keys}: the gateway's, for MO refs (the same on every node and across restarts). */
  public SmppSmsPort(SmppSettings settings, NumberPlan numbers, Clock clock, Keys keys) {
    this.s = settings;
    this.reader = new DeliverSmReader(settings, numbers, clock, keys);
    this.clock = clock;
    this.bucket = new TokenBucket(settings.throughput());
    this.window = new Semaphore(settings.window(), true);
    this.marked = new Semaphore(2 * settings.window(), true);
  }

  /** Where MOs and receipts go; concatenated MOs go through the reassembler first. */
  public void inbound(SmsInbound sink, MoReassembler reassembler) {
    this.sink = sink;
    this.reassembler = reassembler;
  }

  private static final Duration RECONNECT_CAP = Duration.ofSeconds(30);
  private volatile Runnable onBound = () -> {};

  /** Run after every successful bind (the first and each one after the link was lost). */
  public void onBound(Runnable r) {
    this.onBound = r;
  }

  /** Starts binding in the background; submits before the bind is up are answered "retry". */
  public void start() {
    linkThread = Thread.ofPlatform().name("smpp-link").daemon().start(this::linkLoop);
  }

  /** True while the link can submit (and, for /readyz, is bound). */
  public boolean bound() {
    SMPPSession t = tx;
    SMPPSession r = rx;
    return t != null && t.getSessionState().isBound() && r != null && r.getSessionState().isBound();
  }

  private void linkLoop() {
    Duration delay = s.reconnectDelay();
    while (open) {
      try {
        bind();
        delay = s.reconnectDelay();
        try {
          onBound.run();
        } catch (RuntimeException e) {
          log.warn("after bind: {}", Msisdn.maskAll(e.toString()));
        }
        synchronized (linkLock) {
          while (open && bound()) {
            linkLock.wait(Math.clamp(silence() / 2, 50, 1000)); // a silent link is found within 1.5 × silence()
            if (silent()) {
              // jSMPP can leave a session "bound" whose reader has died (garbage from the SMSC
              // during the bind: HostileSmscFuzzIT); nothing read for this long means it is gone.
              log.warn("smpp link to {}:{} silent for over {} ms: closing it", s.host(), s.port(), silence());
              break;
            }
          }
        }
        if (open) {
          log.warn("smpp link to {}:{} lost; reconnecting", s.host(), s.port());
        }
      } catch (IOException | RuntimeException e) {
        log.warn("smpp bind to {}:{} failed: {}; retrying in {}", s.host(), s.port(), e.getMessage(), delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      closeSessions(false);
      if (!open) {
        break;
      }
      try {
        Thread.sleep(jitter(delay));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      // Backoff grows after repeated failures, capped: an SMSC that refuses binds is not hammered,
      // and one back from an outage is found again within the cap (30 s, or reconnect_delay if longer).
      Duration cap = s.reconnectDelay().compareTo(RECONNECT_CAP) > 0 ? s.reconnectDelay() : RECONNECT_CAP;
      delay = delay.multipliedBy(2).compareTo(cap) > 0 ? cap : delay.multipliedBy(2);
    }
  }

  /** Longest a healthy bound link goes without reading a PDU: two keep-alive rounds and a response. */
  private long silence() {
    return 2 * s.enquireLink().toMillis() + s.responseTimeout().toMillis();
  }

  private boolean silent() {
    long now = System.currentTimeMillis();
    SMPPSession t = tx;
    SMPPSession r = rx;
    long last = Math.min(t == null ? now : t.getLastActivityTimestamp(), r == null ? now : r.getLastActivityTimestamp());
    return now - last > silence();
  }

  private static long jitter(Duration d) {
    return (long) (d.toMillis() * (0.8 + ThreadLocalRandom.current().nextDouble() * 0.4));
  }

  private void bind() throws IOException {
    if (s.transceiver()) {
      SMPPSession trx = session(BindType.BIND_TRX);
      tx = trx;
      rx = trx;
    } else {
      SMPPSession t = session(BindType.BIND_TX);
      tx = t;
      rx = session(BindType.BIND_RX);
    }
    log.info("smpp bound to {}:{} as {}", s.host(), s.port(), s.transceiver() ? "transceiver" : "transmitter+receiver");
  }

  private SMPPSession session(BindType type) throws IOException {
    BoundedPduReader reader = new BoundedPduReader();
    SMPPSession session = new SMPPSession(new SynchronizedPDUSender(new DefaultPDUSender()),
        reader, SocketConnectionFactory.getInstance()) {
      @Override
      public void unbindAndClose() {
        if (reader.streamBroken()) {
          // jSMPP's reader thread answered generic_nack and would now wait for an unbind_resp that
          // only it could read (a transaction timer's stall): the stream is lost anyway, so close.
          close();
        } else {
          super.unbindAndClose();
        }
      }
    };
    session.setEnquireLinkTimer((int) s.enquireLink().toMillis());
    session.setTransactionTimer(s.responseTimeout().toMillis());
    // jSMPP handles every incoming PDU (submit_sm_resp too) on this pool, and an MO or receipt holds
    // its thread until the store has committed it; a small pool would stall the responses behind them.
    session.setPduProcessorDegree(PDU_THREADS);
    session.setQueueCapacity(PDU_QUEUE);
    if (type != BindType.BIND_TX) {
      session.setMessageReceiverListener(new Receiver(reader));
    }
    session.addSessionStateListener((SessionState now, SessionState before, Session src) -> {
      if (!now.isBound()) {
        synchronized (linkLock) {
          linkLock.notifyAll();
        }
      }
    });
    try {
      session.connectAndBind(s.host(), s.port(), new BindParameter(type, s.systemId(), s.password(), s.systemType(),
          TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 10_000);
    } catch (IOException e) {
      session.close();
      throw e;
    }
    return session;
  }

  @Override
  public CompletionStage<SubmitOutcome> submit(OutboundSms sms) {
    // Blocking by design: the delivery stage calls from a virtual thread per delivery.
    return CompletableFuture.completedFuture(submitNow(sms));
  }

  private SubmitOutcome submitNow(OutboundSms sms) {
    List<SmsCodec.Segment> segments;
    try {
      segments = segments(sms);
    } catch (IllegalArgumentException e) {
      return new SubmitOutcome.Failed("cannot encode: " + e.getMessage());
    }
    List<String> ids;
    synchronized (accepted) {
      ids = new ArrayList<>(accepted.getOrDefault(sms.ref(), List.of()));
    }
    int first = ids.size();
    if (first >= segments.size()) {
      return new SubmitOutcome.Accepted(List.copyOf(ids)); // a repeat: every segment was taken before
    }
    try {
      if (!marked.tryAcquire(2 * s.responseTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        return new SubmitOutcome.Retry("smpp window full", Duration.ofSeconds(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SubmitOutcome.Retry("interrupted", Duration.ofSeconds(1));
    }
    try {
      SMPPSession link = tx;
      if (link == null || !link.getSessionState().isTransmittable()) {
        return new SubmitOutcome.Retry("smpp link down", s.reconnectDelay());
      }
      try {
        // Durably "on the wire" before the first submit_sm (ADR 0011). From here on this SMS may
        // only wait for a window slot, so a crash leaves at most 2 x window marked and unanswered.
        sms.gate().opening();
      } catch (RuntimeException e) {
        return new SubmitOutcome.Retry("not sent: " + e.getMessage(), Duration.ofSeconds(1));
      }
      return submitSegments(sms, segments, ids, first);
    } finally {
      marked.release();
    }
  }

  private SubmitOutcome submitSegments(OutboundSms sms, List<SmsCodec.Segment> segments, List<String> ids, int first) {
    for (int i = first; i < segments.size(); i++) {
      SMPPSession session = tx;
      if (session == null || !session.getSessionState().isTransmittable()) {
        return new SubmitOutcome.Retry("smpp link down", s.reconnectDelay());
      }
      SmsCodec.Segment seg = segments.get(i);
      try {
        if (!window.tryAcquire(s.responseTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
          return new SubmitOutcome.Retry("smpp window full", Duration.ofSeconds(1));
        }
        try {
          bucket.take();
          // A sendsms client's from, coding, mclass, validity… (Kannel's fields); none for the rest.
          SmsPort.MtOptions o = sms.wapPushUrl().isPresent() ? SmsPort.MtOptions.NONE : sms.options();
          String from = o.source();
          String id = session.submitShortMessage(s.systemType(),
              from.isEmpty() ? sourceTon() : ClientFields.ton(from, digitsTon()),
              from.isEmpty() ? sourceNpi() : ClientFields.npi(from, digitsNpi()),
              from.isEmpty() ? s.serviceNumber() : ClientFields.source(from),
              TypeOfNumber.valueOf((byte) s.destTon()), NumberingPlanIndicator.valueOf((byte) s.destNpi()),
              destination(sms.to()), new ESMClass(seg.esmClass() | (o.rpi() > 0 ? ClientFields.ESM_REPLY_PATH : 0)),
              (byte) Math.max(0, o.pid()), (byte) Math.max(0, o.priority()), ClientFields.time(o.deliverAt()),
              ClientFields.time(o.validUntil()), new RegisteredDelivery((byte) 0x01), (byte) 0,
              new RawDataCoding((byte) (o.isNone() ? seg.dataCoding()
                  : ClientFields.dataCoding(seg.dataCoding(), o, sms.text().isEmpty()))), (byte) 0,
              seg.shortMessage()).getMessageId();
          ids.add(s.ids().fromSubmit(id));
          synchronized (accepted) {
            accepted.put(sms.ref(), List.copyOf(ids));
          }
        } finally {
          window.release();
        }
      } catch (NegativeResponseException e) {
        int st = e.getCommandStatus();
        String reason = "smsc status 0x" + Integer.toHexString(st);
        if (st == THROTTLED) {
          bucket.pause(TimeUnit.SECONDS.toNanos(1));
          return new SubmitOutcome.Retry(reason + " (throttled)", Duration.ofSeconds(1));
        }
        if (st == MSGQFUL) {
          return new SubmitOutcome.Retry(reason + " (queue full)", Duration.ofMinutes(1));
        }
        if (st == INVALID_BIND_STATUS) {
          // The link is unbinding (a node stopping in a cluster) or not bound yet: the SMS did not go.
          return new SubmitOutcome.Retry(reason + " (not bound)", Duration.ofSeconds(1));
        }
        if (st == SYSERR || st == X_T_APPN) {
          return new SubmitOutcome.Retry(reason, Duration.ofSeconds(10));
        }
        return new SubmitOutcome.Failed(reason);
      } catch (ResponseTimeoutException e) {
        // The SMSC may have taken it: a retry can duplicate this segment, never lose it.
        return new SubmitOutcome.Retry("smpp response timeout", Duration.ofSeconds(5));
      } catch (IOException | InvalidResponseException e) {
        return new SubmitOutcome.Retry("smpp: " + e.getMessage(), s.reconnectDelay());
      } catch (PDUException e) {
        return new SubmitOutcome.Failed("bad PDU: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new SubmitOutcome.Retry("interrupted", Duration.ofSeconds(1));
      }
    }
    log.info("smpp MT {} to {} segments={}", sms.ref(), sms.to().masked(), ids.size());
    return new SubmitOutcome.Accepted(List.copyOf(ids));
  }

  @Override
  public List<String> segmentTexts(OutboundSms sms) {
    return textsOfSegments(sms, clock);
  }

  /** {@link #segmentTexts} of any SMPP link (a cluster node without a bind asks this). */
  public static List<String> textsOfSegments(OutboundSms sms, Clock clock) {
    List<SmsCodec.Segment> segments;
    try {
      // The concatenation reference changes the UDH, not the text.
      segments = encode(sms, 0, clock);
    } catch (IllegalArgumentException e) {
      return List.of(""); // never sent: nothing to compare with
    }
    List<String> texts = new ArrayList<>();
    for (SmsCodec.Segment seg : segments) {
      byte[] sm = seg.shortMessage();
      try {
        texts.add(SmsCodec.decode(seg.dataCoding(), sm, UserData.parse(seg.esmClass(), sm).bodyOffset(), sm.length));
      } catch (IllegalArgumentException e) {
        texts.add(""); // a WAP Push part is binary: nothing an SMSC would quote
      }
    }
    return texts;
  }

  private List<SmsCodec.Segment> segments(OutboundSms sms) {
    int ref;
    synchronized (accepted) {
      ref = concatRefs.computeIfAbsent(sms.ref(), k -> ThreadLocalRandom.current().nextInt(256));
    }
    return encode(sms, ref, clock);
  }

  /** The segments of an SMS: WAP Push parts, or text cut by the GSM/UCS-2 codec. */
  private static List<SmsCodec.Segment> encode(OutboundSms sms, int ref, Clock clock) {
    return sms.wapPushUrl().isPresent() ? WapPushSegments.of(sms, ref, clock.instant())
        : SmsCodec.encode(sms.text(), ref, sms.options().ucs2());
  }

  private TypeOfNumber sourceTon() {
    if (s.sourceTon() >= 0) {
      return TypeOfNumber.valueOf((byte) s.sourceTon());
    }
    return alphanumeric(s.serviceNumber()) ? TypeOfNumber.ALPHANUMERIC : TypeOfNumber.UNKNOWN;
  }

  private NumberingPlanIndicator sourceNpi() {
    if (s.sourceNpi() >= 0) {
      return NumberingPlanIndicator.valueOf((byte) s.sourceNpi());
    }
    return alphanumeric(s.serviceNumber()) ? NumberingPlanIndicator.UNKNOWN : NumberingPlanIndicator.ISDN;
  }

  /** TON/NPI of a numeric sender address: the configured ones, else unknown/ISDN. */
  private TypeOfNumber digitsTon() {
    return s.sourceTon() >= 0 ? TypeOfNumber.valueOf((byte) s.sourceTon()) : TypeOfNumber.UNKNOWN;
  }

  private NumberingPlanIndicator digitsNpi() {
    return s.sourceNpi() >= 0 ? NumberingPlanIndicator.valueOf((byte) s.sourceNpi()) : NumberingPlanIndicator.ISDN;
  }

  private static boolean alphanumeric(String a) {
    return !a.chars().allMatch(c -> c >= '0' && c <= '9' || c == '+');
  }

  private String destination(Msisdn to) {
    // International numbers travel as digits without '+' under TON 1 (the default); any other TON gets them as is.
    return s.destTon() == 1 ? to.e164().substring(1) : to.e164();
  }

  private final AtomicLong dataSmAnswers = new AtomicLong();

  /** MOs and receipts from the SMSC, answered only once stored. */
  private final class Receiver implements MessageReceiverListener {
    private final BoundedPduReader pdus;

    Receiver(BoundedPduReader pdus) {
      this.pdus = pdus;
    }

    @Override
    public void onAcceptDeliverSm(DeliverSm d) throws ProcessRequestException {
      accept(d, "deliver_sm");
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification a) {}

    /**
     * An MO or a receipt sent as data_sm (SMPP 3.4 4.7; its text in message_payload): read and
     * stored as a deliver_sm is, then answered data_sm_resp (issue 16; refused 0x03 before).
     */
    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
      accept(dataSm, "data_sm");
      try {
        // The message_id an ESME answers a data_sm with names nothing the SMSC uses: a counter.
        return new DataSmResult(new MessageId(Long.toHexString(dataSmAnswers.incrementAndGet())),
            new OptionalParameter[0]);
      } catch (PDUStringException e) {
        throw new ProcessRequestException("no message id for the answer", X_T_APPN);
      }
    }

    /** Reads and stores one MO or receipt; returns only once it is stored, else throws the answer's status. */
    private void accept(AbstractSmCommand d, String what) throws ProcessRequestException {
      if (pdus.tookOversized(d.getSequenceNumber())) {
        throw new ProcessRequestException("a TLV of 32 KiB or more", ESME_RINVMSGLEN);
      }
      SmsInbound in = sink;
      if (in == null) {
        throw new ProcessRequestException("gateway not ready", X_T_APPN);
      }
      try {
        reader.read(d, in, reassembler);
      } catch (SmsInbound.TooEarly e) {
        log.debug("smpp receipt answered 'try again': {}", e.getMessage());
        throw new ProcessRequestException("too early", X_T_APPN);
      } catch (IllegalArgumentException e) {
        log.warn("smpp {} refused: {}", what, Msisdn.maskAll(e.getMessage()));
        throw new ProcessRequestException(e.getMessage(), 0x61); // ESME_RINVSCHED-free choice: RX_R_APPN would be permanent
      } catch (RuntimeException e) {
        log.warn("smpp {} not stored, SMSC will repeat it: {}", what, Msisdn.maskAll(e.toString()));
        throw new ProcessRequestException("not stored", X_T_APPN);
      }
    }
  }

  private void closeSessions(boolean unbind) {
    for (SMPPSession session : new SMPPSession[] {tx, rx}) {
      if (session == null) {
        continue;
      }
      try {
        if (unbind && session.getSessionState().isBound()) {
          session.unbindAndClose();
        } else {
          session.close();
        }
      } catch (RuntimeException e) {
        log.debug("closing smpp session: {}", e.toString());
      }
    }
    tx = null;
    rx = null;
  }

  /** Unbinds cleanly (the SMSC sees unbind, not a dropped socket). */
  @Override
  public void close() {
    open = false;
    Thread t = linkThread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeSessions(true);
  }

}
