package chatgate.web;

import chatgate.core.model.Language;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The server-wide bound on request bodies (issue 15): no route can be made to hold more than
 * {@link #MAX_BODY} bytes of one. A body announced larger is refused 413 from its
 * {@code Content-Length}, before a byte of it is read; one of unknown length (chunked) reads as a
 * 413 failure once it passes the bound, so a reader stops there. The connection is closed after
 * either, so the rest is never read.
 */
final class BodyLimit extends Handler.Wrapper {
  /** The largest body any route takes: forms and sendsms requests are a few KiB at most. */
  static final int MAX_BODY = 64 * 1024;

  private final long max;

  BodyLimit(Handler next, long max) {
    super(next);
    this.max = max;
  }

  @Override
  public boolean handle(Request req, Response res, Callback cb) throws Exception {
    if (req.getLength() > max) {
      refuse(req, res, cb);
      return true;
    }
    return super.handle(new Bounded(req, max), res, cb);
  }

  /** 413 in a short plain text: in Kannel's English for sendsms clients, else by Accept-Language. */
  static void refuse(Request req, Response res, Callback cb) {
    String text = SendsmsHandler.PATH.equals(Request.getPathInContext(req)) ? "Request too large"
        : PageText.ERR_TOO_LARGE.in(Language.ofAcceptLanguage(req.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE)));
    res.setStatus(HttpStatus.PAYLOAD_TOO_LARGE_413);
    res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    res.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    // The unread body stays with the client: end the connection rather than read it to reuse it.
    res.getHeaders().put(HttpHeader.CONNECTION, "close");
    Content.Sink.write(res, true, text + "\n", cb);
  }

  /** True if this failure (or one of its causes) is a body past the bound. */
  static boolean tooLarge(Throwable t) {
    for (Throwable x = t; x != null; x = x.getCause()) {
      if (x instanceof BadMessageException b && b.getCode() == HttpStatus.PAYLOAD_TOO_LARGE_413) {
        return true;
      }
    }
    return false;
  }

  /** Counts what the route reads; past the bound every read is a terminal 413 failure. */
  private static final class Bounded extends Request.Wrapper {
    private final long max;
    private long read;
    private Content.Chunk failure;

    Bounded(Request wrapped, long max) {
      super(wrapped);
      this.max = max;
    }

    @Override
    public Content.Chunk read() {
      if (failure != null) {
        return failure;
      }
      Content.Chunk chunk = super.read();
      if (chunk == null || Content.Chunk.isFailure(chunk)) {
        return chunk;
      }
      read += chunk.remaining();
      if (read > max) {
        chunk.release();
        failure = Content.Chunk.from(new BadMessageException(HttpStatus.PAYLOAD_TOO_LARGE_413,
            "request body over " + max + " bytes"), true);
        return failure;
      }
      return chunk;
    }
  }
}
