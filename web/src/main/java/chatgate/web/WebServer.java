package chatgate.web;

import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty with one handler, its requests on virtual threads, their bodies bounded ({@link BodyLimit}). */
public final class WebServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  public WebServer(WebSettings settings, WebContext context, SseHub hub) {
    this(settings, context, hub, h -> h);
  }

  /** With {@code wrap} putting handlers (sendsms, metrics) in front of the chat pages. */
  public WebServer(WebSettings settings, WebContext context, SseHub hub,
      UnaryOperator<Handler> wrap) {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName("http");
    // Each request (and each open event stream) on its own virtual thread: blocking is cheap.
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // Request line and headers (reply-link tokens, cookies) fit in 16 KiB; anything larger is a 431.
    http.setRequestHeaderSize(16 * 1024);
    http.setResponseHeaderSize(16 * 1024);
    // A client that does not send a body it announced is not waited on for more than a few reads.
    http.setMaxUnconsumedRequestContentReads(4);
    connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(60_000);
    server.addConnector(connector);
    // Form parsing anywhere is bounded even without explicit limits (Exchange passes its own too).
    server.setAttribute(FormFields.MAX_LENGTH_ATTRIBUTE, BodyLimit.MAX_BODY);
    server.setAttribute(FormFields.MAX_FIELDS_ATTRIBUTE, 100);
    // Outermost, so no route (sendsms, metrics, the chat pages) ever holds more than the bound.
    server.setHandler(new BodyLimit(wrap.apply(new ChatHandler(settings, context, hub)), BodyLimit.MAX_BODY));
    // Requests under way get this long at a stop; the whole stop has 10 s (issue 20).
    server.setStopTimeout(1_500);
  }

  public void start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start HTTP on " + connector.getHost() + ":" + connector.getPort()
          + ": " + e.getMessage(), e);
    }
  }

  /** The port listened on (the chosen one when configured as 0). */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // stopping: nothing more to do
    }
  }
}
