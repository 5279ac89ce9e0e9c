package chatgate.web;

import chatgate.core.auth.LoginService;
import chatgate.core.auth.LoginService.CodeRequest;
import chatgate.core.auth.LoginService.Verification;
import chatgate.core.auth.Tokens;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.ChatService.ReplyContext;
import chatgate.core.chat.PartnerView;
import chatgate.core.chat.SendResult;
import chatgate.core.model.GroupId;
import chatgate.core.model.Message;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.Target;
import chatgate.core.port.AuthStore.WebSession;
import chatgate.core.port.MessageStore;
import chatgate.core.port.VirtualHandsets;
import chatgate.web.Exchange.BadRequest;
import chatgate.web.Exchange.Viewer;
import chatgate.web.view.ChatView;
import chatgate.web.view.Common;
import chatgate.web.view.LoginView;
import chatgate.web.view.MessageView;
import chatgate.web.view.SimView;
import chatgate.web.view.T;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat service over HTTP (P2.1–P2.14): one entry URL, login by SMS code, the chat page, reply
 * links, and the simulator's handsets. Every page exists in HTML, XHTML-MP and WML; every text
 * in English and Chinese; every user string is escaped by the templates (WML also doubles '$').
 */
final class ChatHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(ChatHandler.class);
  private static final String SESSION_COOKIE = "cg_s";
  private static final String PRE_COOKIE = "cg_pre";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
  private static final Pattern URL = Pattern.compile("https?://\\S+");
  /** WML decks must stay small for WAP 1.x handsets: fewer items, shorter texts. */
  private static final int WML_BODY = 60;

  private final WebSettings settings;
  private final WebContext ctx;
  private final SseHub hub;
  private final List<Cidr> trusted;
  private final boolean secureCookies;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private final EventStream events;

  ChatHandler(WebSettings settings, WebContext ctx, SseHub hub) {
    this.settings = settings;
    this.ctx = ctx;
    this.hub = hub;
    this.trusted = settings.trustedProxies().stream().map(Cidr::parse).toList();
    this.secureCookies = settings.publicUrl().startsWith("https://");
    this.events = new EventStream(ctx, hub);
  }

  @Override
  public boolean handle(Request req, Response res, Callback cb) {
    String socket = Request.getRemoteAddr(req);
    boolean fromProxy = trusted.stream().anyMatch(c -> c.contains(socket));
    Exchange x = new Exchange(req, res, cb, fromProxy ? forwardedFor(req, socket) : socket);
    try {
      x.viewer = viewer(x, fromProxy);
      route(x);
    } catch (BadRequest e) {
      message(x, e.status, e.status == 413 ? PageText.ERR_TOO_LARGE : PageText.ERR_BAD_REQUEST, "/");
    } catch (RuntimeException e) {
      log.warn("{} {} failed: {}", x.method, x.path, e.toString());
      if (!res.isCommitted()) {
        message(x, 503, PageText.ERR_UNAVAILABLE, "/");
      } else {
        cb.failed(e);
      }
    }
    return true;
  }

  /** Behind a trusted proxy the client is the last address it added, not the proxy. */
  private static String forwardedFor(Request req, String socket) {
    String xff = req.getHeaders().get("X-Forwarded-For");
    if (xff == null || xff.isBlank()) {
      return socket;
    }
    String[] hops = xff.split(",");
    return hops[hops.length - 1].strip();
  }

  /**
   * Who is asking. An MSISDN header counts only from a trusted proxy (any client can forge one);
   * otherwise the session cookie decides.
   */
  private Viewer viewer(Exchange x, boolean fromProxy) {
    String header = x.header(settings.msisdnHeader());
    if (header != null && fromProxy) {
      Optional<Msisdn> m = ctx.chat().numbers().parse(header);
      if (m.isPresent()) {
        return new Viewer(m, "m:" + m.get().e164(), Optional.empty(), true);
      }
    } else if (header != null) {
      log.info("ignored {} header from untrusted {}", settings.msisdnHeader(), x.clientAddress);
    }
    Optional<String> token = x.cookie(SESSION_COOKIE);
    if (token.isPresent()) {
      Optional<WebSession> s = ctx.login().session(token.get());
      if (s.isPresent()) {
        return new Viewer(Optional.of(s.get().msisdn()), "s:" + token.get(), token, false);
      }
    }
    return new Viewer(Optional.empty(), x.cookie(PRE_COOKIE).map(p -> "p:" + p).orElse(""), Optional.empty(), false);
  }

  private void route(Exchange x) {
    String p = x.path;
    boolean get = x.method.equals("GET") || x.method.equals("HEAD");
    boolean post = x.method.equals("POST");
    if (p.equals("/healthz") && get) {
      x.text(200, "text/plain; charset=UTF-8", "ok\n");
      return;
    }
    if (p.equals("/readyz") && get) {
      // One line per part, so an operator sees which one holds the gateway back.
      java.util.Map<String, Boolean> parts = ctx.readiness().get();
      boolean ready = parts.values().stream().allMatch(Boolean::booleanValue);
      StringBuilder body = new StringBuilder(ready ? "ready\n" : "not ready\n");
      parts.forEach((part, ok) -> body.append(part).append(ok ? " ok\n" : " down\n"));
      x.text(ready ? 200 : 503, "text/plain; charset=UTF-8", body.toString());
      return;
    }
    if (p.startsWith("/static/") && get) {
      staticFile(x, p.substring("/static/".length()));
      return;
    }
    if (x.viewer.loggedIn() && !p.equals("/events")) {
      // Any page fetch marks the phone online and browsing (P2.8, P2.4).
      ctx.presence().pageFetched(x.viewer.msisdn().get(), ctx.clock().instant());
    }
    switch (p) {
      case "/" -> {
        if (get) {
          if (x.viewer.loggedIn()) {
            x.redirect("/chat");
          } else {
            loginPage(x, 200, "", false, Optional.empty());
          }
          return;
        }
      }
      case "/login" -> {
        if (get) {
          if (x.viewer.loggedIn()) {
            x.redirect("/chat");
          } else {
            loginPage(x, 200, "", false, Optional.empty());
          }
          return;
        }
        if (post) {
          requestCode(x);
          return;
        }
      }
      case "/login/code" -> {
        if (post) {
          verifyCode(x);
          return;
        }
      }
      case "/chat" -> {
        if (!x.viewer.loggedIn()) {
          x.redirect("/login");
          return;
        }
        if (get) {
          chatPage(x, 200, x.query("to"), "", Optional.empty());
          return;
        }
        if (post) {
          send(x);
          return;
        }
      }
      case "/events" -> {
        if (get) {
          if (!x.viewer.loggedIn()) {
            x.text(401, "text/plain; charset=UTF-8", "log in first\n");
          } else {
            events.serve(x);
          }
          return;
        }
      }
      case "/logout" -> {
        if (post) {
          logout(x);
          return;
        }
      }
      case "/sim", "/sim/" -> {
        if (ctx.handsets().isPresent()) {
          if (get) {
            simPage(x, 200, x.query("from"), Optional.empty());
            return;
          }
        }
      }
      case "/sim/send" -> {
        if (ctx.handsets().isPresent() && post) {
          simSend(x);
          return;
        }
      }
      default -> {
        if (p.startsWith("/r/") && get) {
          replyLink(x, p.substring(3));
          return;
        }
      }
    }
    message(x, 404, PageText.ERR_NOT_FOUND, "/");
  }

  // ---- login ----

  private void loginPage(Exchange x, int status, String phone, boolean codeStep, Optional<String> error) {
    Common c = common(x, Optional.empty(), error, Optional.empty());
    render(x, status, "login", new LoginView(c, wml(x, phone), codeStep));
  }

  private void requestCode(Exchange x) {
    if (!csrfOk(x)) {
      return;
    }
    String phone = x.form("phone").strip();
    CodeRequest r = ctx.login().requestCode(phone, x.clientAddress, x.lang);
    switch (r) {
      case CodeRequest.Sent s -> loginPage(x, 200, ctx.chat().numbers().display(s.msisdn()), true, Optional.empty());
      case CodeRequest.BadNumber b -> loginPage(x, 400, phone, false, Optional.of(t(x, PageText.ERR_BAD_NUMBER)));
      case CodeRequest.Stopped s -> loginPage(x, 403, phone, false, Optional.of(t(x, PageText.ERR_SMS_STOPPED)));
      case CodeRequest.Locked l -> {
        x.res.getHeaders().put("Retry-After", Long.toString(l.retryAfter().toSeconds()));
        loginPage(x, 429, phone, false, Optional.of(t(x, PageText.ERR_LOCKED, l.retryAfter().toMinutes())));
      }
    }
  }

  private void verifyCode(Exchange x) {
    if (!csrfOk(x)) {
      return;
    }
    String phone = x.form("phone").strip();
    Verification v = ctx.login().verify(phone, x.form("code"), x.clientAddress);
    switch (v) {
      case Verification.Ok ok -> {
        x.addCookie(SESSION_COOKIE, ok.sessionToken(), Duration.ofDays(30).toSeconds(), secureCookies);
        ctx.presence().online(ok.msisdn(), ctx.clock().instant());
        x.redirect("/chat");
      }
      case Verification.Wrong w -> loginPage(x, 400, phone, true, Optional.of(t(x, PageText.ERR_WRONG_CODE)));
      case Verification.Expired e -> loginPage(x, 400, phone, false, Optional.of(t(x, PageText.ERR_EXPIRED_CODE)));
      case Verification.BadNumber b -> loginPage(x, 400, phone, false, Optional.of(t(x, PageText.ERR_BAD_NUMBER)));
      case Verification.Locked l -> {
        x.res.getHeaders().put("Retry-After", Long.toString(l.retryAfter().toSeconds()));
        loginPage(x, 429, phone, true, Optional.of(t(x, PageText.ERR_LOCKED, l.retryAfter().toMinutes())));
      }
    }
  }

  private void logout(Exchange x) {
    if (!csrfOk(x)) {
      return;
    }
    x.viewer.sessionToken().ifPresent(ctx.login()::logout);
    x.viewer.msisdn().ifPresent(ctx.presence()::offline);
    x.addCookie(SESSION_COOKIE, "", 0, secureCookies);
    x.redirect("/");
  }

  // ---- chat ----

  private void send(Exchange x) {
    if (!csrfOk(x)) {
      return;
    }
    Msisdn me = x.viewer.msisdn().orElseThrow();
    String to = x.form("to");
    String text = x.form("text");
    String nonce = x.form("nonce");
    // The form's nonce makes a re-posted form (back button, double tap) the same message.
    String ref = Tokens.isToken(nonce, 32) ? "web:" + me.e164() + ":" + nonce : null;
    SendResult r = ctx.chat().send(me, to, text, Origin.WEB, ref);
    if (r instanceof SendResult.Sent s) {
      x.redirect("/chat?to=" + enc(s.message().target().id()));
      return;
    }
    SendResult.Rejected rej = (SendResult.Rejected) r;
    String shown = clip(to.strip(), 40);
    String error = switch (rej.problem()) {
      case EMPTY -> t(x, PageText.ERR_EMPTY);
      case TOO_LONG -> t(x, PageText.ERR_TOO_LONG, rej.detail());
      case BAD_TEXT -> t(x, PageText.ERR_BAD_TEXT);
      case BAD_TARGET -> shown.isEmpty() ? t(x, PageText.ERR_NO_PARTNER) : t(x, PageText.ERR_BAD_TARGET, shown);
      case UNKNOWN_GROUP -> t(x, PageText.ERR_UNKNOWN_GROUP, shown);
      case NOT_MEMBER -> t(x, PageText.ERR_NOT_MEMBER, rej.detail());
      case NO_PARTNER -> t(x, PageText.ERR_NO_PARTNER);
    };
    int status = switch (rej.problem()) {
      case NOT_MEMBER -> 403;
      case UNKNOWN_GROUP -> 404;
      default -> 400;
    };
    chatPage(x, status, to, clip(text, settings.maxChars() + 1), Optional.of(error));
  }

  private void chatPage(Exchange x, int status, String rawTo, String draftText, Optional<String> error) {
    Msisdn me = x.viewer.msisdn().orElseThrow();
    Instant now = ctx.clock().instant();
    boolean wml = x.format == Format.WML;
    ChatService chat = ctx.chat();

    Optional<Target> target = rawTo.isBlank() ? Optional.empty() : chat.numbers().target(rawTo);
    if (!rawTo.isBlank() && target.isEmpty() && error.isEmpty()) {
      error = Optional.of(t(x, PageText.ERR_BAD_TARGET, clip(rawTo.strip(), 40)));
      status = 400;
    }
    if (target.isPresent() && target.get() instanceof GroupId g) {
      var group = chat.group(g);
      if (group.isEmpty()) {
        if (error.isEmpty()) {
          error = Optional.of(t(x, PageText.ERR_UNKNOWN_GROUP, g.value()));
          status = 404;
        }
        target = Optional.empty();
      } else if (!group.get().hasMember(me)) {
        if (error.isEmpty()) {
          error = Optional.of(t(x, PageText.ERR_NOT_MEMBER, g.value()));
          status = 403;
        }
        target = Optional.empty();
      }
    }

    // New messages: kept while offline (P2.11) and those waiting for this fetch (P2.4).
    List<MessageStore.Item> unseen = ctx.store().unseen(me, now, wml ? 3 : 20);
    List<ChatView.Fresh> fresh = new ArrayList<>();
    for (MessageStore.Item i : unseen) {
      fresh.add(fresh(x, i));
    }
    ctx.stage().shown(unseen);

    Optional<ChatView.Partner> partner = target.map(tg -> partnerRow(x, tg, me));
    List<ChatView.Line> lines = new ArrayList<>();
    if (target.isPresent()) {
      for (Message m : chat.conversation(me, target.get(), wml ? 4 : 30)) {
        boolean mine = m.sender().map(me::equals).orElse(false);
        String from = mine ? t(x, PageText.YOU) : m.sender().map(chat::label).orElse("chatgate");
        lines.add(new ChatView.Line(wml(x, from), mine, body(x, m.body()), TIME.format(m.acceptedAt())));
      }
    }
    int limit = wml ? ("1".equals(x.query("all")) ? 30 : 9) : 50;
    List<PartnerView> all = chat.partners(me, limit + 1);
    List<ChatView.Partner> partners = new ArrayList<>();
    for (PartnerView pv : all.subList(0, Math.min(limit, all.size()))) {
      partners.add(new ChatView.Partner(wml(x, pv.target().id()), wml(x, pv.label()), pv.online(), pv.group(),
          "/chat?to=" + enc(pv.target().id())));
    }
    String draftTo = target.map(Target::id).orElse(rawTo.strip());
    boolean auto = !"0".equals(x.query("auto"));
    String self = "/chat" + target.map(tg -> "?to=" + enc(tg.id())).orElse("");
    String sep = self.contains("?") ? "&" : "?";
    Common.Refresh refresh = new Common.Refresh((int) settings.refresh().toSeconds(), self,
        auto, self + sep + "auto=" + (auto ? "0" : "1"));
    Common c = new Common(new T(x.lang), t(x, PageText.TITLE), Optional.of(wml(x, chat.label(me))), csrf(x),
        Optional.of(refresh), error, Optional.empty());
    ChatView v = new ChatView(c, fresh, partner, lines, partners, all.size() > limit, wml(x, clip(draftTo, 40)),
        wml(x, draftText), Tokens.random(16), settings.maxChars());
    render(x, status, "chat", v);
  }

  private ChatView.Fresh fresh(Exchange x, MessageStore.Item i) {
    Message m = i.message();
    String from = m.sender().map(ctx.chat()::label).orElse("chatgate");
    String group = m.group().map(g -> ctx.chat().group(g).map(gr -> gr.name()).orElse(g.value())).orElse("");
    return new ChatView.Fresh(wml(x, from), wml(x, group), body(x, m.body()), "/r/" + i.delivery().replyToken(),
        TIME.format(m.acceptedAt()));
  }

  private ChatView.Partner partnerRow(Exchange x, Target tg, Msisdn me) {
    boolean group = tg instanceof GroupId;
    String label = group
        ? ctx.chat().group((GroupId) tg).map(g -> g.name()).orElse(tg.id())
        : ctx.chat().label((Msisdn) tg);
    boolean online = !group && ctx.presence().presence((Msisdn) tg, ctx.clock().instant()).online();
    return new ChatView.Partner(wml(x, tg.id()), wml(x, label), online, group, "/chat?to=" + enc(tg.id()));
  }

  /**
   * A reply link (P2.7): the reply page with the sender (or group) chosen. It also logs in the
   * phone it was sent to, since only that phone got the SMS (P2.12); someone else's session is
   * refused rather than switched.
   */
  private void replyLink(Exchange x, String token) {
    Optional<ReplyContext> r = ctx.chat().reply(token);
    if (r.isEmpty()) {
      message(x, 404, PageText.ERR_LINK, "/");
      return;
    }
    ReplyContext rc = r.get();
    if (x.viewer.loggedIn()) {
      if (!x.viewer.msisdn().get().equals(rc.recipient())) {
        message(x, 403, PageText.ERR_OTHER_PHONE, "/chat");
        return;
      }
    } else {
      String session = ctx.login().openSession(rc.recipient());
      x.addCookie(SESSION_COOKIE, session, Duration.ofDays(30).toSeconds(), secureCookies);
      ctx.presence().pageFetched(rc.recipient(), ctx.clock().instant());
      log.info("reply link logged in {}", rc.recipient().masked());
    }
    x.redirect("/chat?to=" + enc(rc.partner().id()));
  }

  // ---- simulator ----

  private void simPage(Exchange x, int status, String from, Optional<String> error) {
    VirtualHandsets h = ctx.handsets().orElseThrow();
    List<SimView.Handset> rows = new ArrayList<>();
    for (Msisdn m : h.handsets()) {
      List<SimView.Sms> inbox = new ArrayList<>();
      for (VirtualHandsets.HandsetSms s : h.inbox(m, 20)) {
        String link = s.wapPushUrl().orElseGet(() -> {
          Matcher u = URL.matcher(s.text());
          return u.find() ? u.group() : "";
        });
        inbox.add(new SimView.Sms(s.from(), s.text(), link, s.wapPushUrl().isPresent(), TIME.format(s.at())));
      }
      rows.add(new SimView.Handset(m.e164(), inbox));
    }
    Common c = new Common(new T(x.lang), t(x, PageText.SIM_TITLE), Optional.empty(), csrf(x), Optional.empty(), error,
        Optional.empty());
    // The simulator is a developer's page: always HTML.
    String html = renderString(Format.HTML, "sim", new SimView(c, h.serviceNumber(), rows, clip(from, 32)));
    x.page(status, Format.HTML, html);
  }

  private void simSend(Exchange x) {
    if (!csrfOk(x)) {
      return;
    }
    String from = x.form("from");
    Optional<Msisdn> m = ctx.chat().numbers().parse(from);
    if (m.isEmpty()) {
      simPage(x, 400, from, Optional.of(t(x, PageText.ERR_BAD_NUMBER)));
      return;
    }
    ctx.handsets().get().sendMo(m.get(), x.form("text"));
    x.redirect("/sim/?from=" + enc(m.get().e164()));
  }

  // ---- helpers ----

  private boolean csrfOk(Exchange x) {
    if (ctx.login().checkCsrf(x.viewer.principal(), x.form("csrf")) && !x.viewer.principal().isEmpty()) {
      return true;
    }
    log.info("CSRF check failed for {} {} from {}", x.method, x.path, x.clientAddress);
    message(x, 403, PageText.ERR_CSRF, x.path.startsWith("/sim") ? "/sim/" : "/");
    return false;
  }

  /** The form token of this viewer; a visitor without one gets a pre-login cookie to bind it to. */
  private String csrf(Exchange x) {
    if (x.viewer.principal().isEmpty()) {
      String pre = Tokens.random(24);
      x.addCookie(PRE_COOKIE, pre, Duration.ofDays(1).toSeconds(), secureCookies);
      x.viewer = new Viewer(Optional.empty(), "p:" + pre, Optional.empty(), false);
    }
    return ctx.login().csrf(x.viewer.principal());
  }

  private Common common(Exchange x, Optional<String> me, Optional<String> error, Optional<String> notice) {
    return new Common(new T(x.lang), t(x, PageText.TITLE), me, csrf(x), Optional.empty(), error, notice);
  }

  private void message(Exchange x, int status, PageText text, String back) {
    Common c = common(x, x.viewer.msisdn().map(ctx.chat()::label).map(l -> wml(x, l)), Optional.empty(),
        Optional.empty());
    render(x, status, "message", new MessageView(c, t(x, text), back, t(x, PageText.BACK)));
  }

  private void render(Exchange x, int status, String page, Object view) {
    x.page(status, x.format, renderString(x.format, page, view));
  }

  private String renderString(Format f, String page, Object view) {
    String dir = switch (f) {
      case HTML -> "html";
      case XHTML_MP -> "xhtml";
      case WML -> "wml";
    };
    StringOutput out = new StringOutput();
    templates.render(dir + "/" + page + ".jte", view, out);
    return out.toString();
  }

  private String t(Exchange x, PageText key, Object... args) {
    return x.format == Format.WML ? wmlEscape(key.in(x.lang, args)) : key.in(x.lang, args);
  }

  /** User text for the page: in WML, '$' starts a variable, so it is doubled. */
  private static String wml(Exchange x, String s) {
    return x.format == Format.WML ? wmlEscape(s) : s;
  }

  private static String wmlEscape(String s) {
    return s.replace("$", "$$");
  }

  private static String body(Exchange x, String body) {
    String b = x.format == Format.WML ? clip(body, WML_BODY) : body;
    return wml(x, b);
  }

  private static String clip(String s, int max) {
    if (s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void staticFile(Exchange x, String name) {
    String type = name.endsWith(".js") ? "text/javascript; charset=UTF-8"
        : name.endsWith(".css") ? "text/css; charset=UTF-8" : null;
    if (type == null || !name.matches("[a-z0-9_-]+\\.(js|css)")) {
      x.text(404, "text/plain; charset=UTF-8", "not found\n");
      return;
    }
    try (InputStream in = ChatHandler.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        x.text(404, "text/plain; charset=UTF-8", "not found\n");
        return;
      }
      x.text(200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      x.text(500, "text/plain; charset=UTF-8", "error\n");
    }
  }

  SseHub hub() {
    return hub;
  }
}
