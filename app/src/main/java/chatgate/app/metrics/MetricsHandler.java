package chatgate.app.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /metrics} in the Prometheus text format; every other request goes on to the chat service. */
public final class MetricsHandler extends Handler.Wrapper {
  // Also times every other request (chatgate_http_seconds), so the whole web side is seen in one place.
  private final GatewayMetrics metrics;
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST");
  /** The path families a label may take; anything else is "other". */
  private static final List<String> ROUTES = List.of("/chat", "/events", "/login", "/logout",
      "/r/", "/sim", "/cgi-bin/sendsms", "/readyz", "/healthz", "/static/");

  static String route(String path) {
    if (path == null || path.equals("/")) {
      return "/";
    }
    for (String r : ROUTES) {
      if (r.endsWith("/") ? path.startsWith(r) : path.equals(r) || path.startsWith(r + "/")) {
        return r.endsWith("/") ? r + "*" : r;
      }
    }
    return "other";
  }

  public MetricsHandler(Handler next, GatewayMetrics metrics) {
    super(next);
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request req, Response res, Callback cb) throws Exception {
    String path = Request.getPathInContext(req);
    if (!"/metrics".equals(path)) {
      String route = route(path);
      if (route.equals("/events")) {
        return super.handle(req, res, cb); // a live stream lasts as long as the page: not a latency
      }
      long start = System.nanoTime();
      String method = METHODS.contains(req.getMethod()) ? req.getMethod() : "OTHER";
      Callback timed = Callback.from(() -> {
        metrics.http(method, route, res.getStatus(), System.nanoTime() - start);
        cb.succeeded();
      }, x -> {
        metrics.http(method, route, 500, System.nanoTime() - start);
        cb.failed(x);
      });
      return super.handle(req, res, timed);
    }
    if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
      res.setStatus(405);
      res.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      cb.succeeded();
      return true;
    }
    byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    res.setStatus(200);
    res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    res.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    res.write(true, "HEAD".equals(req.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), cb);
    return true;
  }
}
