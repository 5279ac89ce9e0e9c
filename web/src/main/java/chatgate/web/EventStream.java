package chatgate.web;

import chatgate.core.chat.Inbox;
import chatgate.core.chat.SentStatus;
import chatgate.core.model.Message;
import chatgate.core.model.Msisdn;
import chatgate.core.model.SentReport;
import chatgate.core.model.Target;
import chatgate.core.port.LivePush.PushItem;
import chatgate.core.port.MessageStore;
import chatgate.web.view.ChatView;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /events}: a Server-Sent Events stream of the viewer's messages (P2.4). It first sends
 * what the viewer has not seen (kept while offline, P2.11) and where the viewer's own last
 * messages stand, then whatever the delivery stage pushes: messages ({@code event: message}) and
 * states of messages the viewer sent ({@code event: state}, issue 16), with a heartbeat comment
 * so proxies keep the connection. The request's own (virtual)
 * thread writes; the stream lives as long as the phone keeps it.
 */
final class EventStream {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final long HEARTBEAT_SECONDS = 15;

  private final WebContext ctx;
  private final SseHub hub;
  private final ObjectMapper json = new ObjectMapper();

  private final SentStatus sent;
  /** States sent when a stream starts: the viewer's last messages, all a page shows of its own at once. */
  static final int REPLAY_STATES = 10;

  private final Times times;

  EventStream(WebContext ctx, SseHub hub, Times times) {
    this.ctx = ctx;
    this.times = times;
    this.hub = hub;
    this.sent = new SentStatus(ctx.store(), ctx.chat()::label);
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
      // What waited is sent first; like every push, it counts as seen once the page acknowledges it.
      List<MessageStore.Item> unseen = ctx.store().unseen(me, ctx.clock().instant(), 50);
      for (MessageStore.Item i : unseen) {
        write(x, event(x, item(i)));
      }
      // Then where the viewer's own last messages stand: what changed between the page's render
      // and this stream's start, or while it was reconnecting, is not missed (issue 16).
      for (SentReport r : sent.recent(me, Optional.empty(), REPLAY_STATES)) {
        write(x, state(x, r));
      }
      while (!stream.isClosed()) {
        Object next = stream.next(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        write(x, switch (next) {
          case null -> ": ping\n\n";
          case PushItem item -> event(x, item);
          case SentReport r -> state(x, r);
          default -> throw new IllegalStateException("unknown stream item " + next.getClass());
        });
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

  /** The most ids one acknowledgement may carry (a page acknowledges as it shows, a few at a time). */
  static final int MAX_ACK_IDS = 100;

  /**
   * {@code POST /events/ack}, {@code ids=1,2,3}: the page showed these pushed messages. Only then
   * is a live push delivered; without it the message goes by SMS or is kept (issue 16).
   */
  void acknowledge(Exchange x) {
    Msisdn me = x.viewer.msisdn().orElseThrow();
    Optional<List<Long>> ids = ids(x, "ids");
    Optional<List<Long>> read = ids.isEmpty() ? Optional.empty() : ids(x, "read");
    if (read.isEmpty()) {
      return;
    }
    ctx.stage().acknowledged(me, ids.get());
    // Those the page wrote into the conversation it shows are read there too (ADR 0047): one
    // marker write per conversation, up to its newest.
    Map<Target, List<Message>> shown = new LinkedHashMap<>();
    for (long id : read.get()) {
      ctx.store().item(id).filter(i -> i.delivery().recipient().equals(me)).ifPresent(i -> shown
          .computeIfAbsent(Inbox.conversation(i.message()), k -> new ArrayList<>()).add(i.message()));
    }
    shown.forEach((conversation, messages) -> ctx.inbox().read(me, conversation, messages));
    x.text(204, "text/plain; charset=UTF-8", "");
  }

  /** Delivery ids, comma-separated, in a form field; empty after a 400 answer. */
  private static Optional<List<Long>> ids(Exchange x, String field) {
    String[] raw = x.form(field).split(",", MAX_ACK_IDS + 1);
    if (raw.length > MAX_ACK_IDS) {
      x.text(400, "text/plain; charset=UTF-8", "at most " + MAX_ACK_IDS + " ids\n");
      return Optional.empty();
    }
    List<Long> ids = new ArrayList<>(raw.length);
    for (String r : raw) {
      String id = r.strip();
      if (id.isEmpty()) {
        continue;
      }
      try {
        ids.add(Long.parseUnsignedLong(id.length() <= 19 ? id : "x"));
      } catch (NumberFormatException e) {
        x.text(400, "text/plain; charset=UTF-8", "ids are delivery ids, comma-separated\n");
        return Optional.empty();
      }
    }
    return Optional.of(ids);
  }

  private PushItem item(MessageStore.Item i) {
    Message m = i.message();
    String label = m.sender().map(snd -> ctx.chat().label(i.delivery().recipient(), snd)).orElse("chatgate");
    return new PushItem(i.delivery().id(), m.id(), m.sender(), label, m.group(), m.body(),
        ctx.chat().replyToken(i.delivery().id()),
        m.acceptedAt());
  }

  private String event(Exchange x, PushItem p) throws JsonProcessingException {
    Map<String, Object> e = new LinkedHashMap<>();
    // A string: delivery ids pass 2^53, beyond what a JavaScript number holds exactly.
    e.put("id", Long.toString(p.deliveryId()));
    e.put("from", p.senderLabel());
    e.put("fromId", p.sender().map(Msisdn::e164).orElse(""));
    e.put("group", p.group().map(g -> g.value()).orElse(""));
    e.put("groupName", p.group().map(g -> ctx.chat().group(g).map(gr -> gr.name()).orElse(g.value())).orElse(""));
    e.put("body", p.body());
    e.put("reply", "/r/" + p.replyToken());
    e.put("at", p.at().toString());
    // As the page writes it: the viewer's time zone, the date when it is not today.
    e.put("time", times.stamp(p.at(), times.zone(x), x.lang));
    // JSON never holds a raw newline, so one data line carries it.
    return "id: " + p.deliveryId() + "\nevent: message\ndata: " + json.writeValueAsString(e) + "\n\n";
  }

  /**
   * {@code event: state}: what became of a message the viewer sent, in the page's language, as the
   * page writes it on a reload. No event id (an id is a delivery the page acknowledges), and no
   * key named "id" in the data.
   */
  private String state(Exchange x, SentReport r) throws JsonProcessingException {
    ChatView.State s = SentStateText.of(x.lang, r, times.zone(x));
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("msg", s.msg());
    e.put("text", s.text());
    e.put("title", s.title());
    e.put("cls", s.cls());
    return "event: state\ndata: " + json.writeValueAsString(e) + "\n\n";
  }

  private static void write(Exchange x, String chunk) throws Exception {
    Callback.Completable done = new Callback.Completable();
    x.res.write(false, ByteBuffer.wrap(chunk.getBytes(StandardCharsets.UTF_8)), done);
    done.get(30, TimeUnit.SECONDS);
  }
}
