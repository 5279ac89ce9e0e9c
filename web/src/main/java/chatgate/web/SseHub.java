package chatgate.web;

import chatgate.core.model.Msisdn;
import chatgate.core.model.SentReport;
import chatgate.core.port.LivePush;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open event streams of this node, by MSISDN: the live half of the WAP channel (P2.4). A push
 * only queues the item on each of the recipient's streams, so the delivery stage never waits for
 * a slow phone; each stream's own request thread writes it out. A stream whose queue is full is
 * closed (its phone reconnects and gets what it missed from the store).
 */
public final class SseHub implements LivePush {
  private static final int QUEUE = 256;
  /** Put on a stream's queue to wake its writer when the stream is closed from outside. */
  private static final Object WAKE = new Object();

  /** One open stream. */
  public static final class Stream {
    private final Msisdn owner;
    /** {@link PushItem}s and {@link SentReport}s (a state of a message this phone sent), in order. */
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean closed;

    Stream(Msisdn owner) {
      this.owner = owner;
    }

    public Msisdn owner() {
      return owner;
    }

    /**
     * The next {@link PushItem} or {@link SentReport}, or null after the wait (time for a
     * heartbeat) or once closed.
     */
    public Object next(long timeout, TimeUnit unit) throws InterruptedException {
      if (closed) {
        return null;
      }
      Object next = queue.poll(timeout, unit);
      return next == WAKE ? null : next;
    }

    /** Closes the stream and wakes its writer at once (its page reconnects, elsewhere when this node stops). */
    void end() {
      closed = true;
      queue.offer(WAKE); // a full queue wakes the writer anyway
    }

    public boolean isClosed() {
      return closed;
    }

    boolean offer(PushItem item) {
      if (closed) {
        return false;
      }
      if (!queue.offer(item)) {
        closed = true; // too far behind: drop the stream rather than block the stage
        return false;
      }
      return true;
    }

    /** A state is worth less than a message: a stream too far behind drops it rather than closing. */
    void offerState(SentReport report) {
      if (!closed) {
        queue.offer(report);
      }
    }
  }

  private final Map<Msisdn, Set<Stream>> streams = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();

  public Stream open(Msisdn owner) {
    Stream s = new Stream(owner);
    streams.computeIfAbsent(owner, k -> ConcurrentHashMap.newKeySet()).add(s);
    open.incrementAndGet();
    return s;
  }

  public void close(Stream s) {
    s.closed = true;
    streams.computeIfPresent(s.owner(), (k, set) -> {
      if (set.remove(s)) {
        open.decrementAndGet();
      }
      return set.isEmpty() ? null : set;
    });
  }

  /**
   * Ends every open stream now (the node is draining or stopping): each page's EventSource
   * reconnects, through the load balancer to another node, and gets what waited from the store.
   * Returns how many were open.
   */
  public int closeAll() {
    int n = 0;
    for (Set<Stream> set : streams.values()) {
      for (Stream s : set) {
        s.end();
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean push(Msisdn recipient, PushItem item) {
    Set<Stream> set = streams.get(recipient);
    if (set == null) {
      return false;
    }
    boolean any = false;
    for (Stream s : set) {
      any |= s.offer(item);
    }
    return any;
  }

  @Override
  public void pushState(Msisdn sender, SentReport report) {
    Set<Stream> set = streams.get(sender);
    if (set != null) {
      for (Stream s : set) {
        s.offerState(report);
      }
    }
  }

  /** Streams open now (metrics, tests). */
  public int openStreams() {
    return open.get();
  }

  public boolean hasStream(Msisdn m) {
    Set<Stream> set = streams.get(m);
    return set != null && set.stream().anyMatch(s -> !s.isClosed());
  }
}
