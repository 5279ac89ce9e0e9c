package chatgate.app;

import chatgate.app.config.Config;
import chatgate.app.metrics.GatewayMetrics;
import chatgate.app.metrics.MetricsHandler;
import chatgate.cluster.WorkerIds;
import chatgate.core.api.SendsmsService;
import chatgate.core.auth.AuthSettings;
import chatgate.core.auth.Keys;
import chatgate.core.auth.LoginService;
import chatgate.core.auth.Tokens;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.ChatSettings;
import chatgate.core.chat.SentStateFeed;
import chatgate.core.chat.SentStatus;
import chatgate.core.delivery.DeliverySettings;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.ids.SnowflakeIds;
import chatgate.core.im.BuiltinIm;
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
import chatgate.sms.smpp.MessageIds;
import chatgate.sms.smpp.SmppSettings;
import chatgate.sms.smpp.SmppSmsPort;
import chatgate.store.JdbcStore;
import chatgate.web.DlrUrlGuard;
import chatgate.web.HttpClientCallback;
import chatgate.web.SendsmsHandler;
import chatgate.web.SimGate;
import chatgate.web.SseHub;
import chatgate.web.WebContext;
import chatgate.web.WebServer;
import chatgate.web.WebSettings;
import chatgate.xmpp.XmppImPort;
import chatgate.xmpp.XmppSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway wired by hand from its configuration: store, SMS channel, delivery stage, web.
 * Nothing here decides anything; each part is built once and handed what it needs.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /** The system id the gateway binds to its built-in SMSC with; the password is per start (simPassword). */
  static final String SIM_SYSTEM_ID = "chatgate";
  /** SMPP bind passwords hold at most 8 characters (SMPP 3.4, 5.2.3). */
  private static final int SMPP_PASSWORD_MAX = 8;
  private static final Duration MO_PART_TIMEOUT = Duration.ofMinutes(2);
  /**
   * The whole stop, from SIGTERM to the store closed: the contract's 10 s less a margin for the
   * JVM's own exit. Each part gets what is left of it, not a timeout of its own (issue 20).
   */
  static final Duration STOP_BUDGET = Duration.ofMillis(6_500);
  /** Of the stop budget, what the IM sessions get to close their streams before they are cut. */
  private static final Duration IM_STOP = Duration.ofMillis(2_000);
  /** Of the stop budget, what deliveries under way get to finish before they are handed back. */
  private static final Duration STAGE_STOP = Duration.ofMillis(1_500);
  /** Of the stop budget, what the SMPP link gets to unbind before its socket is left to the exit. */
  private static final Duration SMPP_STOP = Duration.ofMillis(1_500);

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
    Logging.configure(c.log());
    Clock clock = Clock.systemUTC();
    NumberPlan numbers = new NumberPlan(c.sms().defaultRegion());
    Keys keys = KeyFile.load(Path.of(c.security().keyFile()));
    JdbcStore store = JdbcStore.open(c.store().url(), c.store().user(), c.store().password());
    log.info("store {} open", store.engine());
    checkKey(store, keys);
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
    SmscSimulator simulator = null;
    SmppSettings link;
    if (c.smpp().simulated()) {
      warnIfExposed(c);
      String simPassword = simBindPassword(c.simulator().password());
      try {
        simulator = new SmscSimulator(c.simulator().host(), c.simulator().port(), SIM_SYSTEM_ID, simPassword,
            c.sms().serviceNumber(), clock).start();
      } catch (IOException e) {
        store.close();
        throw new IllegalStateException("cannot start the SMSC simulator on " + c.simulator().host() + ":"
            + c.simulator().port() + " ([simulator] listen): " + e.getMessage(), e);
      }
      link = settings(c, c.simulator().host(), simulator.port(), SIM_SYSTEM_ID, simPassword);
    } else {
      link = settings(c, c.smpp().host(), c.smpp().port(), c.smpp().systemId(), c.smpp().password());
    }
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
    DlrUrlGuard dlrUrls = new DlrUrlGuard(() -> ownListeners(c, webRef.get(), simPort));
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
    ImPort imPort = imPort(c, store, presence, chat, clock);
    ImRelay im = new ImRelay(imPort, store.imAccounts(), store.auth(), store.users(),
        ImRelay.Texter.of(chat), clock, ImRelay.Settings.defaults()).spooled(chat, stage);
    mo.im(im);
    if (cluster != null) {
      im.owners(cluster.imOwners);
      cluster.imOwners.receiver(mo);
      cluster.imOwners.submitter(im::submitHere);
    }
    LoginService login = new LoginService(store.auth(), chat, numbers, clock, AuthSettings.defaults()
        .withCodeBudget(c.login().codesPerMinute(), c.login().codesPerBlockPerHour(), c.login().dailyCodes()), keys,
        destinations);
    WebSettings ws = new WebSettings(c.http().host(), c.http().port(), c.http().publicUrl(), c.http().trustedProxies(),
        c.http().msisdnHeader(), c.chat().wapIdle(), c.chat().maxChars(), c.chat().refresh(), c.http().realIpFrom(),
        c.simulator().password(), c.chat().timeZone());
    WebContext ctx = new WebContext(chat, login, stage, presence, store.messages(), Optional.ofNullable(simulator),
        clock, readiness(store, sms, imPort, !c.xmpp().host().isEmpty(), cluster, draining::get));
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
    sms.start();
    if (simulator != null) {
      // The demo's first SMS should not wait for a reconnect: the built-in SMSC is up, so the bind is quick.
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!sms.bound() && System.nanoTime() - until < 0) {
        LockSupport.parkNanos(20_000_000);
      }
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
    web.start();
    g.housekeeping = Housekeeping.start(store, clock, c.sms().retention(), login, reassembler, im, cluster != null);
    log.info("chatgate listening on {}:{}, public URL {}", c.http().host(), web.port(), c.http().publicUrl());
    return g;
  }

  /**
   * The built-in SMSC's bind password: {@code [simulator] password} when it fits SMPP's 8
   * characters, else a random one drawn at each start (only this process binds to it), so nobody
   * else can bind with a password written in the source.
   */
  static String simBindPassword(String configured) {
    if (!configured.isEmpty() && configured.length() <= SMPP_PASSWORD_MAX) {
      return configured;
    }
    if (!configured.isEmpty()) {
      log.info("[simulator] password is longer than SMPP's {} characters: it guards /sim/ only; the built-in"
          + " SMSC's bind password is drawn at random for this start", SMPP_PASSWORD_MAX);
    }
    return Tokens.random(SMPP_PASSWORD_MAX);
  }

  /**
   * The simulator hands out every login code and reply link and takes MO as any number: said loudly
   * when it can be reached from elsewhere (issue 15).
   */
  private static void warnIfExposed(Config c) {
    if (!SimGate.loopback(c.http().host())) {
      log.warn("THE SMSC SIMULATOR IS RUNNING WITH A NON-LOOPBACK HTTP LISTENER ({}): /sim/ shows every login code"
          + " and reply link; it is {}. Set [smpp] host for a real SMSC, or listen on 127.0.0.1.", c.http().host(),
          c.simulator().password().isEmpty() ? "refused there (no [simulator] password)"
              : "open there to user sim with [simulator] password");
    }
    if (!SimGate.loopback(c.simulator().host())) {
      log.warn("THE SMSC SIMULATOR LISTENS FOR SMPP ON A NON-LOOPBACK ADDRESS ({}:{}): anyone who reaches it with"
          + " the bind password can send and receive as the gateway. Use [simulator] listen = \"127.0.0.1:2775\".",
          c.simulator().host(), c.simulator().port());
    }
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

  /** What /readyz checks: the store answers, SMPP is bound, and the XMPP server is reachable when one is configured. */
  static Supplier<Map<String, Boolean>> readiness(JdbcStore store, SmsChannel sms,
      ImPort im, boolean xmpp, ClusterParts cluster, BooleanSupplier draining) {
    return () -> {
      if (draining.getAsBoolean()) {
        return Map.of(WebContext.DRAINING, false);
      }
      Map<String, Boolean> parts = new LinkedHashMap<>();
      parts.put("store", store.ping());
      parts.put("smpp", sms.bound());
      if (xmpp) {
        // A TLS failure is named (the certificate, not the network, is what the operator must fix).
        String problem = im instanceof XmppImPort x ? x.problem().orElse(null) : null;
        parts.put(problem == null ? "xmpp" : "xmpp (" + problem + ")", im.reachable());
      }
      if (cluster != null) {
        parts.put("nats", cluster.nats.connected() && cluster.worker.held());
      }
      return parts;
    };
  }

  /** The built-in IM service's domain: {@code [xmpp] domain}, else {@code chatgate.local} (the contract). */
  static String imDomain(Config c) {
    return c.xmpp().domain().isEmpty() ? "chatgate.local" : c.xmpp().domain();
  }

  private static ImPort imPort(Config c, JdbcStore store, PresenceRegistry presence, ChatService chat, Clock clock) {
    if (!c.xmpp().host().isEmpty()) {
      String domain = c.xmpp().domain().isEmpty() ? c.xmpp().host() : c.xmpp().domain();
      log.info("IM over XMPP at {}:{} (domain {}, tls {})", c.xmpp().host(), c.xmpp().port(), domain, c.xmpp().tls());
      return new XmppImPort(XmppSettings.of(c.xmpp().host(), c.xmpp().port(), domain,
          c.xmpp().tls()).withMaxSessions(c.xmpp().maxSessions()).withTrust(c.xmpp().caFile(), c.xmpp().certPins()));
    }
    // A built-in account standing for a web user reaches their chat page (or their phone by SMS, P2 routing).
    return new BuiltinIm(store.imAccounts(), imDomain(c), m -> presence.presence(m, clock.instant()).online(),
        (from, webUser, text) -> {
          chat.fromIm(webUser, from.split("@")[0] + ": " + text, "im:" + from + ":" + webUser.e164() + ":"
              + UUID.randomUUID());
          return true;
        }, clock);
  }

  private static SmppSettings settings(Config c, String host, int port, String systemId, String password) {
    Config.Smpp p = c.smpp();
    return new SmppSettings(host, port, systemId, password, p.systemType(), p.bind().equals("transceiver"),
        p.throughput(), p.window(), p.enquireLink(), p.reconnectDelay(), MessageIds.of(p.msgIdType()),
        p.sourceTon(), p.sourceNpi(), p.destTon(), p.destNpi(), c.sms().serviceNumber(), p.imsiTlv(),
        Duration.ofSeconds(10));
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
   * Stops within {@link #STOP_BUDGET} at any load (issue 20): drains, stops taking requests, ends
   * every IM session at once (cut when the server does not answer), hands back deliveries still
   * under way (they stay due in the store for the next start or another node), releases the
   * cluster's leases, unbinds SMPP and closes the store.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long t0 = System.nanoTime();
    Instant deadline = Instant.now().plus(STOP_BUDGET);
    StringBuilder took = new StringBuilder();
    if (housekeeping != null) {
      housekeeping.close();
    }
    int streams = drain();
    // The listener, the IM sessions and the delivery stage stop side by side: none needs another
    // (a text the stage hands to a session being closed comes back "retry" and stays queued).
    AtomicInteger cut = new AtomicInteger();
    AtomicInteger handedBack = new AtomicInteger();
    Instant firstPhase = earliest(Instant.now().plus(IM_STOP).plusMillis(600), deadline);
    Thread webStop = Thread.ofPlatform().name("stop-web").start(() -> {
      web.close();
      lap(took, "web", t0);
    });
    if (dlrCalls != null) {
      // Jetty's HttpClient took 4 s to stop on a loaded machine (StopUnderLoadIT): not waited for,
      // the process exit ends what it still holds.
      Thread.ofPlatform().daemon().name("stop-dlr-calls").start(dlrCalls::close);
    }
    Thread imStop = Thread.ofPlatform().name("stop-im").start(() -> {
      if (im != null) {
        cut.set(im.close(earliest(Instant.now().plus(IM_STOP), deadline)));
        lap(took, "im", t0);
      }
    });
    handedBack.set(stage.stop(earliest(Instant.now().plus(STAGE_STOP), deadline)));
    lap(took, "stage", t0);
    for (Thread t : new Thread[] {webStop, imStop}) {
      try {
        Duration left = Duration.between(Instant.now(), firstPhase);
        if (!t.join(left.isNegative() ? Duration.ofMillis(1) : left)) {
          log.warn("stopping: {} not done by its deadline, left to the process exit", t.getName());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // From here each part gets what is left of the deadline and no more: one that is still closing
    // then (an SMSC slow to answer the unbind) is left to the process exit, which closes its sockets.
    // Unbind, and in a cluster give up the bind lease while NATS is still connected: another node
    // binds at once rather than after the lease's TTL.
    bounded("smpp", sms::close, earliest(Instant.now().plus(SMPP_STOP), deadline));
    lap(took, "smpp", t0);
    if (cluster != null) {
      bounded("cluster", () -> {
        try {
          int released = store.messages().releaseClaims();
          if (released > 0) {
            log.info("released the claims on {} deliveries: the other nodes take them now", released);
          }
        } catch (RuntimeException e) {
          log.warn("releasing delivery claims failed (the other nodes take them when they run out): {}",
              e.toString());
        }
        cluster.close(); // worker id, IM ownership and presence go at once, not by TTL
      }, deadline);
      lap(took, "cluster", t0);
    }
    if (simulator != null) {
      bounded("simulator", simulator::close, deadline);
    }
    bounded("store", store::close, deadline);
    if (metrics != null) {
      metrics.close();
    }
    log.info("chatgate stopped in {} ms ({} event streams closed, {} IM sessions cut, {} deliveries handed back;"
        + " ms from the start of the stop:{})", (System.nanoTime() - t0) / 1_000_000, streams, cut, handedBack, took);
  }

  /** Runs one part of the stop, waiting for it until {@code until} at most (then it is left to the exit). */
  private static void bounded(String part, Runnable r, Instant until) {
    Thread t = Thread.ofPlatform().daemon().name("stop-" + part).start(() -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("stopping {} failed", part, e);
      }
    });
    try {
      Duration left = Duration.between(Instant.now(), until);
      if (!t.join(left.isNegative() ? Duration.ofMillis(1) : left)) {
        log.warn("stopping {}: not done by the stop deadline, left to the process exit", part);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Notes when a part of the stop was done, for the stop's one log line. */
  private static void lap(StringBuilder took, String part, long t0) {
    synchronized (took) {
      took.append(' ').append(part).append(' ').append((System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** The gateway's own listeners, which a dlr-url may not point to: HTTP (once bound) and the simulator's SMPP. */
  private static List<InetSocketAddress> ownListeners(Config c, WebServer web, int simPort) {
    List<InetSocketAddress> own = new ArrayList<>();
    int httpPort = web != null && web.port() > 0 ? web.port() : c.http().port();
    own.add(listener(c.http().host(), httpPort));
    if (simPort > 0) {
      own.add(listener(c.simulator().host(), simPort));
    }
    return own;
  }

  private static InetSocketAddress listener(String host, int port) {
    return host == null || host.isBlank() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
