package chatgate.core.limits;

import chatgate.core.model.Msisdn;
import chatgate.core.port.MessageStore.SentBy;
import chatgate.core.port.MessageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What one phone may send ({@code [chat] messages_per_minute}, {@code daily_messages},
 * {@code daily_sms_segments}; ADR 0017). Nothing is written for it: the counts derive from the
 * messages already stored, read by sender and kept per phone for a few seconds, plus what this
 * node accepted since. A phone's sends are judged and accepted one at a time on a node, so they
 * never pass a quota there; nodes of a cluster see each other's within {@link #FRESH}.
 *
 * <p>An SMS's cost is known exactly only when the delivery stage routes it, so it is estimated
 * at accept: the text framed as the SMS will be (sender's name, reply link), in segments capped
 * at {@code max_segments}, times the recipients not browsing at that moment. A message that
 * would pass the day's segments is refused at accept, not sent and then regretted.
 */
public final class SenderQuotas {
  /** How long counts read from the store are trusted before they are read again. */
  static final Duration FRESH = Duration.ofSeconds(10);
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration DAY = Duration.ofDays(1);
  private static final int CACHE_MAX = 100_000;
  private static final int LOCKS = 1024;

  /**
   * @param perMinute messages one phone may send per minute
   * @param daily messages one phone may send per UTC day
   * @param dailySegments SMS segments one phone's messages may cost per UTC day
   */
  public record Settings(int perMinute, int daily, int dailySegments) {
    public static Settings unlimited() {
      return new Settings(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }
  }

  /**
   * A send refused by a quota.
   *
   * @param limit the quota's name (a metric label)
   * @param retryAfter until the quota's window ends
   * @param repeated this phone was already told by SMS of a refusal whose window has not ended (an SMS
   *     answer is sent once per window)
   */
  public record Refusal(String limit, Duration retryAfter, boolean repeated) {}

  /** The counts of one phone: the day and minute they are for, and when they were read. */
  private static final class Usage {
    long day;
    long minute;
    int today;
    int thisMinute;
    long segments;
    long readAt = Long.MIN_VALUE;
    /** Until when the phone knows by SMS that it is refused (the end of that refusal's window). */
    long toldUntil = Long.MIN_VALUE;
  }

  private final MessageStore store;
  private final Settings settings;
  private final LimitTrips trips;
  private final BiFunction<Msisdn, String, Integer> segments;
  private final Map<Msisdn, Usage> usage = new ConcurrentHashMap<>();
  private final Object[] locks = new Object[LOCKS];

  /** @param segments the SMS segments one recipient's copy of this sender's text costs */
  public SenderQuotas(MessageStore store, Settings settings, LimitTrips trips,
      BiFunction<Msisdn, String, Integer> segments) {
    this.store = store;
    this.settings = settings;
    this.trips = trips;
    this.segments = segments;
    for (int i = 0; i < LOCKS; i++) {
      locks[i] = new Object();
    }
  }

  /** The SMS segments this text costs for each recipient it goes to by SMS. */
  public int cost(Msisdn sender, String body) {
    return segments.apply(sender, body);
  }

  /**
   * Accepts a message of this sender costing {@code smsSegments} if within the quotas (one at a
   * time per phone on this node), or says which quota refused it.
   *
   * @param counts whether what was accepted counts (a form posted again is the same message)
   * @param answeredBySms a refusal is answered by SMS: said once per window, then {@link Refusal#repeated}
   */
  public <T> Result<T> admit(Msisdn sender, long smsSegments, Instant now, Supplier<T> accept,
      Predicate<T> counts, boolean answeredBySms) {
    synchronized (locks[Math.floorMod(sender.hashCode(), LOCKS)]) {
      Usage u = usage(sender, now);
      Optional<Refusal> refused = check(sender, u, smsSegments, now, answeredBySms);
      if (refused.isPresent()) {
        return new Result<>(null, refused.get());
      }
      T t = accept.get();
      if (counts.test(t)) {
        u.today++;
        u.thisMinute++;
        u.segments += smsSegments;
      }
      return new Result<>(t, null);
    }
  }

  /** Either what was accepted, or the refusal. */
  public record Result<T>(T accepted, Refusal refusal) {}

  private Optional<Refusal> check(Msisdn sender, Usage u, long cost, Instant now, boolean answeredBySms) {
    String limit;
    int max;
    Duration window;
    if (u.thisMinute >= settings.perMinute()) {
      limit = "sender_per_minute";
      max = settings.perMinute();
      window = MINUTE;
    } else if (u.today >= settings.daily()) {
      limit = "sender_daily_messages";
      max = settings.daily();
      window = DAY;
    } else if (cost > 0 && u.segments + cost > settings.dailySegments()) {
      limit = "sender_daily_segments";
      max = settings.dailySegments();
      window = DAY;
    } else {
      return Optional.empty();
    }
    long end = start(now, window) + window.toMillis();
    trips.trip(limit, max, window, now, "messages from " + sender.masked());
    boolean repeated = answeredBySms && now.toEpochMilli() < u.toldUntil;
    if (answeredBySms) {
      u.toldUntil = Math.max(u.toldUntil, end);
    }
    return Optional.of(new Refusal(limit, Duration.ofMillis(end - now.toEpochMilli()), repeated));
  }

  private Usage usage(Msisdn sender, Instant now) {
    Usage u = usage.get(sender);
    long day = start(now, DAY);
    long minute = start(now, MINUTE);
    if (u == null || u.day != day || now.toEpochMilli() - u.readAt >= FRESH.toMillis()) {
      if (u == null) {
        if (usage.size() >= CACHE_MAX) {
          usage.clear(); // counts are read again; nothing is lost
        }
        u = new Usage();
        usage.put(sender, u);
      }
      read(sender, u, day, minute, now);
    } else if (u.minute != minute) {
      u.minute = minute;
      u.thisMinute = 0;
    }
    return u;
  }

  private void read(Msisdn sender, Usage u, long day, long minute, Instant now) {
    // The day's messages, at most one more than the quota: enough to know it is spent.
    List<SentBy> sent = store.sentBy(sender, Instant.ofEpochMilli(day),
        (int) Math.min(Integer.MAX_VALUE - 1L, Math.max(settings.daily(), settings.perMinute()) + 1L));
    int today = 0;
    int thisMinute = 0;
    long segs = 0;
    for (SentBy s : sent) {
      today++;
      if (s.acceptedAt().toEpochMilli() >= minute) {
        thisMinute++;
      }
      if (s.smsDeliveries() > 0) {
        segs += (long) s.smsDeliveries() * cost(sender, s.body());
      }
    }
    u.day = day;
    u.minute = minute;
    u.today = today;
    u.thisMinute = thisMinute;
    u.segments = segs;
    u.readAt = now.toEpochMilli();
  }

  private static long start(Instant now, Duration window) {
    long w = window.toMillis();
    return Math.floorDiv(now.toEpochMilli(), w) * w;
  }
}
