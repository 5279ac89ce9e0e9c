package chatgate.app;

import chatgate.core.auth.Keys;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /admin/drain}, what {@code chatgate admin node drain} calls (issue 20): takes the
 * node out of service ({@code /readyz} answers 503 "draining", open pages' streams are closed so
 * they reconnect elsewhere) without stopping it. Only from a loopback peer (the socket's address,
 * never a forwarded header) and only with the token derived from the node's key file, so neither
 * a page's visitor behind a local reverse proxy nor anyone without the key file can drain a node.
 */
final class DrainHandler extends Handler.Wrapper {
  static final String PATH = "/admin/drain";

  private final String token;
  private final IntSupplier drain;

  DrainHandler(Handler next, Keys keys, IntSupplier drain) {
    super(next);
    this.token = token(keys);
    this.drain = drain;
  }

  /** The bearer token {@code admin node drain} sends: derived from the key file, never stored. */
  static String token(Keys keys) {
    return keys.macBase62(Keys.Purpose.ADMIN, "node-drain", 32);
  }

  @Override
  public boolean handle(Request req, Response res, Callback cb) throws Exception {
    if (!PATH.equals(Request.getPathInContext(req))) {
      return super.handle(req, res, cb);
    }
    if (!(req.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress peer)
        || !peer.getAddress().isLoopbackAddress()) {
      return answer(res, cb, 404, "not found\n");
    }
    if (!"POST".equals(req.getMethod())) {
      res.getHeaders().put(HttpHeader.ALLOW, "POST");
      return answer(res, cb, 405, "POST only\n");
    }
    String auth = req.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
        ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
      return answer(res, cb, 403, "the token of this node's key file is needed\n");
    }
    int streams = drain.getAsInt();
    return answer(res, cb, 200, "draining: /readyz answers 503; " + streams + " event streams closed\n");
  }

  private static boolean answer(Response res, Callback cb, int status, String text) {
    res.setStatus(status);
    res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=UTF-8");
    res.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    res.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), cb);
    return true;
  }
}
