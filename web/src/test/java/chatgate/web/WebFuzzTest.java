package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.DeliveryState;
import gg.jte.html.escape.Escape;
import gg.jte.output.StringOutput;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.w3c.dom.Document;

/**
 * Property tests of the web adapter over real HTTP (issue #6): hostile text comes back as text in
 * every page format, and arbitrary forms, paths and headers get a 4xx or a page, never a 5xx and
 * never a stored message.
 */
class WebFuzzTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  static WebFixture web;
  static WebFixture.Phone a;
  static WebFixture.Phone b;

  @BeforeContainer
  static void start() throws Exception {
    web = new WebFixture(List.of(), Optional.empty());
    a = web.phone(A).login();
    b = web.phone(B).login();
  }

  @AfterContainer
  static void stop() {
    web.close();
  }

  static long storedDeliveries() {
    return Arrays.stream(DeliveryState.values()).mapToLong(s -> web.core.store.count(s)).sum();
  }

  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<String> corpus = Arbitraries.of(
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><svg/onload=alert(1)>",
        "</textarea><script>x</script>", "<!--", "]]><x>", "&amp;&lt;&#0;&#x41;", "<?xml version='1.0'?>",
        "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;", "$(x) $$ $var", "<go href=\"http://evil\"/>",
        "javascript:alert(1)", "\u202e<b>rtl</b>", "中文<i>斜</i>&", "<a href=x>", "\"'`<>&");
    Arbitrary<String> random = Arbitraries.strings()
        .withChars("<>&\"'`$;:/=!?-[]{}() abcxyz中文")
        .withCharRange('\u0020', '\u007e')
        .ofMinLength(1).ofMaxLength(60);
    return Combinators.combine(corpus, random).as((c, r) -> c + r).filter(s -> !chatgate.core.chat.TextPolicy.clean(s).orElse("").isEmpty());
  }

  @Property(tries = 60)
  void hostileTextComesBackAsTextInEveryFormat(@ForAll("hostile") String text) throws Exception {
    HttpResponse<String> sent = b.send(A, text);
    assertThat(sent.statusCode()).isEqualTo(302);
    // What the gateway keeps of it: bidi overrides and controls dropped (TextPolicy), then shown as text.
    String kept = chatgate.core.chat.TextPolicy.clean(text).orElseThrow();

    a.accept = "text/html";
    String html = a.get("/chat?to=%2B8613800000002").body();
    StringOutput escaped = new StringOutput();
    Escape.htmlContent(kept, escaped);
    assertThat(html).contains(escaped.toString());

    a.accept = WapFormatsIT.XHTML;
    Document xhtml = xml(a.get("/chat?to=%2B8613800000002").body());
    assertThat(xhtml.getDocumentElement().getTextContent()).contains(kept);
    assertThat(xhtml.getElementsByTagName("script").getLength()).isZero();
    assertThat(xhtml.getElementsByTagName("svg").getLength()).isZero();
    assertThat(xhtml.getElementsByTagName("img").getLength()).isZero();

    a.accept = WapFormatsIT.WML;
    Document wml = xml(a.get("/chat?to=%2B8613800000002").body());
    var gos = wml.getElementsByTagName("go");
    assertThat(gos.getLength()).isPositive();
    for (int i = 0; i < gos.getLength(); i++) { // only the gateway's own actions
      assertThat(((org.w3c.dom.Element) gos.item(i)).getAttribute("href")).startsWith("/");
    }
    assertThat(wml.getElementsByTagName("b").getLength()).isZero();
    a.accept = "text/html";
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of("/chat", "/login", "/login/code", "/r/AAAAAAAAAAAA", "/sim/send", "/group", "/", "/x",
        "/chat?to=%00", "/events", "/r/%3Cscript%3E", "/chat?to=" + "9".repeat(300), "/static/../../etc/passwd");
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
    Arbitrary<byte[]> forms = Combinators.combine(
            Arbitraries.of("to", "text", "csrf", "nonce", "phone", "code", "from", "name", "%", "a=b", ""),
            Arbitraries.strings().ofMaxLength(80),
            Arbitraries.of("to", "text", "csrf", "%zz", "&&", "=="),
            Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(40))
        .as((k1, v1, k2, v2) -> (k1 + "=" + v1 + "&" + k2 + "=" + v2).getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(raw, forms);
  }

  @Property(tries = 200)
  void arbitraryRequestsGetAClearAnswerAndStoreNothing(
      @ForAll("paths") String path, @ForAll("bodies") byte[] body,
      @ForAll("accepts") String accept, @ForAll boolean forgedMsisdn) throws Exception {
    long before = storedDeliveries();
    WebFixture.Phone p = forgedMsisdn ? web.phone(B) : a;
    p.accept = accept;
    java.net.http.HttpRequest.Builder req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.base + path))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", accept)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
    if (forgedMsisdn) {
      req.header("X-MSISDN", A); // from an address that is not a trusted proxy: not believed
    }
    // A connection of its own per request (same cookies): the JDK client does not retry a POST on a
    // pooled connection the server has just closed, and that race is not what this property is about.
    java.net.http.HttpClient once = java.net.http.HttpClient.newBuilder()
        .cookieHandler(p.http.cookieHandler().orElseThrow())
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
    HttpResponse<String> r;
    try {
      r = once.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } finally {
      once.close();
    }
    assertThat(r.statusCode()).as("%s %s", path, r.body()).isBetween(200, 499);
    web.core.settle();
    assertThat(storedDeliveries()).isEqualTo(before);
    if (forgedMsisdn) {
      // The forged header logged nobody in: the chat page still asks for a login.
      assertThat(p.get("/chat", "X-MSISDN", A).statusCode()).isIn(302, 303);
    }
    a.accept = "text/html";
  }

  @Provide
  Arbitrary<String> accepts() {
    return Arbitraries.of("text/html", WapFormatsIT.XHTML, WapFormatsIT.WML, "*/*", "", "text/vnd.wap.wml;q=0",
        "application/json", "x".repeat(500));
  }

  static Document xml(String s) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
  }
}
