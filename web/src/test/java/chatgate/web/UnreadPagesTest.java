package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 (ADR 0047): unread counts per partner in the conversation list, and "New messages"
 * that a reload keeps until the conversation is opened; in HTML, XHTML-MP and WML, English and
 * Chinese.
 */
class UnreadPagesTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  static final String C = "+8613800000003";
  static final String TO_B = "/chat?to=%2B8613800000002";
  final WebFixture web = new WebFixture();

  @AfterEach
  void close() {
    web.close();
  }

  private void texts() {
    web.core.groups.create(new Group(GroupId.of("family"), "家人", Set.of(Msisdn.of(A), Msisdn.of(B), Msisdn.of(C))));
    web.core.chat.send(Msisdn.of(B), Msisdn.of(A), "first from B", Origin.SMS, null);
    web.core.chat.send(Msisdn.of(B), Msisdn.of(A), "second from B", Origin.SMS, null);
    web.core.chat.send(Msisdn.of(C), GroupId.of("family"), "dinner at 8", Origin.SMS, null);
    web.core.settle();
  }

  @Test
  @DisplayName("HTML: counts per partner and New messages survive reloads; opening a conversation reads it")
  void html() throws Exception {
    var a = web.phone(A).login();
    texts();
    for (int i = 0; i < 2; i++) {
      String page = a.get("/chat").body();
      assertThat(page).contains(">13800000002</a> <b class=\"unread\">(2)</b>")
          .contains(">家人</a> <b class=\"unread\">(1)</b>")
          .contains("<h2>New messages</h2>").contains("first from B").contains("second from B").contains("dinner at 8");
    }
    String withB = a.get(TO_B).body();
    assertThat(withB).doesNotContain(">13800000002</a> <b class=\"unread\">")
        .contains(">家人</a> <b class=\"unread\">(1)</b>");
    assertThat(withB.substring(withB.indexOf("id=\"fresh-list\""), withB.indexOf("</ul>", withB.indexOf("fresh-list"))))
        .contains("dinner at 8").doesNotContain("from B");
    String after = a.get("/chat").body();
    assertThat(after).doesNotContain("<b class=\"unread\">(2)</b>").doesNotContain("first from B")
        .contains(">家人</a> <b class=\"unread\">(1)</b>");
    // A newer message makes the conversation unread again, counted from the marker on.
    web.core.chat.send(Msisdn.of(B), Msisdn.of(A), "third from B", Origin.SMS, null);
    web.core.settle();
    assertThat(a.get("/chat").body()).contains(">13800000002</a> <b class=\"unread\">(1)</b>")
        .contains("third from B").doesNotContain("second from B");
    a.get("/chat?to=family");
    a.get(TO_B);
    assertThat(a.get("/chat").body()).doesNotContain("class=\"unread\"").doesNotContain("<h2>New messages</h2>");
  }

  @Test
  @DisplayName("an older page of the conversation does not read it")
  void olderPage() throws Exception {
    var a = web.phone(A).login();
    texts();
    long newest = web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 1).getFirst().id().value();
    a.get(TO_B + "&before=" + newest);
    assertThat(a.get("/chat").body()).contains("<b class=\"unread\">(2)</b>");
  }

  @Test
  @DisplayName("opening the reply link reads that conversation; its times are in the recipient's zone")
  void replyLinkReads() throws Exception {
    texts();
    web.core.chat.contacts().setTimeZone(Msisdn.of(A), "+5:30");
    var sent = (chatgate.core.chat.SendResult.Sent) web.core.chat.send(Msisdn.of(B), Msisdn.of(A), "third from B",
        Origin.SMS, null);
    web.core.settle();
    String link = "/r/" + web.core.chat.replyToken(sent.deliveries().getFirst().id());
    String reply = web.phone(A).get(link).body();
    assertThat(reply).contains("third from B").contains(java.time.format.DateTimeFormatter.ofPattern("HH:mm")
        .format(web.core.clock.instant().atZone(java.time.ZoneOffset.ofHoursMinutes(5, 30))));
    String page = web.phone(A).login().get("/chat").body();
    assertThat(page).doesNotContain(">13800000002</a> <b class=\"unread\">").contains(">家人</a> <b class=\"unread\">(1)</b>");
  }

  @Test
  @DisplayName("an acknowledgement with read=ID reads that conversation, only for the viewer's own deliveries")
  void acknowledgedAsRead() throws Exception {
    var a = web.phone(A).login();
    texts();
    long toA = ((chatgate.core.chat.SendResult.Sent) web.core.chat.send(Msisdn.of(B), Msisdn.of(A), "third from B",
        Origin.SMS, null)).deliveries().getFirst().id();
    long toB = ((chatgate.core.chat.SendResult.Sent) web.core.chat.send(Msisdn.of(C), Msisdn.of(B), "to B",
        Origin.SMS, null)).deliveries().getFirst().id();
    var b = web.phone(B).login();
    String bPage = b.get("/chat").body();
    assertThat(b.post("/events/ack", WebFixture.form("ids", "" + toA, "read", "" + toA, "csrf",
        WebFixture.csrf(bPage))).statusCode()).isEqualTo(204);
    assertThat(a.get("/chat").body()).contains("<b class=\"unread\">(3)</b>"); // not B's to read
    String aPage = a.get("/chat").body();
    assertThat(a.post("/events/ack", WebFixture.form("ids", toA + "," + toB, "read", toA + ",x", "csrf",
        WebFixture.csrf(aPage))).statusCode()).isEqualTo(400);
    assertThat(a.post("/events/ack", WebFixture.form("ids", "" + toA, "read", "" + toA, "csrf",
        WebFixture.csrf(aPage))).statusCode()).isEqualTo(204);
    assertThat(a.get("/chat").body()).doesNotContain(">13800000002</a> <b class=\"unread\">")
        .contains(">家人</a> <b class=\"unread\">(1)</b>");
  }

  @Test
  @DisplayName("Chinese XHTML-MP and WML show the counts and 新消息 until read")
  void wapFormats() throws Exception {
    var a = web.phone(A).login();
    texts();
    a.language = "zh";
    a.accept = "application/vnd.wap.xhtml+xml";
    String xhtml = a.get("/chat").body();
    assertThat(xhtml).contains("<strong>新消息</strong>").contains(">13800000002</a> <strong>(2)</strong>")
        .contains(">家人</a> <strong>(1)</strong>");
    a.accept = "text/vnd.wap.wml";
    String wml = a.get("/chat").body();
    assertThat(wml).contains("新消息:").contains("13800000002<go").contains("</anchor>(2)")
        .contains("</anchor>(1)");
    a.get(TO_B);
    String read = a.get("/chat").body();
    assertThat(read).doesNotContain("</anchor>(2)").contains("</anchor>(1)").doesNotContain("from B");
  }
}
