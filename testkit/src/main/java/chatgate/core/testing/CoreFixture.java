package chatgate.core.testing;

import chatgate.core.auth.AuthSettings;
import chatgate.core.auth.LoginService;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.ChatSettings;
import chatgate.core.delivery.DeliverySettings;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.ids.SnowflakeIds;
import chatgate.core.memory.LocalPresence;
import chatgate.core.memory.MemoryAuthStore;
import chatgate.core.memory.MemoryGroupDirectory;
import chatgate.core.memory.MemoryMessageStore;
import chatgate.core.memory.MemoryUserDirectory;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.LivePush;
import chatgate.core.port.MessageStore;
import chatgate.core.routing.RoutingPolicy;
import chatgate.core.sms.MoService;
import java.time.Duration;
import java.time.Instant;

/** The core wired on in-memory adapters, a recording SMS port and a hand-moved clock. */
public final class CoreFixture implements AutoCloseable {
  public static final Duration WAP_IDLE = Duration.ofSeconds(60);
  public static final Duration RETENTION = Duration.ofHours(72);
  public static final Duration PUSH_ACK_WAIT = Duration.ofSeconds(10);

  public final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  public final MemoryGroupDirectory groups = new MemoryGroupDirectory();
  public final MemoryUserDirectory users = new MemoryUserDirectory(groups);
  public final MessageStore store;
  public final MemoryAuthStore auth = new MemoryAuthStore();
  /**
   * One key for every fixture of a test run, as every node and every restart of a gateway reads
   * the same key file: a fixture standing for the gateway after a crash makes the same reply links.
   */
  public static final chatgate.core.auth.Keys KEYS = chatgate.core.auth.Keys.random();
  public final chatgate.core.auth.Keys keys = KEYS;
  public final LocalPresence presence = new LocalPresence(WAP_IDLE, Duration.ofMinutes(15));
  public final RecordingSms sms = new RecordingSms();
  /** The live channel; {@link #live} when the fixture records pushes itself. */
  public final LivePush push;
  public final RecordingLivePush live;
  public final NumberPlan numbers = new NumberPlan("CN");
  public final ChatSettings chatSettings = new ChatSettings(1000, RETENTION, WAP_IDLE, "http://gw.test");
  public final ChatService chat;
  public final DeliveryStage stage;
  public final MoService mo;
  public final LoginService login;

  public CoreFixture() {
    this(new MemoryMessageStore());
  }

  public CoreFixture(MessageStore store) {
    this(store, new RecordingLivePush());
  }

  /** The core with another live channel (the web adapter's event streams). */
  public CoreFixture(MessageStore store, LivePush push) {
    this(store, push, Duration.ZERO);
  }

  /** The core marking each SMS SUBMITTING before its submit, settled by receipts after a crash (ADR 0011). */
  public CoreFixture(MessageStore store, Duration inDoubtWait) {
    this(store, new RecordingLivePush(), inDoubtWait);
  }

  private CoreFixture(MessageStore store, LivePush push, Duration inDoubtWait) {
    this.store = store;
    this.push = push;
    this.live = push instanceof RecordingLivePush r ? r : null;
    chat = new ChatService(users, groups, store, presence, new SnowflakeIds(1, clock), numbers, clock, chatSettings,
        keys);
    DeliverySettings ds = new DeliverySettings(WAP_IDLE, RETENTION, 5, Duration.ofSeconds(5), Duration.ofMinutes(10),
        Duration.ofDays(1), 4, 10_000, inDoubtWait, PUSH_ACK_WAIT);
    stage = new DeliveryStage(store, users, groups, presence, new RoutingPolicy(chat::smsAllowed), sms, push, clock,
        ds, chatSettings,
        chat::label, keys);
    chat.dispatcher(stage);
    // The sender's pages follow their messages' states, as in the gateway (issue 16).
    stage.listener(new chatgate.core.chat.SentStateFeed(store, presence, push,
        new chatgate.core.chat.SentStatus(store, chat::label), clock));
    mo = new MoService(chat, users, store, stage, clock);
    login = new LoginService(auth, chat, numbers, clock, AuthSettings.defaults(), keys);
  }

  /** Starts the stage (its own poller waits a day; tests call {@link #settle()}). */
  public CoreFixture started() {
    stage.start();
    settle();
    return this;
  }

  /** Polls for due work and waits until nothing is in flight, twice in a row (a finished item may free another). */
  public void settle() {
    org.awaitility.Awaitility.await("delivery stage settled").atMost(java.time.Duration.ofSeconds(5))
        .pollInterval(java.time.Duration.ofMillis(5)).pollDelay(java.time.Duration.ZERO).until(() -> {
          stage.poll();
          if (stage.inFlight() != 0) {
            return false;
          }
          stage.poll();
          return stage.inFlight() == 0;
        });
  }

  @Override
  public void close() {
    stage.close();
  }
}
