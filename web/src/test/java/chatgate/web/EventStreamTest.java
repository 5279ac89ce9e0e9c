package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Msisdn;
import chatgate.core.testing.CoreFixture;
import chatgate.core.model.Route;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code /events} over real HTTP: unseen messages first, then live pushes (P2.4, P2.11). */
class EventStreamTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  final WebFixture web = new WebFixture();

  @AfterEach
  void close() {
    web.close();
  }

  private BlockingQueue<String> open(WebFixture.Phone p) throws Exception {
    HttpResponse<Stream<String>> r = p.http.send(HttpRequest.newBuilder(URI.create(web.base + "/events")).GET().build(),
        HttpResponse.BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
    BlockingQueue<String> data = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> {
      Iterator<String> it = r.body().iterator();
      while (it.hasNext()) {
        String line = it.next();
        if (line.startsWith("data: ")) {
          data.add(line.substring(6));
        }
      }
    });
    return data;
  }

  @Test
  @DisplayName("P2.4 a recipient with an open event stream gets the message pushed live with its reply link")
  void p2_4_pushedLive() throws Exception {
    var a = web.phone(A).login();
    var b = web.phone(B).login();
    BlockingQueue<String> events = open(b);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> web.hub.hasStream(Msisdn.of(B)));
    a.send(B, "live <now> & \"quoted\"");
    String event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).isNotNull().contains("\"body\":\"live <now> & \\\"quoted\\\"\"").contains("\"fromId\":\"+8613800000001\"");
    Delivery d = web.core.store.deliveriesOf(web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 1).get(0).id()).get(0);
    assertThat(event).contains("\"reply\":\"/r/" + web.core.chat.replyToken(d.id()) + "\"");
    assertThat(event).contains("\"id\":\"" + d.id() + "\"");
    // Written into the stream, not yet shown: the page's acknowledgement makes it delivered (issue 16).
    assertThat(d.state()).isEqualTo(DeliveryState.AWAITING_FETCH);
    assertThat(ack(b, d.id()).statusCode()).isEqualTo(204);
    Delivery acked = web.core.store.item(d.id()).orElseThrow().delivery();
    assertThat(acked.state()).isEqualTo(DeliveryState.PUSHED);
    assertThat(acked.route()).contains(Route.LIVE_STREAM);
    web.core.clock.advance(CoreFixture.PUSH_ACK_WAIT.plusSeconds(1));
    web.core.settle();
    assertThat(web.core.sms.sentTo(Msisdn.of(B)).stream().filter(s -> !s.secret())).isEmpty();
  }

  private HttpResponse<String> ack(WebFixture.Phone p, long... ids) throws Exception {
    String page = p.get("/chat").body();
    StringBuilder list = new StringBuilder();
    for (long id : ids) {
      list.append(list.isEmpty() ? "" : ",").append(id);
    }
    return p.post("/events/ack", WebFixture.form("ids", list.toString(), "csrf", WebFixture.csrf(page)));
  }

  @Test
  @DisplayName("issue 16: a message written into a stream whose page never acknowledges it goes by SMS (P2.5)")
  void aPushThePageNeverAcknowledgesGoesBySms() throws Exception {
    var a = web.phone(A).login();
    var b = web.phone(B).login();
    BlockingQueue<String> events = open(b);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> web.hub.hasStream(Msisdn.of(B)));
    a.send(B, "nobody reads this stream");
    assertThat(events.poll(10, TimeUnit.SECONDS)).contains("nobody reads this stream");
    assertThat(web.core.sms.sentTo(Msisdn.of(B)).stream().filter(s -> !s.secret())).isEmpty();
    web.core.clock.advance(CoreFixture.PUSH_ACK_WAIT.plusSeconds(1));
    web.core.settle();
    assertThat(web.core.sms.sentTo(Msisdn.of(B)).stream().filter(s -> !s.secret()))
        .singleElement().satisfies(s -> assertThat(s.text()).contains("nobody reads this stream"));
  }

  @Test
  void acknowledgementsAreBoundedAndCheckedForCsrf() throws Exception {
    var b = web.phone(B).login();
    assertThat(b.post("/events/ack", WebFixture.form("ids", "1", "csrf", "forged")).statusCode()).isEqualTo(403);
    String page = b.get("/chat").body();
    String many = String.join(",", java.util.Collections.nCopies(EventStream.MAX_ACK_IDS + 1, "1"));
    assertThat(b.post("/events/ack", WebFixture.form("ids", many, "csrf", WebFixture.csrf(page))).statusCode())
        .isEqualTo(400);
    assertThat(b.post("/events/ack", WebFixture.form("ids", "99999999999999999999", "csrf", WebFixture.csrf(page)))
        .statusCode()).isEqualTo(400);
    assertThat(web.phone(A).post("/events/ack", WebFixture.form("ids", "1")).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("P2.11 opening the stream first delivers what was kept while offline")
  void p2_11_keptMessagesComeFirst() throws Exception {
    var a = web.phone(A).login();
    a.send(B, "sent while B was away");
    var b = web.phone(B).login();
    BlockingQueue<String> events = open(b);
    String event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).contains("sent while B was away");
    // Seen once the page says it showed it.
    assertThat(web.core.store.unseen(Msisdn.of(B), web.core.clock.instant(), 10)).hasSize(1);
    java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"id\":\"(\\d+)\"").matcher(event);
    assertThat(id.find()).isTrue();
    assertThat(ack(b, Long.parseLong(id.group(1))).statusCode()).isEqualTo(204);
    assertThat(web.core.store.unseen(Msisdn.of(B), web.core.clock.instant(), 10)).isEmpty();
  }

  @Test
  void theStreamNeedsALogin() throws Exception {
    var x = web.phone(A);
    assertThat(x.get("/events").statusCode()).isEqualTo(401);
  }

  /** Every line of a stream, in the page's language. */
  private BlockingQueue<String> openLines(WebFixture.Phone p, String language) throws Exception {
    HttpResponse<Stream<String>> r = p.http.send(HttpRequest.newBuilder(URI.create(web.base + "/events"))
        .header("Accept-Language", language).GET().build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> r.body().forEach(lines::add));
    return lines;
  }

  /** The next state event's data line whose text is this one, skipping what comes before it. */
  private static String nextState(BlockingQueue<String> lines, String text) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String previous = "";
    while (System.nanoTime() < until) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line == null) {
        continue;
      }
      if (previous.equals("event: state") && line.startsWith("data: ") && line.contains("\"text\":\"" + text + "\"")) {
        return line;
      }
      if (line.startsWith("id: ") && !previous.isEmpty()) {
        throw new AssertionError("an event id inside an event: " + line);
      }
      previous = line;
    }
    throw new AssertionError("no state event \"" + text + "\" within 10 s");
  }

  @Test
  @DisplayName("issue 16: the sender's open stream is told each state of their message: sent by SMS, then delivered")
  void theSendersStreamIsToldEachState() throws Exception {
    var a = web.phone(A).login();
    BlockingQueue<String> lines = openLines(a, "en");
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> web.hub.hasStream(Msisdn.of(A)));
    a.send(B, "follow this one");
    var msg = web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 1).getFirst();
    String sent = nextState(lines, "sent by SMS");
    assertThat(sent).contains("\"msg\":\"" + msg.id().value() + "\"").contains("\"cls\":\"st-wait\"")
        .doesNotContain("\"id\"");
    Delivery d = web.core.store.deliveriesOf(msg.id()).getFirst();
    web.core.stage.onDeliveryReport(new chatgate.core.port.SmsInbound.DeliveryReport(d.smscIds().orElseThrow(), true,
        "DELIVRD", web.core.clock.instant()));
    assertThat(nextState(lines, "delivered to the phone")).contains("\"msg\":\"" + msg.id().value() + "\"")
        .contains("\"cls\":\"st-ok\"");
  }

  @Test
  @DisplayName("issue 16: a stream starts with where the viewer's last messages stand, in the page's language")
  void aStreamStartsWithTheStatesOfTheLastMessages() throws Exception {
    var a = web.phone(A).login();
    a.send(B, "sent before the page opened");
    var msg = web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 1).getFirst();
    BlockingQueue<String> lines = openLines(a, "zh-CN,zh;q=0.9");
    assertThat(nextState(lines, "已发短信")).contains("\"msg\":\"" + msg.id().value() + "\"");
  }

  @Test
  @DisplayName("issue 16: states go to the sender's streams only: the recipient's stream gets the message, not its state")
  void aRecipientsStreamGetsNoStateOfTheSendersMessage() throws Exception {
    var a = web.phone(A).login();
    var b = web.phone(B).login();
    BlockingQueue<String> aLines = openLines(a, "en");
    BlockingQueue<String> bLines = openLines(b, "en");
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> web.hub.hasStream(Msisdn.of(A)) && web.hub.hasStream(Msisdn.of(B)));
    a.send(B, "for B's eyes");
    String aMsg = "\"msg\":\"" + web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 1).getFirst().id().value()
        + "\"";
    assertThat(nextState(aLines, "waiting for their page")).contains(aMsg);
    // B's stream: the message, then a canary (the state of B's own answer), and no state of A's message.
    b.send(A, "canary from B");
    String bMsg = "\"msg\":\"" + web.core.store.conversation(Msisdn.of(B), Msisdn.of(A), 1).getFirst().id().value()
        + "\"";
    java.util.List<String> seen = new java.util.ArrayList<>();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seen.stream().noneMatch(l -> l.contains(bMsg)) && System.nanoTime() < until) {
      String line = bLines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null) {
        seen.add(line);
      }
    }
    assertThat(seen).anyMatch(l -> l.contains("for B's eyes")).anyMatch(l -> l.contains(bMsg))
        .noneMatch(l -> l.contains(aMsg));
  }
}
