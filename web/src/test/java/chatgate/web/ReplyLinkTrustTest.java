package chatgate.web;

import static chatgate.web.WebFixture.csrf;
import static chatgate.web.WebFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.DeliveryState;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Route;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "a reply link is a reusable, transferable login": whoever holds a copy of the SMS text
 * must not become its recipient (ADR 0014). Real Jetty; links read from the SMS as sent.
 */
class ReplyLinkTrustTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  static final String C = "+8613800000003";
  WebFixture web = new WebFixture();

  @AfterEach
  void close() {
    web.close();
  }

  /** The path of the reply link in the newest SMS to this phone. */
  private String linkSentTo(String to) {
    web.core.settle();
    var sent = web.core.sms.sentTo(Msisdn.of(to));
    Matcher m = Pattern.compile("http://gw\\.test(/r/[A-Za-z0-9]{12})").matcher(sent.getLast().text());
    assertThat(m.find()).as("a reply link in %s", sent.getLast().text()).isTrue();
    return m.group(1);
  }

  @Test
  void aReplyLinkOpenedBySecondCookielessClientDoesNotLogItIn() throws Exception {
    web.phone(A).login().send(B, "the secret plan");
    String link = linkSentTo(B);

    var first = web.phone(B);
    HttpResponse<String> r1 = first.get(link);
    assertThat(r1.statusCode()).isEqualTo(200);
    assertThat(r1.body()).contains("the secret plan").contains("Chat with 13800000001");

    // Someone else who saw the SMS text (a forwarded SMS, a lock screen, an aggregator's log).
    var second = web.phone(B);
    HttpResponse<String> r2 = second.get(link);
    assertThat(r2.statusCode()).isEqualTo(403);
    assertThat(r2.body()).contains("already opened on another device").contains("log in")
        .doesNotContain("the secret plan");
    assertThat(second.get("/chat").statusCode()).as("not logged in").isEqualTo(302);
    assertThat(second.get("/chat").headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
    second.language = "zh";
    assertThat(second.get(link).body()).contains("已在另一台设备上打开");
    second.accept = "text/vnd.wap.wml";
    assertThat(second.get(link).body()).contains("<wml>").contains("已在另一台设备上打开");
  }

  @Test
  void aReplyLinkDoesNotMarkTheRecipientBrowsing() throws Exception {
    var a = web.phone(A).login();
    a.send(B, "first");
    String link = linkSentTo(B);
    web.phone(B).get(link);
    a.send(B, "second");
    var second = web.core.store.conversation(Msisdn.of(B), Msisdn.of(A), 1).getFirst();
    var d = web.core.store.deliveriesOf(second.id()).getFirst();
    assertThat(d.route()).as("still by SMS: nobody reads B's messages on a page the link opened").contains(Route.SMS);
    assertThat(d.state()).isEqualTo(DeliveryState.SENT);
    assertThat(web.core.sms.sentTo(Msisdn.of(B)).getLast().text()).contains("second");
    assertThat(web.core.presence.presence(Msisdn.of(B), web.core.clock.instant()).online()).isFalse();
  }

  @Test
  void aReplySessionShowsOnlyItsConversationAndAnswersOnlyItsPartner() throws Exception {
    var a = web.phone(A).login();
    var c = web.phone(C).login();
    c.send(B, "from C, before");
    a.send(B, "old news");
    a.send(B, "dinner at 8?");
    String link = linkSentTo(B);
    var b = web.phone(B);
    String page = b.get(link).body();
    assertThat(page).contains("dinner at 8?").doesNotContain("old news").doesNotContain("from C")
        .contains("Log in to see all your chats").doesNotContain("/logout");
    // Reopening in the same browser works again; answering goes to A only.
    page = b.get(link).body();
    HttpResponse<String> sent = b.post(link, form("text", "yes!", "to", C, "csrf", csrf(page), "nonce",
        WebFixture.nonce(page)));
    assertThat(sent.statusCode()).isEqualTo(302);
    assertThat(sent.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith(link));
    web.core.settle();
    assertThat(web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 1).getFirst().body()).isEqualTo("yes!");
    assertThat(web.core.store.conversation(Msisdn.of(C), Msisdn.of(B), 5)).extracting(m -> m.body())
        .containsExactly("from C, before");
    assertThat(b.get(link).body()).contains("yes!");
    // Nothing else: no chat page, no live stream, no partner list.
    assertThat(b.get("/chat").statusCode()).isEqualTo(302);
    assertThat(b.get("/events").statusCode()).isEqualTo(401);
    assertThat(web.core.presence.presence(Msisdn.of(B), web.core.clock.instant()).online()).isFalse();
    // A post without the browser's reply cookie is the other device's: refused.
    var other = web.phone(B);
    String login = other.get("/login").body();
    assertThat(other.post(link, form("text", "hijack", "csrf", csrf(login))).statusCode()).isEqualTo(403);
    assertThat(web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 1).getFirst().body()).isEqualTo("yes!");
  }

  @Test
  void aReplyLinkLeadsTheRecipientsSessionToTheChatAndRefusesAnotherPhone() throws Exception {
    web.phone(A).login().send(B, "hi");
    String link = linkSentTo(B);
    var b = web.phone(B).login();
    HttpResponse<String> r = b.get(link);
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/chat?to=%2B8613800000001"));
    assertThat(web.phone(C).login().get(link).statusCode()).isEqualTo(403);
    // The link is not claimed by a logged-in open: a browser of B's without a session still may.
    assertThat(web.phone(B).get(link).statusCode()).isEqualTo(200);
  }

  @Test
  void aTrustedMsisdnHeaderOfTheRecipientCountsAsTheRecipient() throws Exception {
    web.close();
    web = new WebFixture(List.of("127.0.0.1/32"), Optional.empty());
    web.phone(A).login().send(B, "hi");
    String link = linkSentTo(B);
    HttpResponse<String> r = web.phone(B).get(link, "X-MSISDN", B);
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/chat?to=%2B8613800000001"));
    assertThat(web.phone(C).get(link, "X-MSISDN", C).statusCode()).isEqualTo(403);
  }

  @Test
  void fiveThousandOpensOfOneLinkMakeNoSession() throws Exception {
    web.phone(A).login().send(B, "hi");
    String link = linkSentTo(B);
    int before = web.core.auth.sessionCount();
    int opened = 0;
    for (int i = 0; i < 5000; i++) {
      var stranger = web.phone(B);
      if (stranger.get(link).statusCode() == 200) {
        opened++;
      }
    }
    assertThat(opened).isEqualTo(1);
    assertThat(web.core.auth.sessionCount()).isEqualTo(before);
  }

  @Test
  void sessionsPerPhoneAreCappedAndExpiredOnesSwept() throws Exception {
    var oldest = web.phone(A).login();
    assertThat(oldest.get("/chat").statusCode()).isEqualTo(200);
    for (int i = 0; i < 10; i++) {
      web.core.clock.advance(Duration.ofMinutes(6)); // within the code-request limits
      web.phone(A).login();
    }
    assertThat(oldest.get("/chat").statusCode()).as("the oldest of 11 sessions ended").isEqualTo(302);
    assertThat(web.core.auth.sessionCount()).isEqualTo(10);
    web.core.clock.advance(Duration.ofDays(31));
    assertThat(web.core.login.sweep()).isGreaterThanOrEqualTo(10);
    assertThat(web.core.auth.sessionCount()).isZero();
  }
}
