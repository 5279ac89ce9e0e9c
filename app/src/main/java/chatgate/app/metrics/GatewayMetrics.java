package chatgate.app.metrics;

import chatgate.core.model.Origin;
import chatgate.core.model.Route;
import chatgate.core.port.MessageStore;
import chatgate.core.port.Telemetry;
import chatgate.store.JdbcStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The gateway's Prometheus metrics (Micrometer): what the core reports through {@link Telemetry},
 * gauges read at scrape time (queue depth and age, open streams, IM sessions, SMPP bind) and the
 * JVM's own. Names follow Prometheus conventions: {@code chatgate_…_total} counters, seconds.
 */
public final class GatewayMetrics implements Telemetry, AutoCloseable {
  /** Receipt statuses of SMPP 3.4 Appendix B; anything else an SMSC invents is counted as OTHER. */
  private static final Set<String> DLR_STATES =
      Set.of("DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD", "ENROUTE");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter mo;
  private final Counter retries;

  public GatewayMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gc.bindTo(registry);
    mo = Counter.builder("chatgate_mo").description("Mobile-originated SMS stored").register(registry);
    retries = Counter.builder("chatgate_delivery_retries").description("Deliveries scheduled for another attempt")
        .register(registry);
  }

  /** Gauges read when scraped. The queue query runs at most once a second, however often it is scraped. */
  public GatewayMetrics gauges(MessageStore store, Clock clock, IntSupplier sseStreams, IntSupplier imSessions,
      BooleanSupplier smppBound) {
    Supplier<MessageStore.QueueStats> stats = new Memo<>(store::queueStats, Duration.ofSeconds(1));
    Gauge.builder("chatgate_queue_depth", () -> stats.get().depth())
        .description("Deliveries not done yet (pending, or waiting for a page fetch)").register(registry);
    Gauge.builder("chatgate_queue_oldest_age_seconds", () -> stats.get().oldestAcceptedAt()
            .map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0).orElse(0.0))
        .description("Age of the oldest message with a delivery not done").baseUnit("seconds").register(registry);
    Gauge.builder("chatgate_sse_streams", sseStreams::getAsInt).description("Open live streams (SSE)")
        .register(registry);
    Gauge.builder("chatgate_im_sessions", imSessions::getAsInt).description("IM accounts logged in for phones")
        .register(registry);
    Gauge.builder("chatgate_smpp_bound", () -> smppBound.getAsBoolean() ? 1 : 0)
        .description("1 while the SMPP link is bound").register(registry);
    return this;
  }

  private Supplier<JdbcStore.WriteStats> storeWriter;

  /**
   * The store's single writer: writes per batch say how well a commit (an fsync on SQLite) is
   * shared; busy seconds rising as fast as the clock say the writer is the limit.
   */
  public GatewayMetrics storeWriter(Supplier<JdbcStore.WriteStats> stats) {
    this.storeWriter = stats; // function counters hold their source weakly: kept here for the gateway's life
    FunctionCounter.builder("chatgate_store_writes", stats, s -> s.get().writes())
        .description("Writes committed or failed by the store's writer").register(registry);
    FunctionCounter.builder("chatgate_store_write_batches", stats, s -> s.get().batches())
        .description("Transactions the writer grouped those writes into").register(registry);
    FunctionCounter.builder("chatgate_store_writer_busy", stats, s -> s.get().busySeconds()).baseUnit("seconds")
        .description("Time the writer spent on batches").register(registry);
    FunctionCounter.builder("chatgate_store_commit", stats, s -> s.get().commitSeconds()).baseUnit("seconds")
        .description("Time the writer spent committing (the durable part)").register(registry);
    return this;
  }

  /** The exposition text for {@code GET /metrics}. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void accepted(Origin origin, int deliveries) {
    registry.counter("chatgate_messages_accepted", "origin", origin.name()).increment();
  }

  @Override
  public void mo() {
    mo.increment();
  }

  @Override
  public void mtSubmitted(Route route, int segments) {
    registry.counter("chatgate_mt", "route", route.name()).increment();
    registry.counter("chatgate_mt_segments", "route", route.name()).increment(segments);
  }

  /**
   * One HTTP request answered: {@code route} is one of a fixed set of path families (never the raw
   * path, so a scanner cannot blow up the label count), {@code status} the status class (2xx…).
   */
  public void http(String method, String route, int status, long nanos) {
    Timer.builder("chatgate_http")
        .description("HTTP requests from arrival to the end of the answer (live event streams not counted)")
        .tags("method", method, "route", route, "status", (status / 100) + "xx")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  @Override
  public void delivered(Route route, String state, Duration sinceAccepted) {
    Timer.builder("chatgate_delivery")
        .description("From accept to the delivery's outcome (pushed, sent to the SMSC, kept, failed)")
        .tags("route", route.name(), "state", state)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry)
        .record(sinceAccepted.isNegative() ? Duration.ZERO : sinceAccepted);
  }

  @Override
  public void retry() {
    retries.increment();
  }

  @Override
  public void dlr(String status) {
    String s = status == null ? "OTHER" : status.toUpperCase(Locale.ROOT);
    registry.counter("chatgate_dlr", "status", DLR_STATES.contains(s) ? s : "OTHER").increment();
  }

  @Override
  public void loginFailure(String kind) {
    registry.counter("chatgate_login_failures", "kind", kind).increment();
  }

  @Override
  public void limitTripped(String limit) {
    registry.counter("chatgate_limit_trips", "limit", limit).increment();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  /** A value computed at most once per period. */
  private static final class Memo<T> implements Supplier<T> {
    private final Supplier<T> source;
    private final long periodNanos;
    private T value;
    private long at;

    Memo(Supplier<T> source, Duration period) {
      this.source = source;
      this.periodNanos = period.toNanos();
    }

    @Override
    public synchronized T get() {
      long now = System.nanoTime();
      if (value == null || now - at > periodNanos) {
        value = source.get();
        at = now;
      }
      return value;
    }
  }
}
