package chatgate.web;

import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Draws a WML card as HTML the way a WAP 1.x browser lays it out (title bar, text, inputs as
 * boxes with their variable, links underlined, the accept softkey at the bottom): for the README's
 * screenshot of a deck, not a browser.
 */
final class WmlSketch {
  private WmlSketch() {}

  static String html(Document deck, Map<String, String> vars) {
    Element card = (Element) deck.getElementsByTagName("card").item(0);
    StringBuilder body = new StringBuilder();
    String softkey = "";
    for (Node n = card.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals("do")) {
        softkey = e.getAttribute("label");
      } else {
        draw(n, vars, body);
      }
    }
    return "<!DOCTYPE html><html><head><meta charset=utf-8><style>"
        + "body{margin:0;font:14px sans-serif;width:240px;height:320px;display:flex;flex-direction:column}"
        + ".t{background:#224;color:#fff;padding:2px 4px}.c{flex:1;overflow:hidden;padding:2px 4px;overflow-wrap:anywhere}"
        + "p{margin:2px 0}.in{display:inline-block;min-width:8em;border:1px solid #444;padding:0 2px}"
        + "u{color:#00c}.k{background:#ddd;text-align:center;padding:2px;border-top:1px solid #999}"
        + "</style></head><body><div class=t>" + esc(card.getAttribute("title")) + "</div><div class=c>" + body
        + "</div><div class=k>" + esc(softkey) + "</div></body></html>";
  }

  private static void draw(Node n, Map<String, String> vars, StringBuilder out) {
    if (n.getNodeType() == Node.TEXT_NODE) {
      out.append(esc(n.getNodeValue()));
      return;
    }
    if (!(n instanceof Element e)) {
      return;
    }
    switch (e.getTagName()) {
      case "p" -> {
        out.append("<p>");
        children(e, vars, out);
        out.append("</p>");
      }
      case "br" -> out.append("<br>");
      case "b" -> {
        out.append("<b>");
        children(e, vars, out);
        out.append("</b>");
      }
      case "input" -> out.append("<span class=in>").append(esc(vars.getOrDefault(e.getAttribute("name"), "")))
          .append("</span>");
      case "a", "anchor" -> {
        out.append("<u>");
        children(e, vars, out);
        out.append("</u>");
      }
      default -> { } // go, postfield, setvar, onevent, timer: nothing to see
    }
  }

  private static void children(Element e, Map<String, String> vars, StringBuilder out) {
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      draw(c, vars, out);
    }
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
