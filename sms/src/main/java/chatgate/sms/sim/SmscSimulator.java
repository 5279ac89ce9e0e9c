package chatgate.sms.sim;

import chatgate.core.model.Msisdn;
import chatgate.core.port.VirtualHandsets;
import chatgate.sms.codec.SmsCodec;
import chatgate.sms.codec.UserData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.PDUStringException;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in SMSC: an SMPP 3.4 server (jSMPP's server side) with virtual handsets behind it.
 * The gateway binds to it exactly as to an operator's SMSC, so the demo runs the production SMS
 * code. A submit_sm lands in the recipient's inbox (parts joined as a handset shows them, a WAP
 * Push shown by its link) and is answered with a message id and, when asked, a delivery
 * receipt; an SMS typed on a handset goes to the gateway as deliver_sm.
 */
public final class SmscSimulator implements VirtualHandsets, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmscSimulator.class);
  private static final int INBOX_MAX = 200;
  private static final DateTimeFormatter RECEIPT_DATE = DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);

  private final String host;
  private final int requestedPort;
  private final String systemId;
  private final String password;
  private final String serviceNumber;
  private final Clock clock;
  private final AtomicLong ids = new AtomicLong(0x10000);
  private final AtomicLong seq = new AtomicLong();
  private final Map<Msisdn, List<HandsetSms>> inboxes = new TreeMap<>();
  /** What each handset sent (issue 18: /sim/ shows the conversation, not only the inbox). */
  private final Map<Msisdn, List<HandsetSms>> outboxes = new TreeMap<>();
  private final Map<String, TreeMap<Integer, String>> partial = new HashMap<>();
  private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService receipts =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("smsc-sim-dlr").daemon().factory());
  private volatile SMPPServerSessionListener listener;
  private volatile int port;
  private volatile boolean open = true;

  public SmscSimulator(String host, int port, String systemId, String password, String serviceNumber, Clock clock) {
    this.host = host;
    this.requestedPort = port;
    this.systemId = systemId;
    this.password = password;
    this.serviceNumber = serviceNumber;
    this.clock = clock;
  }

  public SmscSimulator start() throws IOException {
    ServerConnectionFactory bound = new ServerConnectionFactory() {
      @Override
      public ServerConnection listen(int p) throws IOException {
        return listen(p, 0, 50);
      }

      @Override
      public ServerConnection listen(int p, int timeout) throws IOException {
        return listen(p, timeout, 50);
      }

      @Override
      public ServerConnection listen(int p, int timeout, int backlog) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getByName(host), p), backlog);
        ss.setSoTimeout(timeout);
        port = ss.getLocalPort();
        return new ServerSocketConnection(ss);
      }
    };
    listener = new SMPPServerSessionListener(requestedPort, 1000, 50, bound);
    listener.setMessageReceiverListener(new Receiver());
    Thread.ofPlatform().name("smsc-sim-accept").daemon().start(this::acceptLoop);
    log.info("SMSC simulator listening on {}:{}", host, port);
    return this;
  }

  public int port() {
    return port;
  }

  private void acceptLoop() {
    while (open) {
      try {
        SMPPServerSession session = listener.accept();
        Thread.ofVirtual().start(() -> awaitBind(session));
      } catch (SocketTimeoutException e) {
        // poll open
      } catch (IOException e) {
        if (open) {
          log.warn("SMSC simulator accept: {}", e.toString());
        }
      }
    }
  }

  private void awaitBind(SMPPServerSession session) {
    try {
      BindRequest req = session.waitForBind(5000);
      if (!req.getSystemId().equals(systemId)) {
        req.reject(0x0F); // ESME_RINVSYSID
        return;
      }
      if (!req.getPassword().equals(password)) {
        req.reject(0x0E); // ESME_RINVPASWD
        return;
      }
      req.accept("chatgate-sim");
      sessions.add(session);
      session.addSessionStateListener((now, before, src) -> {
        if (!now.isBound()) {
          sessions.remove(session);
        }
      });
    } catch (Exception e) {
      log.debug("SMSC simulator bind: {}", e.toString());
      session.close();
    }
  }

  private final class Receiver implements ServerMessageReceiverListener {
    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession source) throws ProcessRequestException {
      String id = Long.toHexString(ids.incrementAndGet());
      try {
        handsetReceives(sm);
      } catch (RuntimeException e) {
        throw new ProcessRequestException("bad message: " + e.getMessage(), 0x01); // ESME_RINVMSGLEN
      }
      if ((sm.getRegisteredDelivery() & 0x03) != 0) {
        receipts.schedule(() -> sendReceipt(sm, id), 20, TimeUnit.MILLISECONDS);
      }
      try {
        return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
      } catch (PDUStringException e) {
        throw new ProcessRequestException("message id", 0x08);
      }
    }

    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti s, SMPPServerSession src) throws ProcessRequestException {
      throw new ProcessRequestException("not supported", 0x03);
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm q, SMPPServerSession src) throws ProcessRequestException {
      throw new ProcessRequestException("not supported", 0x03);
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm r, SMPPServerSession src) throws ProcessRequestException {
      throw new ProcessRequestException("not supported", 0x03);
    }

    @Override
    public void onAcceptCancelSm(CancelSm c, SMPPServerSession src) throws ProcessRequestException {
      throw new ProcessRequestException("not supported", 0x03);
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm b, SMPPServerSession src)
        throws ProcessRequestException {
      throw new ProcessRequestException("not supported", 0x03);
    }

    @Override
    public void onAcceptCancelBroadcastSm(CancelBroadcastSm c, SMPPServerSession src)
        throws ProcessRequestException {
      throw new ProcessRequestException("not supported", 0x03);
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm q, SMPPServerSession src)
        throws ProcessRequestException {
      throw new ProcessRequestException("not supported", 0x03);
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm d, Session src) throws ProcessRequestException {
      throw new ProcessRequestException("not supported", 0x03);
    }
  }

  private void handsetReceives(SubmitSm sm) {
    String dest = sm.getDestAddress();
    Msisdn to = Msisdn.of(dest.startsWith("+") ? dest : "+" + dest);
    byte[] b = sm.getShortMessage();
    UserData ud = UserData.parse(sm.getEsmClass(), b);
    String text;
    Optional<String> push = Optional.empty();
    if (ud.destinationPort().orElse(-1) == 2948) {
      text = "";
      push = Optional.of("wap");
    } else {
      text = SmsCodec.decode(sm.getDataCoding(), b, ud.bodyOffset(), b.length);
    }
    synchronized (this) {
      if (ud.concat().isPresent()) {
        UserData.Concat c = ud.concat().get();
        String key = dest + "|" + c.ref() + "|" + c.total();
        TreeMap<Integer, String> parts = partial.computeIfAbsent(key, k -> new TreeMap<>());
        parts.put(c.seq(), push.isPresent() ? hex(b, ud.bodyOffset()) : text);
        if (parts.size() < c.total()) {
          return;
        }
        partial.remove(key);
        text = String.join("", parts.values());
      } else if (push.isPresent()) {
        text = hex(b, ud.bodyOffset());
      }
      if (push.isPresent()) {
        push = Optional.of(SiHref.of(HexFormat.of().parseHex(text)));
        text = "";
      }
      List<HandsetSms> inbox = inboxes.computeIfAbsent(to, k -> new ArrayList<>());
      inbox.add(new HandsetSms(seq.incrementAndGet(), to, sm.getSourceAddr(), text, push, clock.instant()));
      if (inbox.size() > INBOX_MAX) {
        inbox.removeFirst();
      }
    }
  }

  private static String hex(byte[] b, int from) {
    return HexFormat.of().formatHex(b, from, b.length);
  }

  private void sendReceipt(SubmitSm sm, String id) {
    String date = RECEIPT_DATE.format(clock.instant());
    String text = "id:" + id + " sub:001 dlvrd:001 submit date:" + date + " done date:" + date
        + " stat:DELIVRD err:000 text:";
    deliver(sm.getDestAddress(), sm.getSourceAddr(), new ESMClass(0x04), 0,
        text.getBytes(StandardCharsets.US_ASCII),
        new OptionalParameter.COctetString(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID.code(), id),
        new OptionalParameter.Byte(OptionalParameter.Tag.MESSAGE_STATE, (byte) 2));
  }

  private boolean deliver(String from, String to, ESMClass esm, int dataCoding, byte[] sm, OptionalParameter... tlvs) {
    for (SMPPServerSession s : sessions) {
      if (!s.getSessionState().isReceivable()) {
        continue;
      }
      try {
        s.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from, TypeOfNumber.UNKNOWN,
            NumberingPlanIndicator.ISDN, to, esm, (byte) 0, (byte) 0, new RegisteredDelivery(0),
            new RawDataCoding((byte) dataCoding), sm, tlvs);
        return true;
      } catch (Exception e) {
        log.debug("SMSC simulator deliver_sm: {}", e.toString());
      }
    }
    return false;
  }

  @Override
  public String serviceNumber() {
    return serviceNumber;
  }

  @Override
  public synchronized List<Msisdn> handsets() {
    return List.copyOf(inboxes.keySet());
  }

  @Override
  public synchronized List<HandsetSms> inbox(Msisdn handset, int limit) {
    List<HandsetSms> all = new ArrayList<>(inboxes.getOrDefault(handset, List.of()));
    Collections.reverse(all);
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  @Override
  public synchronized List<HandsetSms> conversation(Msisdn handset, int limit) {
    List<HandsetSms> all = new ArrayList<>(inboxes.getOrDefault(handset, List.of()));
    all.addAll(outboxes.getOrDefault(handset, List.of()));
    all.sort(Comparator.comparingLong(HandsetSms::seq).reversed());
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  /** Sends the SMS as a handset would: concatenated if long; returns once the gateway answered every part. */
  @Override
  public void sendMo(Msisdn from, String text) {
    synchronized (this) {
      inboxes.computeIfAbsent(from, k -> new ArrayList<>());
      // Shown before it is sent, so it precedes the answer in the conversation.
      List<HandsetSms> out = outboxes.computeIfAbsent(from, k -> new ArrayList<>());
      out.add(new HandsetSms(seq.incrementAndGet(), from, serviceNumber, text, Optional.empty(), clock.instant(), true));
      if (out.size() > INBOX_MAX) {
        out.removeFirst();
      }
    }
    String digits = from.e164().substring(1);
    for (SmsCodec.Segment s : SmsCodec.encode(text, ThreadLocalRandom.current().nextInt(256))) {
      if (!deliver(digits, serviceNumber, new ESMClass(s.esmClass()), s.dataCoding(), s.shortMessage())) {
        throw new IllegalStateException("the gateway is not bound to the SMSC simulator, or refused the SMS");
      }
    }
  }

  /** True while the gateway holds a bind that can take MOs. */
  public boolean gatewayBound() {
    return sessions.stream().anyMatch(s -> s.getSessionState().isReceivable());
  }

  @Override
  public void close() {
    open = false;
    receipts.shutdownNow();
    for (SMPPServerSession s : sessions) {
      s.unbindAndClose();
    }
    try {
      if (listener != null) {
        listener.close();
      }
    } catch (IOException e) {
      log.debug("closing SMSC simulator: {}", e.toString());
    }
  }

  /** Whether a bind type can receive MOs. */
  static boolean receives(BindType t) {
    return t != BindType.BIND_TX;
  }
}
