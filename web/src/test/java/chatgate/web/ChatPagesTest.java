package chatgate.web;

import static chatgate.web.WebFixture.csrf;
import static chatgate.web.WebFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Route;
import chatgate.core.port.MessageStore;
import chatgate.core.testing.CoreFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The chat service over real HTTP, in HTML (the other formats have their own tests). */
class ChatPagesTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  static final String C = "+8613800000003";
  final WebFixture web = new WebFixture();

  @AfterEach
  void close() {
    web.close();
  }

  private List<MessageStore.Item> itemsFor(String to) {
    return web.core.store.due(web.core.clock.instant().plus(Duration.ofDays(365)), 1000);
  }

  private Delivery lastDeliveryTo(String recipient) {
    Msisdn m = Msisdn.of(recipient);
    return web.core.store.conversation(m, Msisdn.of(A), 1).stream().findFirst()
        .flatMap(msg -> web.core.store.deliveriesOf(msg.id()).stream().filter(d -> d.recipient().equals(m)).findFirst())
        .orElseThrow();
  }

  @Test
  @DisplayName("P2.14 / is the one entry: the login page, or the chat page once logged in")
  void p2_14_oneEntry() throws Exception {
    var a = web.phone(A);
    HttpResponse<String> r = a.get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(r.body()).contains("action=\"/login\"").contains("name=\"phone\"");
    a.login();
    assertThat(a.get("/").headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/chat"));
  }

  @Test
  @DisplayName("P2.1 the chat page: input box and the partner list, groups then online partners first")
  void p2_1_chatPage() throws Exception {
    web.core.groups.create(new Group(GroupId.of("family"), "家人", Set.of(Msisdn.of(A), Msisdn.of(B), Msisdn.of(C))));
    var a = web.phone(A).login();
    web.phone(C).login();
    String page = a.get("/chat").body();
    assertThat(page).contains("<textarea id=\"text\" name=\"text\"").contains("name=\"to\"");
    int group = page.indexOf(">家人<");
    int online = page.indexOf(">13800000003<");
    int offline = page.indexOf(">13800000002<");
    assertThat(group).isPositive().isLessThan(online);
    assertThat(online).isLessThan(offline);
    assertThat(page.substring(online, offline)).contains("online");
  }

  @Test
  @DisplayName("P2.2/P2.6 a message is accepted from the form; an offline recipient gets it by SMS with the reply link")
  void p2_2_sendFromTheForm() throws Exception {
    var a = web.phone(A).login();
    HttpResponse<String> r = a.send("13800000002", "hello B");
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/chat?to=%2B8613800000002"));
    Delivery d = lastDeliveryTo(B);
    assertThat(d.state()).isEqualTo(DeliveryState.SENT);
    assertThat(d.keepUntil()).isPresent();
    assertThat(web.core.sms.sentTo(Msisdn.of(B))).singleElement()
        .satisfies(s -> assertThat(s.text()).isEqualTo("13800000001: hello B http://gw.test/r/" + web.core.chat.replyToken(d.id())));
    assertThat(a.get("/chat?to=%2B8613800000002").body()).contains("hello B");
  }

  @Test
  @DisplayName("P2.4 a recipient browsing a page without script sees the message on the next fetch, not by SMS")
  void p2_4_browsingRecipientSeesItOnTheNextPage() throws Exception {
    var a = web.phone(A).login();
    var b = web.phone(B).login();
    b.get("/chat");
    a.send(B, "are you reading?");
    Delivery d = lastDeliveryTo(B);
    assertThat(d.state()).isEqualTo(DeliveryState.AWAITING_FETCH);
    String page = b.get("/chat").body();
    assertThat(page).contains("are you reading?").contains("href=\"/r/" + web.core.chat.replyToken(d.id()) + "\"");
    assertThat(web.core.store.item(d.id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.PUSHED);
    assertThat(web.core.sms.sentTo(Msisdn.of(B)).stream().filter(s -> !s.secret())).isEmpty();
    // The page with the form never reloads itself (issue 18): it offers a reload and a watching page.
    assertThat(page).doesNotContain("http-equiv=\"refresh\"").contains("href=\"/chat?watch=1\"");
    String watching = b.get("/chat?watch=1").body();
    assertThat(watching).contains("<meta http-equiv=\"refresh\" content=\"20;url=/chat?watch=1\">")
        .doesNotContain("<textarea").contains("href=\"/chat\"");
  }

  @Test
  @DisplayName("P2.5 a recipient online but not browsing gets an SMS, and it is not kept")
  void p2_5_onlineNotBrowsing() throws Exception {
    var a = web.phone(A).login();
    web.phone(B).login();
    web.core.clock.advance(CoreFixture.WAP_IDLE.plusSeconds(5));
    a.send(B, "call me");
    Delivery d = lastDeliveryTo(B);
    assertThat(d.route()).contains(Route.SMS);
    assertThat(d.keepUntil()).isEmpty();
    assertThat(web.core.sms.sentTo(Msisdn.of(B)).getLast().text()).contains("call me").contains("/r/" + web.core.chat.replyToken(d.id()));
  }

  @Test
  @DisplayName("P2.11 an offline recipient who comes online within retention sees the kept message with its reply link")
  void p2_11_keptUntilTheyComeOnline() throws Exception {
    var a = web.phone(A).login();
    a.send(B, "while you were away");
    Delivery d = lastDeliveryTo(B);
    web.core.clock.advance(Duration.ofHours(5));
    var b = web.phone(B).login();
    String page = b.get("/chat").body();
    assertThat(page).contains("while you were away").contains("/r/" + web.core.chat.replyToken(d.id()));
    assertThat(web.core.store.item(d.id()).orElseThrow().delivery().seenAt()).isPresent();
    // Still new on a reload (ADR 0047), until B opens the conversation with A.
    assertThat(b.get("/chat").body()).contains("id=\"fresh-list\">\n<li>").contains("while you were away");
    assertThat(b.get("/chat?to=%2B8613800000001").body()).doesNotContain("id=\"fresh-list\">\n<li>");
    assertThat(b.get("/chat").body()).doesNotContain("id=\"fresh-list\">\n<li>");
  }

  @Test
  @DisplayName("P2.7/P2.12 the reply link opens the reply page with the sender chosen; the recipient answers and may log in")
  void p2_7_replyLink() throws Exception {
    var a = web.phone(A).login();
    a.send(B, "reply to me");
    Delivery d = lastDeliveryTo(B);
    var b = web.phone(B);
    HttpResponse<String> r = b.get("/r/" + web.core.chat.replyToken(d.id()));
    assertThat(r.statusCode()).isEqualTo(200);
    String page = r.body();
    assertThat(page).contains("Chat with 13800000001").contains("reply to me").contains("href=\"/login\"");
    HttpResponse<String> sent = b.post("/r/" + web.core.chat.replyToken(d.id()),
        form("text", "here I am", "csrf", csrf(page), "nonce", WebFixture.nonce(page)));
    assertThat(sent.statusCode()).isEqualTo(302);
    web.core.settle();
    assertThat(web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 10)).hasSize(2);
    // Logged in (by SMS code), the same link leads to the chat page with A chosen.
    b.login();
    r = b.get("/r/" + web.core.chat.replyToken(d.id()));
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/chat?to=%2B8613800000001"));
    assertThat(b.get("/chat?to=%2B8613800000001").body()).contains("reply to me").contains("here I am")
        .contains("value=\"+8613800000001\"");
    // Someone else's session cannot use it; an unknown one is a clear 404.
    var c = web.phone(C).login();
    assertThat(c.get("/r/" + web.core.chat.replyToken(d.id())).statusCode()).isEqualTo(403);
    assertThat(c.get("/r/AAAAAAAAAAAA").statusCode()).isEqualTo(404);
    assertThat(c.get("/r/%3Cscript%3E").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("P2.10 a group message reaches each member by that member's own state")
  void p2_10_groupByEachMembersState() throws Exception {
    web.core.groups.create(new Group(GroupId.of("family"), "Family", Set.of(Msisdn.of(A), Msisdn.of(B), Msisdn.of(C))));
    var a = web.phone(A).login();
    var b = web.phone(B).login();
    b.get("/chat");
    a.send("family", "dinner at 8");
    String page = b.get("/chat").body();
    assertThat(page).contains("dinner at 8").contains("[Family]");
    assertThat(web.core.sms.sentTo(Msisdn.of(C))).singleElement()
        .satisfies(s -> assertThat(s.text()).startsWith("[Family]13800000001: dinner at 8 http://gw.test/r/"));
    assertThat(web.core.sms.sentTo(Msisdn.of(B)).stream().filter(s -> !s.secret())).isEmpty();
  }

  @Test
  void badInputGetsAClearAnswerAndChangesNothing() throws Exception {
    web.core.groups.create(new Group(GroupId.of("club"), "Club", Set.of(Msisdn.of(B), Msisdn.of(C))));
    var a = web.phone(A).login();
    record Case(String to, String text, int status, String says) {}
    for (Case k : List.of(
        new Case(B, "   ", 400, "Write a message first."),
        new Case(B, "x".repeat(1001), 400, "longer than 1000 characters"),
        new Case("12", "hi", 400, "“12” is not a phone number or a group."),
        new Case("nosuch", "hi", 404, "There is no group “nosuch”."),
        new Case("club", "let me in", 403, "You are not in group “club”."),
        new Case("", "to nobody", 400, "Choose whom to write to."))) {
      HttpResponse<String> r = a.send(k.to(), k.text());
      assertThat(r.statusCode()).as(k.toString()).isEqualTo(k.status());
      assertThat(r.body()).as(k.toString()).contains(k.says()).contains("class=\"error\"");
    }
    assertThat(web.core.store.partners(Msisdn.of(A), 10)).isEmpty();
    assertThat(web.core.sms.sent().stream().filter(s -> !s.secret())).isEmpty();
  }

  @Test
  void theSameFormPostedTwiceIsOneMessage() throws Exception {
    var a = web.phone(A).login();
    String page = a.get("/chat").body();
    String body = form("to", B, "text", "once", "csrf", csrf(page), "nonce", WebFixture.nonce(page));
    assertThat(a.post("/chat", body).statusCode()).isEqualTo(302);
    assertThat(a.post("/chat", body).statusCode()).isEqualTo(302);
    web.core.settle();
    assertThat(web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 10)).hasSize(1);
  }

  @Test
  void csrfIsCheckedOnEveryForm() throws Exception {
    var a = web.phone(A).login();
    var c = web.phone(C).login();
    String cToken = csrf(c.get("/chat").body());
    assertThat(a.post("/chat", form("to", B, "text", "forged")).statusCode()).isEqualTo(403);
    assertThat(a.post("/chat", form("to", B, "text", "forged", "csrf", cToken)).statusCode()).isEqualTo(403);
    assertThat(a.post("/logout", form()).statusCode()).isEqualTo(403);
    var stranger = web.phone(B);
    assertThat(stranger.post("/login", form("phone", B)).statusCode()).isEqualTo(403);
    assertThat(stranger.post("/login/code", form("phone", B, "code", "123456", "csrf", cToken)).statusCode()).isEqualTo(403);
    assertThat(web.core.store.partners(Msisdn.of(A), 10)).isEmpty();
    assertThat(a.get("/chat").statusCode()).isEqualTo(200);
  }

  @Test
  void wrongCodesAreLockedOut() throws Exception {
    var b = web.phone(B);
    String page = b.get("/login").body();
    HttpResponse<String> step = b.post("/login", form("phone", B, "csrf", csrf(page)));
    String token = csrf(step.body());
    String code = web.codeFor(Msisdn.of(B));
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = b.post("/login/code", form("phone", B, "code", wrong, "csrf", token));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("Wrong code");
    }
    HttpResponse<String> locked = b.post("/login/code", form("phone", B, "code", wrong, "csrf", token));
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).isPresent();
    assertThat(b.post("/login/code", form("phone", B, "code", code, "csrf", token)).statusCode()).isEqualTo(429);
    assertThat(b.get("/chat").statusCode()).isEqualTo(302);
  }

  /** Issue 15, High (SMS pumping): the code budget refuses with 429 + Retry-After, in zh/en and every format. */
  @Test
  void smsPumpingIsRefusedClearlyOnEveryPage() throws Exception {
    // A pumping run from other addresses has spent this minute's code SMS.
    for (int i = 0; i < chatgate.core.auth.AuthSettings.defaults().codesPerMinute(); i++) {
      assertThat(web.core.login.requestCode(String.format("+86139%05d000", i), "10.5." + i + ".1",
          chatgate.core.model.Language.EN)).isInstanceOf(chatgate.core.auth.LoginService.CodeRequest.Sent.class);
    }
    String[][] formats = {{"text/html", "en", "Codes cannot be sent just now"},
        {"application/vnd.wap.xhtml+xml", "zh-CN", "暂时无法发送验证码"}, {"text/vnd.wap.wml", "en", "Codes cannot be sent"}};
    for (String[] f : formats) {
      var x = web.phone(B);
      x.accept = f[0];
      x.language = f[1];
      String page = x.get("/login").body();
      HttpResponse<String> r = x.post("/login", form("phone", B, "csrf", csrf(page)));
      assertThat(r.statusCode()).as(f[0]).isEqualTo(429);
      assertThat(r.headers().firstValue("Retry-After")).as(f[0]).hasValueSatisfying(v ->
          assertThat(Integer.parseInt(v)).isBetween(1, 60));
      assertThat(r.body()).as(f[0]).contains(f[2]);
    }
    web.core.settle();
    assertThat(web.core.sms.sentTo(Msisdn.of(B))).isEmpty();
  }

  @Test
  void codesAreRefusedToNumbersOutsideTheAllowedDestinations() throws Exception {
    var x = web.phone(A);
    String page = x.get("/login").body();
    HttpResponse<String> r = x.post("/login", form("phone", "+882 16 0000 0001", "csrf", csrf(page)));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("Login codes cannot be sent to this number");
    web.core.settle();
    assertThat(web.core.sms.sent()).isEmpty();
  }

  /** Issue 15, High (per-sender quotas): the page says the quota is spent and when it resets, in zh/en and every format. */
  @Test
  void aSenderOverQuotaIsToldWhenItResetsOnEveryPage() throws Exception {
    web.core.chat.limits(chatgate.core.limits.Destinations.of(List.of("CN")),
        new chatgate.core.limits.SenderQuotas.Settings(2, 1000, 1000), 4);
    var a = web.phone(A).login();
    assertThat(a.post("/chat", form("to", B, "text", "one", "csrf", csrf(a.get("/chat").body()))).statusCode())
        .isEqualTo(302);
    assertThat(a.post("/chat", form("to", B, "text", "two", "csrf", csrf(a.get("/chat").body()))).statusCode())
        .isEqualTo(302);
    String[][] formats = {{"text/html", "en", "Not sent: you have reached your sending limit. Try again in 1 min."},
        {"application/vnd.wap.xhtml+xml", "zh-CN", "未发送：已达发送上限，请1分钟后再试。"},
        {"text/vnd.wap.wml", "en", "Try again in 1 min."}};
    for (String[] f : formats) {
      a.accept = f[0];
      a.language = f[1];
      HttpResponse<String> r = a.post("/chat", form("to", B, "text", "three", "csrf", csrf(a.get("/chat").body())));
      assertThat(r.statusCode()).as(f[0]).isEqualTo(429);
      assertThat(r.headers().firstValue("Retry-After")).as(f[0]).contains("60");
      assertThat(r.body()).as(f[0]).contains(f[2]);
    }
    assertThat(web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 10)).hasSize(2);
  }

  @Test
  void aBadNumberIsSaidSo() throws Exception {
    var x = web.phone(A);
    String page = x.get("/login").body();
    HttpResponse<String> r = x.post("/login", form("phone", "<b>nope</b>", "csrf", csrf(page)));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("That is not a phone number.").contains("value=\"&lt;b>nope&lt;/b>\"").doesNotContain("<b>nope");
  }

  @Test
  @DisplayName("P2.8 a phone from a trusted operator proxy is logged in by its MSISDN header and recorded online before any chat request")
  void p2_8_trustedProxyHeader() throws Exception {
    try (WebFixture proxied = new WebFixture(List.of("127.0.0.1/32"), Optional.empty())) {
      var phone = proxied.phone(B);
      HttpResponse<String> r = phone.get("/", "X-MSISDN", "8613800000002");
      assertThat(r.statusCode()).isEqualTo(302);
      assertThat(proxied.core.presence.presence(Msisdn.of(B), proxied.core.clock.instant()).online()).isTrue();
      assertThat(phone.get("/chat", "X-MSISDN", "+8613800000002").body()).contains("You are 13800000002.");
    }
  }

  @Test
  void aForgedMsisdnHeaderFromAnUntrustedAddressIsIgnored() throws Exception {
    var forger = web.phone(C);
    HttpResponse<String> r = forger.get("/chat", "X-MSISDN", "+8613800000001");
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
    assertThat(web.core.presence.presence(Msisdn.of(A), web.core.clock.instant()).online()).isFalse();
  }

  @Test
  void pagesFollowAcceptLanguage() throws Exception {
    var a = web.phone(A);
    a.language = "zh-CN,zh;q=0.9";
    String page = a.get("/").body();
    assertThat(page).contains("<html lang=\"zh\">").contains("你的手机号码").contains("发送验证码");
    a.language = "en-GB";
    assertThat(a.get("/").body()).contains("Your phone number");
  }

  @Test
  void malformedRequestsAreRefusedCleanly() throws Exception {
    var a = web.phone(A).login();
    String page = a.get("/chat").body();
    String csrf = csrf(page);
    // %C3%28 is not UTF-8.
    HttpResponse<String> bad = a.postBytes("/chat", ("to=" + B + "&text=%C3%28&csrf=" + csrf).getBytes());
    assertThat(bad.statusCode()).isEqualTo(400);
    HttpResponse<String> huge = a.postBytes("/chat", ("to=" + B + "&csrf=" + csrf + "&text=" + "x".repeat(100_000)).getBytes());
    assertThat(huge.statusCode()).isIn(400, 413);
    assertThat(a.get("/nope").statusCode()).isEqualTo(404);
    assertThat(web.core.store.partners(Msisdn.of(A), 10)).isEmpty();
  }

  @Test
  void securityHeadersAndCookieFlags() throws Exception {
    var a = web.phone(A);
    HttpResponse<String> r = a.get("/login");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
    assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).contains("HttpOnly").contains("SameSite=Lax"));
  }

  @Test
  void logoutEndsTheSessionAndPresence() throws Exception {
    var a = web.phone(A).login();
    String token = csrf(a.get("/chat").body());
    assertThat(a.post("/logout", form("csrf", token)).statusCode()).isEqualTo(302);
    assertThat(a.get("/chat").statusCode()).isEqualTo(302);
    assertThat(web.core.presence.presence(Msisdn.of(A), web.core.clock.instant()).online()).isFalse();
  }

  @Test
  void healthAndReadiness() throws Exception {
    var a = web.phone(A);
    assertThat(a.get("/healthz").body()).isEqualTo("ok\n");
    assertThat(a.get("/readyz").statusCode()).isEqualTo(200);
  }

  static String firstMatch(String regex, String s) {
    Matcher m = Pattern.compile(regex).matcher(s);
    return m.find() ? m.group(1) : null;
  }

  // ---- issue 16: what became of each message the viewer sent ----

  static final String D = "+8613800000004";

  /** The SMSC's receipt for the last SMS from A to this phone. */
  private void receipt(String to, boolean delivered, String stat) {
    Delivery d = lastDeliveryTo(to);
    web.core.stage.onDeliveryReport(new chatgate.core.port.SmsInbound.DeliveryReport(d.smscIds().orElseThrow(),
        delivered, stat, web.core.clock.instant()));
  }

  private void stop(String phone) {
    web.core.mo.onMobileOriginated(new chatgate.core.port.SmsInbound.MobileOriginated("stop-" + phone,
        Msisdn.of(phone), "10658", "STOP", web.core.clock.instant(), Optional.empty()));
    web.core.settle();
  }

  /** The state shown on the viewer's last line of a conversation page, as text. */
  private static String lastState(String page) {
    Matcher m = Pattern.compile("<small class=\"state ([a-z-]+)\" data-msg=\"(\\d+)\" title=\"([^\"]*)\">([^<]*)</small>")
        .matcher(page);
    String last = null;
    while (m.find()) {
      last = m.group(1) + " | " + m.group(4) + " | " + m.group(3);
    }
    return last;
  }

  @Test
  @DisplayName("issue 16: each line I sent shows its state on every load, without script: sent by SMS, then delivered")
  void mySentLinesShowTheirStateOnEachLoad() throws Exception {
    var a = web.phone(A).login();
    a.send(B, "by SMS, please");
    String page = a.get("/chat?to=%2B8613800000002").body();
    assertThat(lastState(page)).startsWith("st-wait | sent by SMS | sent by SMS ");
    Delivery before = lastDeliveryTo(B);
    receipt(B, true, "DELIVRD");
    Delivery delivered = lastDeliveryTo(B);
    assertThat(lastState(a.get("/chat?to=%2B8613800000002").body())).startsWith("st-ok | delivered to the phone |");
    // Showing a state writes nothing: the delivery is as the receipt left it.
    a.get("/chat?to=%2B8613800000002");
    assertThat(lastDeliveryTo(B)).isEqualTo(delivered).isNotEqualTo(before);
  }

  @Test
  @DisplayName("issue 16: failed and not sent say why, in English and Chinese")
  void failedAndNotSentSayWhyInBothLanguages() throws Exception {
    var a = web.phone(A).login();
    stop(C);
    a.send(C, "after your STOP");
    a.send(D, "to a phone that is off");
    receipt(D, false, "UNDELIV");
    assertThat(lastState(a.get("/chat?to=%2B8613800000003").body()))
        .startsWith("st-fail | not sent by SMS: recipient sent STOP (kept for their page) |");
    assertThat(lastState(a.get("/chat?to=%2B8613800000004").body())).startsWith("st-fail | failed: number not reachable |");
    a.language = "zh-CN";
    assertThat(lastState(a.get("/chat?to=%2B8613800000003").body())).startsWith("st-fail | 未发短信：对方已退订（留待对方网页查看） |");
    assertThat(lastState(a.get("/chat?to=%2B8613800000004").body())).startsWith("st-fail | 失败：号码无法接通 |");
  }

  @Test
  @DisplayName("issue 16: a recipient's page shows my message: waiting for their page, then seen")
  void waitingForTheirPageThenSeen() throws Exception {
    var a = web.phone(A).login();
    var b = web.phone(B).login();
    b.get("/chat");
    a.send(B, "are you there?");
    assertThat(lastState(a.get("/chat?to=%2B8613800000002").body())).startsWith("st-wait | waiting for their page |");
    b.get("/chat");
    assertThat(lastState(a.get("/chat?to=%2B8613800000002").body())).startsWith("st-ok | seen on their page |");
    // The partner's lines carry no state: only what I sent does.
    b.send(A, "yes");
    String page = a.get("/chat?to=%2B8613800000002").body();
    assertThat(page).contains("yes").containsOnlyOnce("class=\"state ");
  }

  @Test
  @DisplayName("issue 16: a group line sums up its members (delivered 1/3) and names each in its title")
  void aGroupLineSumsUpItsMembers() throws Exception {
    web.core.groups.create(new Group(GroupId.of("family"), "Family", Set.of(Msisdn.of(A), Msisdn.of(B),
        Msisdn.of(C), Msisdn.of(D))));
    web.core.users.save(web.core.chat.enroll(Msisdn.of(B), chatgate.core.model.Language.EN)
        .withDisplayName("Bob <i>\"&"));
    stop(C);
    var a = web.phone(A).login();
    a.send("family", "dinner at 8");
    var msg = web.core.store.conversation(Msisdn.of(A), GroupId.of("family"), 1).getFirst();
    Delivery toB = web.core.store.deliveriesOf(msg.id()).stream().filter(d -> d.recipient().equals(Msisdn.of(B)))
        .findFirst().orElseThrow();
    web.core.stage.onDeliveryReport(new chatgate.core.port.SmsInbound.DeliveryReport(toB.smscIds().orElseThrow(),
        true, "DELIVRD", web.core.clock.instant()));
    String state = lastState(a.get("/chat?to=family").body());
    assertThat(state).startsWith("st-fail | delivered 1/3, 1 on the way, 1 failed | ")
        .contains("Bob &lt;i>&#34;&amp;: delivered to the phone")
        .contains("13800000003: not sent by SMS: recipient sent STOP").contains("13800000004: sent by SMS");
    a.language = "zh";
    assertThat(lastState(a.get("/chat?to=family").body())).startsWith("st-fail | 已送达1/3，1人发送中，1人失败 | ")
        .contains("Bob &lt;i>&#34;&amp;：已送达手机");
  }

  @Test
  @DisplayName("issue 16: XHTML-MP and WML pages show my lines' states too, in both languages")
  void theWapFormatsShowStatesToo() throws Exception {
    var a = web.phone(A).login();
    a.send(B, "hello B");
    receipt(B, true, "DELIVRD");
    a.accept = "application/vnd.wap.xhtml+xml";
    assertThat(a.get("/chat?to=%2B8613800000002").body()).contains("hello B <small>(delivered to the phone)</small>");
    a.accept = "text/vnd.wap.wml";
    assertThat(a.get("/chat?to=%2B8613800000002").body()).contains("hello B (delivered to the phone)<br/>");
    a.language = "zh";
    assertThat(a.get("/chat?to=%2B8613800000002").body()).contains("hello B (已送达手机)<br/>");
    a.accept = "application/vnd.wap.xhtml+xml";
    assertThat(a.get("/chat?to=%2B8613800000002").body()).contains("hello B <small>(已送达手机)</small>");
  }
}
