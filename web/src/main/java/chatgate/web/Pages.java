package chatgate.web;

import chatgate.core.auth.Tokens;
import chatgate.core.chat.SendResult;
import chatgate.web.Exchange.Viewer;
import chatgate.web.view.Common;
import chatgate.web.view.MessageView;
import chatgate.web.view.T;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every page class shares: rendering a view in the negotiated format, texts in the viewer's
 * language, form tokens, and the escaping of user text for WML.
 */
final class Pages {
  private static final Logger log = LoggerFactory.getLogger(Pages.class);
  static final String SESSION_COOKIE = "cg_s";
  static final String PRE_COOKIE = "cg_pre";
  /** WML decks must stay small for WAP 1.x handsets: fewer items, shorter texts. */
  static final int WML_BODY = 40;

  final WebSettings settings;
  final WebContext ctx;
  final boolean secureCookies;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

  Pages(WebSettings settings, WebContext ctx) {
    this.settings = settings;
    this.ctx = ctx;
    this.secureCookies = settings.publicUrl().startsWith("https://");
  }

  boolean csrfOk(Exchange x) {
    if (ctx.login().checkCsrf(x.viewer.principal(), x.form("csrf")) && !x.viewer.principal().isEmpty()) {
      return true;
    }
    log.info("CSRF check failed for {} {} from {}", x.method, x.path, x.clientAddress);
    message(x, 403, PageText.ERR_CSRF, x.path.startsWith("/sim") ? "/sim/" : "/");
    return false;
  }

  /** The form token of this viewer; a visitor without one gets a pre-login cookie to bind it to. */
  String csrf(Exchange x) {
    if (x.viewer.principal().isEmpty()) {
      String pre = Tokens.random(24);
      x.addCookie(PRE_COOKIE, pre, Duration.ofDays(1).toSeconds(), secureCookies);
      x.viewer = new Viewer(Optional.empty(), "p:" + pre, Optional.empty(), false);
    }
    return ctx.login().csrf(x.viewer.principal());
  }

  Common common(Exchange x, Optional<String> me, Optional<String> error, Optional<String> notice) {
    return new Common(new T(x.lang), t(x, PageText.TITLE), me, csrf(x), Optional.empty(), error, notice);
  }

  void message(Exchange x, int status, PageText text, String back) {
    Common c = common(x, x.viewer.msisdn().map(ctx.chat()::label).map(l -> wml(x, l)), Optional.empty(),
        Optional.empty());
    render(x, status, "message", new MessageView(c, t(x, text), back, t(x, PageText.BACK)));
  }

  void render(Exchange x, int status, String page, Object view) {
    x.page(status, x.format, renderString(x.format, page, view));
  }

  String renderString(Format f, String page, Object view) {
    String dir = switch (f) {
      case HTML -> "html";
      case XHTML_MP -> "xhtml";
      case WML -> "wml";
    };
    StringOutput out = new StringOutput();
    templates.render(dir + "/" + page + ".jte", view, out);
    return out.toString();
  }

  /** Why a send was refused, in the viewer's words, and its HTTP status. */
  record Refusal(int status, String text) {}

  /** The one mapping of a refused send to its page answer (the chat page and the reply page). */
  Refusal refusal(Exchange x, SendResult.Rejected rej, String shownTarget) {
    String error = switch (rej.problem()) {
      case EMPTY -> t(x, PageText.ERR_EMPTY);
      case TOO_LONG -> t(x, PageText.ERR_TOO_LONG, rej.detail());
      case BAD_TEXT -> t(x, PageText.ERR_BAD_TEXT);
      case BAD_TARGET -> shownTarget.isEmpty() ? t(x, PageText.ERR_NO_PARTNER)
          : t(x, PageText.ERR_BAD_TARGET, shownTarget);
      case UNKNOWN_GROUP -> t(x, PageText.ERR_UNKNOWN_GROUP, shownTarget);
      case NOT_MEMBER -> t(x, PageText.ERR_NOT_MEMBER, rej.detail());
      case BLOCKED -> t(x, PageText.ERR_BLOCKED, rej.detail());
      case NO_PARTNER -> t(x, PageText.ERR_NO_PARTNER);
      case OVER_QUOTA -> overQuota(x, rej.detail());
      case DENIED_DESTINATION -> t(x, PageText.ERR_DENIED_DESTINATION, clip(rej.detail(), 40));
    };
    int status = switch (rej.problem()) {
      case NOT_MEMBER, DENIED_DESTINATION, BLOCKED -> 403;
      case UNKNOWN_GROUP -> 404;
      case OVER_QUOTA -> 429;
      default -> 400;
    };
    return new Refusal(status, error);
  }

  /** A sender's quota is spent: when it resets, in minutes or (a day's quota) hours; Retry-After too. */
  private String overQuota(Exchange x, String minutesText) {
    long minutes = Long.parseLong(minutesText);
    x.res.getHeaders().put("Retry-After", Long.toString(minutes * 60));
    return minutes < 120 ? t(x, PageText.ERR_OVER_QUOTA_MIN, minutes)
        : t(x, PageText.ERR_OVER_QUOTA_H, (minutes + 59) / 60);
  }

  String t(Exchange x, PageText key, Object... args) {
    return x.format == Format.WML ? wmlEscape(key.in(x.lang, args)) : key.in(x.lang, args);
  }

  /** User text for the page: in WML, '$' starts a variable, so it is doubled. */
  static String wml(Exchange x, String s) {
    return x.format == Format.WML ? wmlEscape(s) : s;
  }

  private static String wmlEscape(String s) {
    return s.replace("$", "$$");
  }

  static String body(Exchange x, String body) {
    String b = x.format == Format.WML ? clip(body, WML_BODY) : body;
    return wml(x, b);
  }

  static String clip(String s, int max) {
    if (s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
