package chatgate.web;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A WAP 1.x browser's variable context, as WML 1.3 (WAP-191, §10 and §12.5) defines it, over a
 * {@link WebFixture.Phone}: variables live across decks until a card with {@code newcontext};
 * an {@code input} shows its variable, its {@code value} only while the variable is empty; a
 * {@code go} reads its postfields first and then does its {@code setvar}s, then fetches.
 * Enough to test what a handset does with the decks, not a renderer.
 */
final class WmlPhone {
  private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)(?::[a-z]+)?\\)|\\$\\$");
  final WebFixture.Phone http;
  final Map<String, String> vars = new HashMap<>();
  Document deck;
  String source;
  int status;

  WmlPhone(WebFixture.Phone http) {
    this.http = http;
    http.accept = "text/vnd.wap.wml";
  }

  WmlPhone open(String path) throws Exception {
    return show(http.get(path));
  }

  /** The user types into an input: its variable takes the text. */
  void type(String name, String text) {
    vars.put(name, text);
  }

  String var(String name) {
    return vars.getOrDefault(name, "");
  }

  /** The {@code do type="accept"} softkey's task. */
  WmlPhone accept() throws Exception {
    Element d = (Element) deck.getElementsByTagName("do").item(0);
    return go((Element) d.getElementsByTagName("go").item(0));
  }

  /** The anchor whose text is {@code label}. */
  WmlPhone anchor(String label) throws Exception {
    NodeList anchors = deck.getElementsByTagName("anchor");
    for (int i = 0; i < anchors.getLength(); i++) {
      Element a = (Element) anchors.item(i);
      if (a.getTextContent().strip().equals(label)) {
        return go((Element) a.getElementsByTagName("go").item(0));
      }
    }
    throw new AssertionError("no anchor " + label + " in\n" + source);
  }

  private WmlPhone go(Element go) throws Exception {
    List<String[]> fields = new ArrayList<>();
    NodeList pf = go.getElementsByTagName("postfield");
    for (int i = 0; i < pf.getLength(); i++) {
      Element f = (Element) pf.item(i);
      fields.add(new String[] {f.getAttribute("name"), substitute(f.getAttribute("value"))});
    }
    String href = substitute(go.getAttribute("href"));
    NodeList sv = go.getElementsByTagName("setvar");
    Map<String, String> sets = new HashMap<>();
    for (int i = 0; i < sv.getLength(); i++) {
      Element s = (Element) sv.item(i);
      sets.put(s.getAttribute("name"), substitute(s.getAttribute("value")));
    }
    vars.putAll(sets);
    if ("post".equals(go.getAttribute("method"))) {
      StringJoiner body = new StringJoiner("&");
      for (String[] f : fields) {
        body.add(URLEncoder.encode(f[0], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(f[1], StandardCharsets.UTF_8));
      }
      return show(http.post(href, body.toString()));
    }
    return show(http.get(href));
  }

  private String substitute(String s) {
    Matcher m = VAR.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) == null ? "$" : var(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private WmlPhone show(HttpResponse<String> r) throws Exception {
    while (r.statusCode() == 302 || r.statusCode() == 303) {
      r = http.get(r.headers().firstValue("Location").orElseThrow());
    }
    status = r.statusCode();
    source = r.body();
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    deck = f.newDocumentBuilder().parse(new ByteArrayInputStream(source.getBytes(StandardCharsets.UTF_8)));
    Element card = (Element) deck.getElementsByTagName("card").item(0);
    if ("true".equals(card.getAttribute("newcontext"))) {
      vars.clear();
    }
    NodeList inputs = deck.getElementsByTagName("input");
    for (int i = 0; i < inputs.getLength(); i++) {
      Element in = (Element) inputs.item(i);
      if (var(in.getAttribute("name")).isEmpty() && in.hasAttribute("value")) {
        vars.put(in.getAttribute("name"), substitute(in.getAttribute("value")));
      }
    }
    return this;
  }
}
