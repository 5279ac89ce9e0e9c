package chatgate.web;

import chatgate.core.auth.LoginService;
import chatgate.core.auth.LoginService.CodeRequest;
import chatgate.core.auth.LoginService.Verification;
import chatgate.core.auth.Tokens;
import chatgate.core.chat.ChatService;
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
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
  private static final Pattern URL = Pattern.compile("https?://\\S+");
  /** WML decks must stay small for WAP 1.x handsets: fewer items, shorter texts. */
  private static final int WML_BODY = 60;

  private final WebSettings settings;
  private final WebContext ctx;
  private final SseHub hub;
  private final ClientAddress addresses;
  private final SimGate sim;
  private final boolean secureCookies;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private final EventStream events;
  private final ReplyPages replies;
  private final PeoplePages people;
  private final chatgate.core.chat.SentStatus sent;

  ChatHandler(WebSettings settings, WebContext ctx, SseHub hub) {
    this.settings = settings;
    this.ctx = ctx;
    this.hub = hub;
    this.addresses = new ClientAddress(settings.realIpFrom(), settings.trustedProxies());
    this.sim = new SimGate(settings.host(), settings.simPassword());
    this.secureCookies = settings.publicUrl().startsWith("https://");
    this.events = new EventStream(ctx, hub);
    this.replies = new ReplyPages(this, ctx, settings, secureCookies);
    this.people = new PeoplePages(this, ctx);
    this.sent = new chatgate.core.chat.SentStatus(ctx.store(), ctx.chat()::label);
  }

  @Override
  public boolean handle(Request req, Response res, Callback cb) {
    ClientAddress.Client client = addresses.of(Request.getRemoteAddr(req),
        req.getHeaders().getValuesList("X-Forwarded-For"));
    Exchange x = new Exchange(req, res, cb, client.address());
    try {
      List<String> msisdn = req.getHeaders().getValuesList(settings.msisdnHeader());
      if (client.msisdnTrusted() && (msisdn.size() > 1 || msisdn.stream().anyMatch(v -> v.contains(",")))) {
        // A proxy that appends rather than replaces would let the client's own header through:
        // picking one would be picking the attacker's half the time.
        log.warn("refused a request from {} with {} {} header values", x.clientAddress, msisdn.size(),
            settings.msisdnHeader());
        x.viewer = new Viewer(Optional.empty(), "", Optional.empty(), false);
        message(x, 400, PageText.ERR_TWO_MSISDN, "/");
        return true;
      }
      x.viewer = viewer(x, client.msisdnTrusted());
      route(x);
    } catch (BadRequest e) {
      if (x.viewer == null) {
        x.viewer = new Viewer(Optional.empty(), "", Optional.empty(), false);
      }
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

  /**
   * Who is asking. An MSISDN header counts only when a trusted gateway vouches for it (any
   * client can forge one); otherwise the session cookie decides.
   */
  private Viewer viewer(Exchange x, boolean msisdnTrusted) {
    String header = x.header(settings.msisdnHeader());
    if (header != null && msisdnTrusted) {
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
      case "/people" -> {
        if (!x.viewer.loggedIn()) {
          x.redirect("/login");
          return;
        }
        if (get) {
          people.show(x);
          return;
        }
        if (post) {
          people.act(x);
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
      case "/events/ack" -> {
        if (post) {
          if (!x.viewer.loggedIn()) {
            x.text(401, "text/plain; charset=UTF-8", "log in first\n");
          } else if (csrfOk(x)) {
            events.acknowledge(x);
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
        if (ctx.handsets().isPresent() && get) {
          if (simAllowed(x)) {
            simPage(x, 200, x.query("from"), Optional.empty());
          }
          return;
        }
      }
      case "/sim/send" -> {
        if (ctx.handsets().isPresent() && post) {
          if (simAllowed(x)) {
            simSend(x);
          }
          return;
        }
      }
      default -> {
        if (p.startsWith("/r/") && get) {
          replies.open(x, p.substring(3));
          return;
        }
        if (p.startsWith("/r/") && post) {
          replies.send(x, p.substring(3));
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
    CodeRequest r = ctx.login().requestCode(phone, x.rateKey, x.lang);
    switch (r) {
      case CodeRequest.Sent s -> loginPage(x, 200, ctx.chat().numbers().display(s.msisdn()), true, Optional.empty());
      case CodeRequest.BadNumber b -> loginPage(x, 400, phone, false, Optional.of(t(x, PageText.ERR_BAD_NUMBER)));
      case CodeRequest.Stopped s -> loginPage(x, 403, phone, false, Optional.of(t(x, PageText.ERR_SMS_STOPPED)));
      case CodeRequest.Locked l -> {
        x.res.getHeaders().put("Retry-After", Long.toString(l.retryAfter().toSeconds()));
        loginPage(x, 429, phone, false, Optional.of(t(x, PageText.ERR_LOCKED, minutes(l.retryAfter()))));
      }
      case CodeRequest.Busy b -> {
        // Which limit tripped is not told: a pumping run learns nothing about how to stay under it.
        x.res.getHeaders().put("Retry-After", Long.toString(b.retryAfter().toSeconds()));
        loginPage(x, 429, phone, false, Optional.of(t(x, PageText.ERR_CODES_BUSY, minutes(b.retryAfter()))));
      }
      case CodeRequest.NotAllowed n -> loginPage(x, 403, phone, false, Optional.of(t(x, PageText.ERR_CODE_NOT_ALLOWED)));
    }
  }

  /** Whole minutes, rounded up: "try again in 0 minutes" would be wrong. */
  private static long minutes(Duration d) {
    return Math.max(1, (d.toSeconds() + 59) / 60);
  }

  private void verifyCode(Exchange x) {
    if (!csrfOk(x)) {
      return;
    }
    String phone = x.form("phone").strip();
    Verification v = ctx.login().verify(phone, x.form("code"), x.rateKey);
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
        loginPage(x, 429, phone, true, Optional.of(t(x, PageText.ERR_LOCKED, minutes(l.retryAfter()))));
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
    Refusal refusal = refusal(x, (SendResult.Rejected) r, clip(to.strip(), 40));
    chatPage(x, refusal.status(), to, clip(text, settings.maxChars() + 1), Optional.of(refusal.text()));
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

  private void chatPage(Exchange x, int status, String rawTo, String draftText, Optional<String> error) {
    Msisdn me = x.viewer.msisdn().orElseThrow();
    Instant now = ctx.clock().instant();
    boolean wml = x.format == Format.WML;
    ChatService chat = ctx.chat();

    Optional<Target> target = rawTo.isBlank() ? Optional.empty() : chat.contacts().resolve(me, rawTo);
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
      int n = wml ? 4 : 30;
      // The viewer's own lines say what became of them, as of this fetch (issue 16): no script needed.
      var states = sent.byMessage(me, target.get(), n);
      for (Message m : chat.conversation(me, target.get(), n)) {
        boolean mine = m.sender().map(me::equals).orElse(false);
        String from = mine ? t(x, PageText.YOU) : m.sender().map(snd -> chat.label(me, snd)).orElse("chatgate");
        Optional<ChatView.State> state = mine ? Optional.ofNullable(states.get(m.id())).map(r -> state(x, r))
            : Optional.empty();
        lines.add(new ChatView.Line(wml(x, from), mine, body(x, m.body()), TIME.format(m.acceptedAt()), state));
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

  private static ChatView.State state(Exchange x, chatgate.core.model.SentReport r) {
    ChatView.State s = SentStateText.of(x.lang, r);
    return new ChatView.State(s.msg(), wml(x, s.text()), wml(x, s.title()), s.cls());
  }

  private ChatView.Fresh fresh(Exchange x, MessageStore.Item i) {
    Message m = i.message();
    String from = m.sender().map(snd -> ctx.chat().label(i.delivery().recipient(), snd)).orElse("chatgate");
    String group = m.group().map(g -> ctx.chat().group(g).map(gr -> gr.name()).orElse(g.value())).orElse("");
    return new ChatView.Fresh(wml(x, from), wml(x, group), body(x, m.body()), "/r/" + ctx.chat().replyToken(i.delivery().id()),
        TIME.format(m.acceptedAt()));
  }

  private ChatView.Partner partnerRow(Exchange x, Target tg, Msisdn me) {
    boolean group = tg instanceof GroupId;
    String label = group
        ? ctx.chat().group((GroupId) tg).map(g -> g.name()).orElse(tg.id())
        : ctx.chat().label(me, (Msisdn) tg);
    boolean online = !group && ctx.presence().presence((Msisdn) tg, ctx.clock().instant()).online();
    return new ChatView.Partner(wml(x, tg.id()), wml(x, label), online, group, "/chat?to=" + enc(tg.id()));
  }

  // ---- simulator ----

  /** Whether this request may use the simulator's pages; if not, the answer is given. */
  private boolean simAllowed(Exchange x) {
    switch (sim.check(x.header("Authorization"))) {
      case OPEN -> {
        return true;
      }
      case ASK_PASSWORD -> {
        x.res.getHeaders().put("WWW-Authenticate", "Basic realm=\"chatgate simulator\", charset=\"UTF-8\"");
        message(x, 401, PageText.SIM_PASSWORD, "/");
        return false;
      }
      default -> {
        log.info("refused /sim/ from {}: the listener is not loopback and [simulator] password is empty",
            x.clientAddress);
        message(x, 403, PageText.SIM_LOOPBACK_ONLY, "/");
        return false;
      }
    }
  }

  private void simPage(Exchange x, int status, String from, Optional<String> error) {
    VirtualHandsets h = ctx.handsets().orElseThrow();
    List<SimView.Handset> rows = new ArrayList<>();
    for (Msisdn m : h.handsets()) {
      List<SimView.Sms> inbox = new ArrayList<>();
      for (VirtualHandsets.HandsetSms s : h.conversation(m, 20)) {
        String link = s.wapPushUrl().orElseGet(() -> {
          Matcher u = URL.matcher(s.text());
          return u.find() ? u.group() : "";
        });
        inbox.add(new SimView.Sms(s.from(), s.text(), link, s.wapPushUrl().isPresent(), TIME.format(s.at()), s.outgoing()));
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

  boolean csrfOk(Exchange x) {
    if (ctx.login().checkCsrf(x.viewer.principal(), x.form("csrf")) && !x.viewer.principal().isEmpty()) {
      return true;
    }
    log.info("CSRF check failed for {} {} from {}", x.method, x.path, x.clientAddress);
    message(x, 403, PageText.ERR_CSRF, x.path.startsWith("/sim") ? "/sim/" : "/");
    return false;
  }

  String csrfToken(Exchange x) {
    return csrf(x);
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

  void message(Exchange x, int status, PageText text, String back) {
    Common c = common(x, x.viewer.msisdn().map(ctx.chat()::label).map(l -> wml(x, l)), Optional.empty(),
        Optional.empty());
    render(x, status, "message", new MessageView(c, t(x, text), back, t(x, PageText.BACK)));
  }

  void render(Exchange x, int status, String page, Object view) {
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
