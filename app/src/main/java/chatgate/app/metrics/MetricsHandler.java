package chatgate.app.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /metrics} in the Prometheus text format; every other request goes on to the chat service. */
public final class MetricsHandler extends Handler.Wrapper {
  private final GatewayMetrics metrics;

  public MetricsHandler(Handler next, GatewayMetrics metrics) {
    super(next);
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request req, Response res, Callback cb) throws Exception {
    if (!"/metrics".equals(Request.getPathInContext(req))) {
      return super.handle(req, res, cb);
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
