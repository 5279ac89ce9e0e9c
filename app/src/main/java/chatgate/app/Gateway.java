package chatgate.app;

import chatgate.app.config.Config;
import chatgate.app.metrics.GatewayMetrics;
import chatgate.app.metrics.MetricsHandler;
import chatgate.cluster.WorkerIds;
import chatgate.core.api.SendsmsService;
import chatgate.core.auth.AuthSettings;
import chatgate.core.auth.Keys;
import chatgate.core.auth.LoginService;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.ChatSettings;
import chatgate.core.chat.Inbox;
import chatgate.core.chat.SentStateFeed;
import chatgate.core.chat.SentStatus;
import chatgate.core.delivery.DeliverySettings;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.ids.SnowflakeIds;
import chatgate.core.im.ImRelay;
import chatgate.core.limits.Destinations;
import chatgate.core.limits.SenderQuotas;
import chatgate.core.memory.LocalPresence;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.ImPort;
import chatgate.core.port.LivePush;
import chatgate.core.port.MessageStore;
import chatgate.core.port.PresenceRegistry;
import chatgate.core.routing.RoutingPolicy;
import chatgate.core.sms.MoReassembler;
import chatgate.core.sms.MoService;
import chatgate.sms.sim.SmscSimulator;
import chatgate.sms.smpp.SmppSettings;
import chatgate.sms.smpp.SmppSmsPort;
import chatgate.store.JdbcStore;
import chatgate.web.DlrUrlGuard;
import chatgate.web.HttpClientCallback;
import chatgate.web.SendsmsHandler;
import chatgate.web.SseHub;
import chatgate.web.WebContext;
import chatgate.web.WebServer;
import chatgate.web.WebSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway wired by hand from its configuration: store, SMS channel, delivery stage, web.
 * Nothing here decides anything; each part is built once and handed what it needs.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private static final Duration MO_PART_TIMEOUT = Duration.ofMinutes(2);

  private final JdbcStore store;
  private final SmscSimulator simulator;
  private final SmsChannel sms;
  private final DeliveryStage stage;
  private final WebServer web;
  private final ChatService chat;
  private ImRelay im;
  private GatewayMetrics metrics;
  private ClusterParts cluster;
  private HttpClientCallback dlrCalls;
  private Housekeeping housekeeping;
  private IntSupplier drainer = () -> 0;
  /** Set by {@link #drain()} (admin node drain, or the first step of a stop): /readyz answers 503. */
  private final AtomicBoolean drainFlag;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Gateway(JdbcStore store, SmscSimulator simulator, SmsChannel sms, DeliveryStage stage, WebServer web,
      ChatService chat, AtomicBoolean draining) {
    this.drainFlag = draining;
    this.chat = chat;
    this.store = store;
    this.simulator = simulator;
    this.sms = sms;
    this.stage = stage;
    this.web = web;
  }

  public static Gateway start(Config c) {
    return start(c, StartTimes.fromNow());
  }

  static Gateway start(Config c, StartTimes times) {
    Logging.configure(c.log());
    Clock clock = Clock.systemUTC();
    NumberPlan numbers = new NumberPlan(c.sms().defaultRegion());
    Keys keys = KeyFile.load(Path.of(c.security().keyFile()));
    JdbcStore store = JdbcStore.open(c.store().url(), c.store().user(), c.store().password(),
        JdbcStore.Sync.valueOf(c.store().sync().toUpperCase(Locale.ROOT)));
    log.info("store {} open", store.engine());
    checkKey(store, keys);
    times.mark("store");
    SseHub hub = new SseHub();
    AtomicBoolean draining = new AtomicBoolean();
    IntSupplier drainer = () -> {
      if (draining.compareAndSet(false, true)) {
        log.info("draining: /readyz answers 503 so that a load balancer takes this node out");
      }
      return hub.closeAll();
    };
    ClusterParts cluster = null;
    PresenceRegistry presence;
    LivePush live;
    int worker = 0;
    if (c.cluster().enabled()) {
      cluster = ClusterParts.join(c, clock, hub, store);
      presence = cluster.presence;
      live = cluster.live;
      worker = WorkerIds.number(cluster.worker);
    } else {
      presence = new LocalPresence(c.chat().wapIdle(), c.chat().onlineIdle());
      live = hub;
    }
    ChatSettings chatSettings = new ChatSettings(c.chat().maxChars(), c.sms().retention(), c.chat().wapIdle(),
        c.http().publicUrl());
    SnowflakeIds ids = new SnowflakeIds(worker, clock);
    ChatService chat = new ChatService(store.users(), store.groups(), store.messages(), presence, ids, numbers, clock,
        chatSettings, keys);
    Destinations destinations = Destinations.of(c.sms().allowedDestinations());
    chat.limits(destinations, new SenderQuotas.Settings(c.chat().messagesPerMinute(),
        c.chat().dailyMessages(), c.chat().dailySmsSegments()), c.sms().maxSegments());
    SmscLink smsc = SmscLink.of(c, clock, store::close);
    times.mark("smsc");
    SmscSimulator simulator = smsc.simulator();
    SmppSettings link = smsc.settings();
    SmsChannel sms = SmsChannel.of(c, cluster, () -> new SmppSmsPort(link, numbers, clock, keys));
    // SMS submitted but not yet recorded, at most: 4 × the window keeps the link busy while SMSC ids
    // are committed. Each is marked SUBMITTING first, so a crash leaves them in doubt, settled by
    // their receipts rather than sent twice (ADR 0011, docs/reliability.md).
    DeliverySettings ds = new DeliverySettings(c.chat().wapIdle(), c.sms().retention(), 12, Duration.ofSeconds(5),
        Duration.ofMinutes(10), Duration.ofMillis(500), c.sms().maxSegments(), 4 * c.smpp().window(),
        c.smpp().inDoubtWait(), c.chat().pushAckWait());
    // dlr-url: never to loopback, link-local or the gateway's own listeners unless a user's
    // dlr_url_allow says so; checked at submit and on the address each call connects to (issue 15).
    AtomicReference<WebServer> webRef = new AtomicReference<>();
    int simPort = simulator == null ? -1 : simulator.port();
    DlrUrlGuard dlrUrls = new DlrUrlGuard(() -> OwnListeners.ownListeners(c, webRef.get(), simPort));
    HttpClientCallback dlrCalls = new HttpClientCallback(dlrUrls,
        c.sendsmsUsers().stream().flatMap(u -> u.dlrUrlAllow().stream()).toList());
    // Kannel's sendsms: the client's submit_sm options go with its SMS, its receipts to its dlr-url (issue 16).
    SendsmsService sendsms = new SendsmsService(chat, store.dlrCallbacks(),
        dlrCalls, clock, new SendsmsService.Settings(c.sms().serviceNumber(), c.sms().maxSegments(),
        c.smpp().smscId(), link.systemId()), ids::minted);
    DeliveryStage stage = new DeliveryStage(store.messages(), store.users(), store.groups(), presence,
        new RoutingPolicy(destinations::allows), sendsms.port(sms.port()), live, clock, ds, chatSettings, chat::label,
        keys);
    chat.dispatcher(stage);
    sms.holderGates(stage::holderGate);
    MoService mo = new MoService(chat, store.users(), store.messages(), stage, clock);
    MoReassembler reassembler = new MoReassembler(store.moParts(), mo, clock, MO_PART_TIMEOUT, keys);
    sms.inbound(sendsms.receipts(mo), reassembler);
    sms.onBound(stage::linkUp);
    ImPort imPort = ImWiring.imPort(c, store, presence, chat, clock);
    ImRelay im = ImWiring.relay(imPort, store, chat, stage, mo, cluster, clock);
    LoginService login = new LoginService(store.auth(), chat, numbers, clock, AuthSettings.defaults()
        .withCodeBudget(c.login().codesPerMinute(), c.login().codesPerBlockPerHour(), c.login().dailyCodes()), keys,
        destinations);
    WebSettings ws = new WebSettings(c.http().host(), c.http().port(), c.http().publicUrl(), c.http().trustedProxies(),
        c.http().msisdnHeader(), c.chat().wapIdle(), c.chat().maxChars(), c.chat().refresh(), c.http().realIpFrom(),
        c.simulator().password(), c.chat().timeZone());
    WebContext ctx = new WebContext(chat, login, stage, presence, store.messages(),
        new Inbox(store.readMarkers()), Optional.ofNullable(simulator),
        clock, Readiness.readiness(store, sms, imPort, !c.xmpp().host().isEmpty(), cluster, draining::get));
    // Receipts for sendsms clients' dlr-url; every state, live, to the sender's open pages (issue 16).
    stage.listener(DeliveryStage.StateListener.smsStates(sendsms).andThen(new SentStateFeed(
        store.messages(), presence, live, new SentStatus(store.messages(), chat::label), clock)));
    List<SendsmsHandler.User> sendsmsUsers = c.sendsmsUsers().stream()
        .map(u -> new SendsmsHandler.User(u.username(), u.password(), u.allowIp(), u.dlrUrlAllow()))
        .toList();
    GatewayMetrics metrics = new GatewayMetrics()
        .gauges(store.messages(), clock, hub::openStreams, im::sessions, sms::bound).storeWriter(store::writeStats);
    chat.telemetry(metrics);
    stage.telemetry(metrics);
    mo.telemetry(metrics);
    im.telemetry(metrics);
    login.telemetry(metrics);
    WebServer web = new WebServer(ws, ctx, hub, h -> new DrainHandler(new MetricsHandler(
        new SendsmsHandler(h, sendsms, numbers, c.sms().maxSegments(), sendsmsUsers, clock, dlrUrls)
            .telemetry(metrics), metrics), keys, drainer));
    webRef.set(web);
    Gateway g = new Gateway(store, simulator, sms, stage, web, chat, draining);
    g.drainer = drainer;
    g.dlrCalls = dlrCalls;
    g.metrics = metrics;
    g.im = im;
    times.mark("wiring");
    sms.start();
    // The listener first, so /healthz answers while the link binds: /readyz stays 503 until it is
    // bound, and what is accepted meanwhile is stored and taken by the stage once it starts.
    web.start();
    times.mark("web");
    if (simulator != null) {
      // The demo's first SMS should not wait for a reconnect: the built-in SMSC is up, so the bind is quick.
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!sms.bound() && System.nanoTime() - until < 0) {
        LockSupport.parkNanos(5_000_000);
      }
      times.mark("bind");
    }
    stage.start();
    if (cluster == null) {
      int told = im.tellRestarted();
      if (told > 0) {
        log.info("told {} phones that were logged in to IM before the restart to log in again", told);
      }
    }
    // In a cluster the login records of other, live nodes are not this node's to end: the orphan
    // sweep below tells the phones of nodes that died, once their leases lapse.
    g.cluster = cluster;
    g.housekeeping = Housekeeping.start(store, clock, c.sms().retention(), login, reassembler, im, cluster != null);
    times.mark("stage");
    log.info("chatgate listening on {}:{}, public URL {}; ready in {}", c.http().host(), web.port(),
        c.http().publicUrl(), times.summary());
    return g;
  }

  /**
   * The store keeps the check value of the key it was first used with: a node given another key
   * file (a cluster node set up apart, a lost key) would break every reply link and login code in
   * flight, so it is refused at start instead.
   */
  private static void checkKey(JdbcStore store, Keys keys) {
    String kept = store.auth().secret("key-check", keys::checkValue);
    if (!kept.equals(keys.checkValue())) {
      store.close();
      throw new IllegalStateException("[security] key_file holds another key than the one this store was used with;"
          + " every node must use the same key file (ADR 0013)");
    }
  }

  /** The built-in SMSC, when running on it. */
  public Optional<SmscSimulator> simulator() {
    return Optional.ofNullable(simulator);
  }

  /** The chat service, for in-process load harnesses that measure the outbox without HTTP. */
  public ChatService chat() {
    return chat;
  }

  /** The message store (tests and tools that look at what was stored). */
  public MessageStore messages() {
    return store.messages();
  }

  public int httpPort() {
    return web.port();
  }

  /**
   * Takes the node out of service without stopping it (admin node drain, and the first step of a
   * stop): /readyz answers 503 "draining" so a load balancer sends no more here, and the open
   * pages' event streams are closed so that they reconnect (to another node) and get what waited.
   * Returns how many streams were closed.
   */
  public int drain() {
    return drainer.getAsInt();
  }

  /** Whether {@link #drain()} was called. */
  public boolean draining() {
    return drainFlag.get();
  }

  /**
   * Stops within {@link OrderlyStop#BUDGET} at any load (issue 20): drains, stops taking requests,
   * ends every IM session at once (cut when the server does not answer), hands back deliveries
   * still under way (they stay due in the store for the next start or another node), releases the
   * cluster's leases, unbinds SMPP and closes the store.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    OrderlyStop.run(new OrderlyStop.Parts(housekeeping, this::drain, web, dlrCalls, im, stage, sms, cluster,
        store, simulator, metrics));
  }
}
