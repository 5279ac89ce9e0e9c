package chatgate.web;

import chatgate.core.port.HttpCallback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DLR callbacks over HTTP GET, each on a virtual thread: a 2xx ends it; anything else is tried
 * again after 1, 4, 16 s (four tries in all), so a client that is briefly down still hears. At
 * most 64 calls run at once: a slow client cannot take the gateway's memory with it. Calls with
 * the same order key (one message's states) are made one after the other, in order.
 *
 * <p>A call connects only to addresses {@link DlrUrlGuard} vetted when the connection is made (its
 * resolver is the client's), so a name that resolved to a public address at submit and to
 * loopback now is refused, not called; redirects are never followed. URLs under an operator's
 * {@code dlr_url_allow} prefix go through a second client without that check.
 */
public final class HttpClientCallback implements HttpCallback, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpClientCallback.class);
  private static final int TRIES = 4;

  private final List<String> allowed;
  private final DlrUrlGuard guard;
  /** Made at the first call: two started Jetty clients cost ~0.1 s of every start (issue 17), and most never call. */
  private HttpClient vetted;
  private HttpClient trusted;
  private boolean closed;
  private final Semaphore running = new Semaphore(64);
  /** The last call of each order key not yet ended. */
  private final Map<String, CompletableFuture<Void>> inOrder = new ConcurrentHashMap<>();

  /** @param allowed every sendsms user's {@code dlr_url_allow} prefixes */
  public HttpClientCallback(DlrUrlGuard guard, List<String> allowed) {
    this.allowed = List.copyOf(allowed);
    this.guard = guard;
  }

  /** The client for a URL: the vetting one, or the one for the {@code dlr_url_allow} prefixes. */
  private synchronized HttpClient client(boolean trustedUrl) throws IOException {
    if (closed) {
      throw new IOException("DLR callbacks are closed");
    }
    try {
      return trustedUrl ? trusted() : vetted();
    } catch (IllegalStateException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private HttpClient trusted() {
    if (trusted == null) {
      trusted = client("dlr-allowed", null);
    }
    return trusted;
  }

  private HttpClient vetted() {
    if (vetted == null) {
      vetted = client("dlr-vetted", (host, port, context, promise) ->
          // Resolution may block on DNS: never on one of the client's own threads.
          Thread.ofVirtual().name("dlr-resolve").start(() -> {
            try {
              promise.succeeded(guard.vetted(host, port).stream().map(a -> new InetSocketAddress(a, port)).toList());
            } catch (IOException | RuntimeException e) {
              promise.failed(e);
            }
          }));
    }
    return vetted;
  }

  private static HttpClient client(String name, SocketAddressResolver resolver) {
    HttpClient c = new HttpClient();
    QueuedThreadPool pool = new QueuedThreadPool(16, 1);
    pool.setName(name);
    c.setExecutor(pool);
    if (resolver != null) {
      c.setSocketAddressResolver(resolver);
    }
    c.setFollowRedirects(false);
    c.setConnectTimeout(5_000);
    c.setIdleTimeout(30_000);
    c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "chatgate"));
    try {
      c.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the DLR callback client: " + e.getMessage(), e);
    }
    return c;
  }

  @Override
  public void get(String url) {
    Thread.ofVirtual().name("dlr-callback").start(() -> call(url));
  }

  @Override
  public void get(String order, String url) {
    // Each call waits for the one before it with the same key (its tries included); calls with
    // different keys run side by side. A waiting call is a parked virtual thread.
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> before = inOrder.put(order, done);
    Thread.ofVirtual().name("dlr-callback").start(() -> {
      try {
        if (before != null) {
          before.join();
        }
        call(url);
      } finally {
        done.complete(null);
        inOrder.remove(order, done);
      }
    });
  }

  private void call(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      log.warn("DLR callback URL is not a URI: {}", e.getMessage());
      return;
    }
    long wait = 1000;
    for (int i = 1; i <= TRIES; i++) {
      try {
        running.acquire();
        try {
          int status = once(uri);
          if (status / 100 == 2) {
            return;
          }
          log.info("DLR callback to {} answered {} (try {})", uri.getHost(), status, i);
        } finally {
          running.release();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (DlrUrlGuard.Refused e) {
        log.warn("DLR callback to {} refused: {}", uri.getHost(), e.getMessage());
        return; // where it resolves to now is no place to call, nor to try again
      } catch (IOException e) {
        log.info("DLR callback to {} failed (try {}): {}", uri.getHost(), i, e.toString());
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      wait *= 4;
    }
  }

  /** One GET: the status, or the failure ({@link DlrUrlGuard.Refused} when the host resolves where it must not). */
  int once(URI uri) throws IOException, InterruptedException {
    HttpClient c = client(DlrUrlGuard.allowed(uri, uri.toString(), allowed));
    CompletableFuture<Result> done = new CompletableFuture<>();
    c.newRequest(uri).followRedirects(false).timeout(10, TimeUnit.SECONDS).send(done::complete);
    Result r;
    try {
      r = done.get();
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    }
    if (r.isFailed()) {
      Optional<DlrUrlGuard.Refused> refused = refusal(r.getFailure());
      if (refused.isPresent()) {
        throw refused.get();
      }
      throw r.getFailure() instanceof IOException io ? io : new IOException(r.getFailure());
    }
    return r.getResponse().getStatus();
  }

  private static Optional<DlrUrlGuard.Refused> refusal(Throwable t) {
    for (Throwable x = t; x != null; x = x.getCause()) {
      if (x instanceof DlrUrlGuard.Refused r) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    List<HttpClient> made;
    synchronized (this) {
      closed = true;
      made = Stream.of(vetted, trusted).filter(Objects::nonNull).toList();
    }
    for (HttpClient c : made) {
      try {
        c.stop();
      } catch (Exception e) {
        // stopping: nothing more to do
      }
    }
  }
}
