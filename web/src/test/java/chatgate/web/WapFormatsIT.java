package chatgate.web;

import static chatgate.web.WebFixture.csrf;
import static chatgate.web.WebFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The WAP formats: every page in WML 1.3 and XHTML-MP parses as XML, WML decks compile with an
 * independent compiler ({@code xml2wbxml}, Debian libwbxml2-utils) to a size a WAP 1.x handset
 * takes, and hostile text is escaped in all three formats.
 */
class WapFormatsIT {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  static final String WML = "text/vnd.wap.wml";
  static final String XHTML = "application/vnd.wap.xhtml+xml";
  /** The smallest deck limit listed for WAP 1.x browsers is 1,397 bytes (Nokia 7110). */
  static final int DECK_LIMIT = 1_397;

  static final List<String> HOSTILE = List.of(
      "<script>alert(1)</script>",
      "\"><img src=x onerror=alert(1)>",
      "$(x) costs $5 and $$",
      "&amp; &lt; &#x3C; &",
      "]]><!-- --><![CDATA[",
      "'single' \"double\"",
      "中文 😀 עברית",
      "<wml><card><do type=\"accept\"><go href=\"http://evil\"/></do></card></wml>");

  final WebFixture web = new WebFixture();

  @TempDir
  Path tmp;

  @AfterEach
  void close() {
    web.close();
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setValidating(false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    DocumentBuilder b = f.newDocumentBuilder();
    return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** Compiles a WML deck with xml2wbxml; returns the WBXML size. */
  private int compile(String wml) throws Exception {
    Path in = Files.createTempFile(tmp, "deck", ".wml");
    Path out = tmp.resolve(in.getFileName() + ".wmlc");
    Files.writeString(in, wml);
    Process p = new ProcessBuilder("xml2wbxml", "-o", out.toString(), in.toString()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("xml2wbxml: " + log + "\n" + wml).isZero();
    return (int) Files.size(out);
  }

  private WebFixture.Phone phone(String number, String accept) throws Exception {
    WebFixture.Phone p = web.phone(number);
    p.accept = accept;
    return p;
  }

  /** Logs in through the pages of this format itself. */
  private WebFixture.Phone loginAs(String number, String accept) throws Exception {
    WebFixture.Phone p = phone(number, accept);
    boolean xml = !accept.startsWith("text/html");
    String page = p.get("/login").body();
    if (xml) {
      parse(page);
    }
    HttpResponse<String> step = p.post("/login", form("phone", number, "csrf", csrf(postfield(page))));
    assertThat(step.statusCode()).isEqualTo(200);
    if (xml) {
      parse(step.body());
    }
    HttpResponse<String> done = p.post("/login/code",
        form("phone", number, "code", web.codeFor(Msisdn.of(number)), "csrf", csrf(postfield(step.body()))));
    assertThat(done.statusCode()).isEqualTo(302);
    return p;
  }

  /** WML carries the token in a postfield; make it look like a hidden input for the shared helper. */
  private static String postfield(String page) {
    Matcher m = Pattern.compile("<postfield name=\"csrf\" value=\"([^\"]+)\"/>").matcher(page);
    return m.find() ? "name=\"csrf\" value=\"" + m.group(1) + "\"" : page;
  }

  @Test
  @DisplayName("P2.1/P2.14 WML 1.3: every page is well-formed, compiles with xml2wbxml, and stays under the deck limit")
  void wmlPagesCompileAndFit() throws Exception {
    web.core.groups.create(new Group(GroupId.of("family"), "家人", Set.of(Msisdn.of(A), Msisdn.of(B))));
    WebFixture.Phone a = loginAs(A, WML);
    WebFixture.Phone b = loginAs(B, "text/html");
    for (int i = 0; i < 12; i++) {
      b.send(A, "A fairly long chat message number " + i + " with some words to make the deck bigger than it should be");
    }
    for (String path : List.of("/chat", "/chat?to=%2B8613800000002", "/chat?to=family", "/chat?to=nosuch")) {
      HttpResponse<String> r = a.get(path);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(WML));
      Document d = parse(r.body());
      assertThat(d.getDocumentElement().getNodeName()).isEqualTo("wml");
      assertThat(r.body()).contains("-//WAPFORUM//DTD WML 1.3//EN").contains("<do type=\"accept\"");
      int size = compile(r.body());
      assertThat(size).as(path + " compiled to " + size + " bytes").isLessThanOrEqualTo(DECK_LIMIT);
    }
    var anon = phone(B, WML);
    for (String path : List.of("/", "/login", "/r/AAAAAAAAAAAA", "/nope")) {
      HttpResponse<String> r = anon.get(path);
      parse(r.body());
      compile(r.body());
    }
  }

  @Test
  @DisplayName("issue 16 WML: my lines show their states (delivered, failed and why, not sent after STOP, sent), in English and Chinese, and the deck still compiles and fits")
  void wmlDeckShowsSentStatesAndStillCompiles() throws Exception {
    WebFixture.Phone html = loginAs(A, "text/html");
    String words = " with enough words to make the line as long as a WML deck ever shows";
    html.send(B, "one" + words);
    receipt(true, "DELIVRD");
    html.send(B, "two" + words);
    receipt(false, "UNDELIV");
    web.core.mo.onMobileOriginated(new chatgate.core.port.SmsInbound.MobileOriginated("stop-b", Msisdn.of(B), "10658",
        "STOP", web.core.clock.instant(), java.util.Optional.empty()));
    web.core.settle();
    html.send(B, "three" + words);
    web.core.mo.onMobileOriginated(new chatgate.core.port.SmsInbound.MobileOriginated("start-b", Msisdn.of(B), "10658",
        "START", web.core.clock.instant(), java.util.Optional.empty()));
    web.core.settle();
    html.send(B, "four" + words);
    WebFixture.Phone wml = loginAs(A, WML);
    for (String lang : List.of("en", "zh")) {
      wml.language = lang;
      String deck = wml.get("/chat?to=%2B8613800000002").body();
      parse(deck);
      // Newest first (ADR 0038).
      List<String> states = lang.equals("en")
          ? List.of("(sent by SMS)", "(not sent by SMS: recipient sent STOP (kept for their page))",
              "(failed: number not reachable)", "(delivered to the phone)")
          : List.of("(已发短信)", "(未发短信：对方已退订（留待对方网页查看）)", "(失败：号码无法接通)", "(已送达手机)");
      int at = 0;
      for (String state : states) {
        at = deck.indexOf(state, at);
        assertThat(at).as(lang + " " + state + " in order in\n" + deck).isPositive();
      }
      int size = compile(deck);
      assertThat(size).as(lang + " deck compiled to " + size + " bytes").isLessThanOrEqualTo(DECK_LIMIT);
    }
  }

  /** The SMSC's receipt for the last SMS to B. */
  private void receipt(boolean delivered, String stat) {
    var msg = web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 1).getFirst();
    String smscId = web.core.store.deliveriesOf(msg.id()).getFirst().smscIds().orElseThrow();
    web.core.stage.onDeliveryReport(new chatgate.core.port.SmsInbound.DeliveryReport(smscId, delivered, stat,
        web.core.clock.instant()));
  }

  @Test
  @DisplayName("issue 18: the names/members/block page in WML (compiles, fits) and XHTML-MP (well-formed), zh and en")
  void peoplePagesInTheWapFormats() throws Exception {
    web.core.groups.create(new Group(GroupId.of("family"), "家人", Set.of(Msisdn.of(A), Msisdn.of(B))));
    WebFixture.Phone wml = loginAs(A, WML);
    WebFixture.Phone xhtml = loginAs(B, XHTML);
    for (String lang : List.of("en", "zh")) {
      wml.language = lang;
      xhtml.language = lang;
      for (String path : List.of("/people", "/people?to=family", "/people?to=%2B8613800000002", "/people?to=nosuch")) {
        String deck = wml.get(path).body();
        parse(deck);
        assertThat(compile(deck)).as(path).isLessThanOrEqualTo(DECK_LIMIT);
        HttpResponse<String> x = xhtml.get(path.replace("%2B8613800000002", "%2B8613800000001"));
        assertThat(x.body()).contains("-//WAPFORUM//DTD XHTML Mobile 1.2//EN");
        parse(x.body());
      }
    }
    String deck = wml.get("/people?to=family").body();
    assertThat(deck).contains("<postfield name=\"action\" value=\"leave\"/>").contains("13800000002");
    // A name set from the WML deck's postfields.
    HttpResponse<String> r = wml.post("/people", form("to", "", "action", "myname", "name", "小红", "csrf",
        csrf(postfield(deck))));
    assertThat(r.statusCode()).isEqualTo(200);
    parse(r.body());
    assertThat(web.core.chat.label(Msisdn.of(A))).isEqualTo("小红");
  }

  @Test
  @DisplayName("P2.1 XHTML-MP 1.2: every page is well-formed XML with the right doctype and type")
  void xhtmlPagesAreWellFormed() throws Exception {
    WebFixture.Phone a = loginAs(A, XHTML);
    a.send(B, "hello");
    for (String path : List.of("/chat", "/chat?to=%2B8613800000002", "/chat?to=12")) {
      HttpResponse<String> r = a.get(path);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(XHTML));
      assertThat(r.body()).contains("-//WAPFORUM//DTD XHTML Mobile 1.2//EN");
      Document d = parse(r.body());
      assertThat(d.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/1999/xhtml");
    }
  }

  @Test
  @DisplayName("ADR 0014 the reply page and the link-already-used page exist in WML and XHTML-MP, in both languages")
  void replyPagesInTheWapFormats() throws Exception {
    loginAs(A, "text/html").send(B, "<b>dinner</b> $5?");
    web.core.settle();
    Matcher m = Pattern.compile("http://gw\\.test(/r/[A-Za-z0-9]{12})")
        .matcher(web.core.sms.sentTo(Msisdn.of(B)).getLast().text());
    assertThat(m.find()).isTrue();
    String link = m.group(1);
    var wml = phone(B, WML);
    HttpResponse<String> r = wml.get(link);
    assertThat(r.statusCode()).isEqualTo(200);
    parse(r.body());
    assertThat(compile(r.body())).isLessThanOrEqualTo(DECK_LIMIT);
    assertThat(r.body()).contains("$$5?").contains("<go href=\"" + link + "\" method=\"post\">");
    for (String accept : List.of(WML, XHTML)) {
      for (String lang : List.of("en", "zh")) {
        var other = phone(B, accept);
        other.language = lang;
        HttpResponse<String> used = other.get(link);
        assertThat(used.statusCode()).isEqualTo(403);
        parse(used.body());
        assertThat(used.body()).contains(lang.equals("zh") ? "已在另一台设备上打开" : "already opened on another device");
      }
    }
    var xhtml = phone(A, XHTML);
    web.core.clock.advance(java.time.Duration.ofMinutes(20)); // A is offline now: B's answer goes by SMS
    // A's own link from B's answer, opened by A's browser without a session: an XHTML-MP reply page.
    HttpResponse<String> sent = wml.post(link, form("text", "yes", "csrf", csrf(wml.get(link).body()), "nonce",
        "n0000000000000001"));
    assertThat(sent.statusCode()).isEqualTo(302);
    web.core.settle();
    Matcher back = Pattern.compile("http://gw\\.test(/r/[A-Za-z0-9]{12})")
        .matcher(web.core.sms.sentTo(Msisdn.of(A)).getLast().text());
    assertThat(back.find()).isTrue();
    HttpResponse<String> page = xhtml.get(back.group(1));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(parse(page.body()).getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/1999/xhtml");
    assertThat(page.body()).contains("yes").contains("href=\"/login\"");
  }

  static final String C = "+8613800000003";

  @Test
  @DisplayName("issue 18 WML: a '+' number logs in; after a send $(text) is empty and a second send repeats nothing; choosing another partner changes To; logout clears the variables")
  void wmlVariablesFollowWhatTheUserDoes() throws Exception {
    WebFixture.Phone html = loginAs(A, "text/html");
    html.send(B, "hello B");
    html.send(C, "hello C");
    WmlPhone w = new WmlPhone(web.phone(A));
    w.open("/login");
    w.type("phone", A); // with its '+': the field has no digits-only format
    w.accept();
    assertThat(w.status).as(w.source).isEqualTo(200);
    w.type("code", web.codeFor(Msisdn.of(A)));
    w.accept();
    assertThat(w.source).contains("<input name=\"text\"");

    w.anchor("13800000002");
    assertThat(w.var("to")).isEqualTo(B);
    w.type("text", "only once");
    w.accept();
    assertThat(w.status).isEqualTo(200);
    assertThat(w.source).contains("only once");
    assertThat(w.var("text")).isEmpty();
    w.anchor("13800000003");
    assertThat(w.var("to")).isEqualTo(C);
    w.accept(); // nothing typed: nothing is sent, to anyone
    assertThat(w.status).isEqualTo(400);
    assertThat(w.source).contains("Write a message first.");
    web.core.settle();
    assertThat(web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 10)).extracting(m -> m.body())
        .containsExactly("only once", "hello B");
    assertThat(web.core.store.conversation(Msisdn.of(A), Msisdn.of(C), 10)).extracting(m -> m.body())
        .containsExactly("hello C");

    w.anchor("Log out");
    assertThat(w.source).contains("<input name=\"phone\"");
    assertThat(w.vars).doesNotContainKeys("to", "text");
    assertThat(w.http.get("/chat").statusCode()).isEqualTo(302); // the session is gone
  }

  /** XHTML Basic 1.1 (W3C, Debian w3c-sgml-lib): XHTML-MP 1.2 is it plus a few elements this gateway never uses. */
  static final Path XHTML_BASIC_11 =
      Path.of("/usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml-basic-20101123/xhtml-basic11.dtd");

  private String validateXhtml(String page) throws Exception {
    Path in = Files.createTempFile(tmp, "page", ".xhtml");
    Files.writeString(in, page);
    Process p = new ProcessBuilder("xmllint", "--noout", "--nonet", "--dtdvalid", XHTML_BASIC_11.toString(),
        in.toString()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0 ? "" : log;
  }

  @Test
  @DisplayName("issue 18 XHTML-MP: every page is valid against the XHTML Basic 1.1 DTD (xmllint)")
  void xhtmlPagesAreValid() throws Exception {
    web.core.groups.create(new Group(GroupId.of("family"), "家人", Set.of(Msisdn.of(A), Msisdn.of(B))));
    var anon = phone(A, XHTML);
    assertThat(validateXhtml(anon.get("/login").body())).isEmpty();
    assertThat(validateXhtml(anon.get("/nope").body())).isEmpty();
    WebFixture.Phone a = loginAs(A, XHTML);
    loginAs(B, "text/html").send(A, "hi <b>A</b> & $5");
    for (String lang : List.of("en", "zh")) {
      a.language = lang;
      for (String path : List.of("/chat", "/chat?to=%2B8613800000002", "/chat?to=%2B8613800000002&watch=1",
          "/chat?to=%2B8613800000002&before=" + Long.MAX_VALUE / 2, "/chat?to=family", "/chat?to=nosuch")) {
        String page = a.get(path).body();
        assertThat(validateXhtml(page)).as(lang + " " + path + "\n" + page).isEmpty();
      }
    }
  }

  @Test
  @DisplayName("issue 18 page weight: a full conversation page stays within its budget in HTML, XHTML-MP and compiled WML")
  void pageWeightBudgets() throws Exception {
    String long100 = "晚上八点在老地方见，别忘了带上那本书和雨伞。".repeat(5);
    for (int i = 0; i < 40; i++) {
      web.core.chat.send(Msisdn.of(B), A, i + " " + long100, chatgate.core.model.Origin.SMS, null);
    }
    for (int i = 0; i < 60; i++) {
      web.core.chat.send(Msisdn.of("+86139000000" + String.format("%02d", i)), A, "hi",
          chatgate.core.model.Origin.SMS, null);
    }
    web.core.settle();
    java.util.Map<String, Integer> budget = new java.util.LinkedHashMap<>();
    budget.put("text/html", HTML_BUDGET);
    budget.put(XHTML, XHTML_BUDGET);
    for (var e : budget.entrySet()) {
      WebFixture.Phone a = loginAs(A, e.getKey());
      a.language = "zh";
      for (String path : List.of("/chat", "/chat?to=%2B8613800000002")) {
        int bytes = a.get(path).body().getBytes(StandardCharsets.UTF_8).length;
        System.out.println("page weight " + e.getKey() + " " + path + ": " + bytes + " B");
        assertThat(bytes).as(e.getKey() + " " + path).isLessThanOrEqualTo(e.getValue());
      }
    }
    WebFixture.Phone w = loginAs(A, WML);
    w.language = "zh";
    for (String path : List.of("/chat", "/chat?to=%2B8613800000002", "/chat?to=%2B8613800000002&watch=1")) {
      String deck = w.get(path).body();
      parse(deck);
      int size = compile(deck);
      System.out.println("page weight WMLC " + path + ": " + size + " B");
      assertThat(size).as(path).isLessThanOrEqualTo(DECK_LIMIT);
    }
  }

  /** W3C Mobile Web Best Practices' default delivery context: 20 KB a page. */
  static final int HTML_BUDGET = 20_000;
  /** Half that for WAP 2.0 browsers (Series 40 and the like), many of which cap a page near 10 KB. */
  static final int XHTML_BUDGET = 10_000;

  @Test
  void theFormatFollowsAcceptAndTheUserAgent() throws Exception {
    var p = web.phone(A);
    p.accept = "text/vnd.wap.wml, image/vnd.wap.wbmp";
    assertThat(p.get("/").headers().firstValue("Content-Type").orElseThrow()).startsWith(WML);
    p.accept = "application/vnd.wap.xhtml+xml, text/html;q=0.5";
    assertThat(p.get("/").headers().firstValue("Content-Type").orElseThrow()).startsWith(XHTML);
    p.accept = "*/*";
    assertThat(p.get("/", "User-Agent", "SIE-C65/22 UP.Browser/7.0.0.1.c.3").headers().firstValue("Content-Type").orElseThrow()).startsWith(WML);
    assertThat(p.get("/", "User-Agent", "Nokia3110c/2.0 Profile/MIDP-2.0").headers().firstValue("Content-Type").orElseThrow()).startsWith(XHTML);
    p.accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    assertThat(p.get("/").headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
  }

  @Test
  @DisplayName("P2.4/issue 18 the WML deck with the input never reloads itself; the watching deck does, with ontimer, and has no input")
  void wmlTimerRefresh() throws Exception {
    WebFixture.Phone a = loginAs(A, WML);
    String deck = a.get("/chat").body();
    assertThat(deck).doesNotContain("ontimer").doesNotContain("<timer").contains("<input name=\"text\"")
        .contains("href=\"/chat?watch=1\"");
    String watching = a.get("/chat?watch=1").body();
    assertThat(watching).contains("<onevent type=\"ontimer\"><go href=\"/chat?watch=1\"/></onevent>")
        .contains("<timer value=\"200\"/>")
        .doesNotContain("<input").contains("href=\"/chat\"");
    parse(watching);
    compile(watching);
  }

  @Test
  void hostileTextIsEscapedInAllThreeFormats() throws Exception {
    WebFixture.Phone b = loginAs(B, "text/html");
    web.core.users.save(web.core.users.find(Msisdn.of(B)).orElseThrow().withDisplayName("<i>B$(name)</i>"));
    for (String h : HOSTILE) {
      b.send(A, h);
    }
    WebFixture.Phone html = loginAs(A, "text/html");
    String page = html.get("/chat?to=%2B8613800000002").body();
    assertThat(page).doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("<i>B")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;i&gt;B$(name)&lt;/i&gt;");

    WebFixture.Phone x2 = loginAs(A, XHTML);
    String xp = x2.get("/chat?to=%2B8613800000002").body();
    Document xd = parse(xp);
    assertThat(xd.getElementsByTagName("script").getLength()).isZero();
    assertThat(xd.getElementsByTagName("img").getLength()).isZero();
    assertThat(xd.getDocumentElement().getTextContent()).contains("<script>alert(1)</script>").contains("$(x) costs $5");

    WebFixture.Phone w = loginAs(A, WML);
    for (String h : HOSTILE) {
      b.send(A, h);
      String deck = w.get("/chat?to=%2B8613800000002").body();
      Document wd = parse(deck);
      var gos = wd.getElementsByTagName("go");
      for (int i = 0; i < gos.getLength(); i++) { // only the gateway's own actions
        assertThat(((org.w3c.dom.Element) gos.item(i)).getAttribute("href")).as(h).startsWith("/");
      }
      assertThat(deck).doesNotContain("http://evil\"/>").contains("B$$(name)");
      if (h.startsWith("$")) {
        assertThat(deck).contains("$$(x) costs $$5 and $$$$");
      }
      compile(deck);
    }
  }
}
