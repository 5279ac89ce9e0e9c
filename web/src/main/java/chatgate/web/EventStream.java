package chatgate.web;

import chatgate.core.model.Message;
import chatgate.core.model.Msisdn;
import chatgate.core.port.LivePush.PushItem;
import chatgate.core.port.MessageStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /events}: a Server-Sent Events stream of the viewer's messages (P2.4). It first sends
 * what the viewer has not seen (kept while offline, P2.11), then whatever the delivery stage
 * pushes, with a heartbeat comment so proxies keep the connection. The request's own (virtual)
 * thread writes; the stream lives as long as the phone keeps it.
 */
final class EventStream {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final long HEARTBEAT_SECONDS = 15;

  private final WebContext ctx;
  private final SseHub hub;
  private final ObjectMapper json = new ObjectMapper();

  EventStream(WebContext ctx, SseHub hub) {
    this.ctx = ctx;
    this.hub = hub;
  }

  void serve(Exchange x) {
    Msisdn me = x.viewer.msisdn().orElseThrow();
    x.res.setStatus(200);
    var h = x.res.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=UTF-8");
    h.put(HttpHeader.CACHE_CONTROL, "no-cache, no-store, private");
    h.put("X-Accel-Buffering", "no");
    SseHub.Stream stream = hub.open(me);
    ctx.presence().streamOpened(me, ctx.clock().instant());
    try {
      write(x, "retry: 5000\n\n");
      List<MessageStore.Item> unseen = ctx.store().unseen(me, ctx.clock().instant(), 50);
      for (MessageStore.Item i : unseen) {
        write(x, event(item(i)));
      }
      ctx.stage().shown(unseen);
      while (!stream.isClosed()) {
        PushItem item = stream.next(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        write(x, item == null ? ": ping\n\n" : event(item));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("event stream of {} ended: {}", me.masked(), e.toString());
    } finally {
      hub.close(stream);
      ctx.presence().streamClosed(me, ctx.clock().instant());
      x.cb.succeeded();
    }
  }

  private PushItem item(MessageStore.Item i) {
    Message m = i.message();
    String label = m.sender().map(ctx.chat()::label).orElse("chatgate");
    return new PushItem(i.delivery().id(), m.id(), m.sender(), label, m.group(), m.body(),
        ctx.chat().replyToken(i.delivery().id()),
        m.acceptedAt());
  }

  private String event(PushItem p) throws JsonProcessingException {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("id", p.deliveryId());
    e.put("from", p.senderLabel());
    e.put("fromId", p.sender().map(Msisdn::e164).orElse(""));
    e.put("group", p.group().map(g -> g.value()).orElse(""));
    e.put("groupName", p.group().map(g -> ctx.chat().group(g).map(gr -> gr.name()).orElse(g.value())).orElse(""));
    e.put("body", p.body());
    e.put("reply", "/r/" + p.replyToken());
    e.put("at", p.at().toString());
    // JSON never holds a raw newline, so one data line carries it.
    return "id: " + p.deliveryId() + "\nevent: message\ndata: " + json.writeValueAsString(e) + "\n\n";
  }

  private static void write(Exchange x, String chunk) throws Exception {
    Callback.Completable done = new Callback.Completable();
    x.res.write(false, ByteBuffer.wrap(chunk.getBytes(StandardCharsets.UTF_8)), done);
    done.get(30, TimeUnit.SECONDS);
  }
}
