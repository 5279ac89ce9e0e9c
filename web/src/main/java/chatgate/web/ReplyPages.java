package chatgate.web;

import chatgate.core.auth.Tokens;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.ChatService.ReplyContext;
import chatgate.core.chat.SendResult;
import chatgate.core.model.GroupId;
import chatgate.core.model.Message;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.web.Exchange.Viewer;
import chatgate.web.view.ChatView;
import chatgate.web.view.Common;
import chatgate.web.view.ReplyView;
import chatgate.web.view.T;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reply links (P2.7, P2.12, ADR 0014). The recipient's logged-in browser is sent to the chat page
 * with the sender chosen. A browser without a session claims the link on its first open: it gets
 * a reply session (a cookie for this link's path only, living no longer than the link) that shows
 * this one conversation from the linked message on and answers only its partner; it is not a
 * login, marks no one online, and shows nothing else. Any other browser opening a claimed link is
 * told to log in with the phone number, since whoever holds a copy of the SMS text is not the
 * recipient.
 */
final class ReplyPages {
  private static final Logger log = LoggerFactory.getLogger(ReplyPages.class);
  /** The reply session's cookie; its path is the link, so each link has its own. */
  static final String COOKIE = "cg_r";
  private static final int SECRET_LENGTH = 32;

  private final Pages pages;
  private final WebContext ctx;
  private final WebSettings settings;
  private final boolean secureCookies;
  private final Times times;

  ReplyPages(Pages pages, WebSettings settings, Times times) {
    this.pages = pages;
    this.ctx = pages.ctx;
    this.settings = settings;
    this.secureCookies = pages.secureCookies;
    this.times = times;
  }

  /** A link this browser may use, with its claim; empty once the answer (404, redirect, "used") is given. */
  private record Access(ReplyContext rc, String claim) {}

  private Optional<Access> access(Exchange x, String token, boolean claimIfFree) {
    Optional<ReplyContext> r = ctx.chat().reply(token);
    if (r.isEmpty()) {
      pages.message(x, 404, PageText.ERR_LINK, "/");
      return Optional.empty();
    }
    ReplyContext rc = r.get();
    if (x.viewer.loggedIn()) {
      loggedIn(x, rc);
      return Optional.empty();
    }
    return claim(x, token, rc, claimIfFree).map(c -> new Access(rc, c));
  }

  /** GET /r/TOKEN. */
  void open(Exchange x, String token) {
    access(x, token, true).ifPresent(a -> page(x, 200, a.rc(), token, a.claim(), "", Optional.empty()));
  }

  /** POST /r/TOKEN: an answer from the reply page, to the link's partner only. */
  void send(Exchange x, String token) {
    Optional<Access> access = access(x, token, false);
    if (access.isEmpty()) {
      return;
    }
    ReplyContext rc = access.get().rc();
    String claim = access.get().claim();
    if (!pages.csrfOk(x)) {
      return;
    }
    Msisdn me = rc.recipient();
    String text = x.form("text");
    String nonce = x.form("nonce");
    String ref = Tokens.isToken(nonce, 32) ? "web:" + me.e164() + ":" + nonce : null;
    SendResult s = ctx.chat().send(me, rc.partner(), text, Origin.WEB, ref);
    if (s instanceof SendResult.Sent) {
      x.redirect("/r/" + token);
      return;
    }
    Pages.Refusal refusal = pages.refusal(x, (SendResult.Rejected) s, rc.partner().id());
    page(x, refusal.status(), rc, token, claim, Pages.clip(text, settings.maxChars() + 1),
        Optional.of(refusal.text()));
  }

  /** A logged-in phone (by session or a trusted MSISDN header): its own link leads to the chat page. */
  private void loggedIn(Exchange x, ReplyContext rc) {
    if (!x.viewer.msisdn().get().equals(rc.recipient())) {
      pages.message(x, 403, PageText.ERR_OTHER_PHONE, "/chat");
      return;
    }
    x.redirect("/chat?to=" + Pages.enc(rc.partner().id()));
  }

  /**
   * The hash of this browser's reply-session secret if the link is (now) this browser's; else
   * the "already used" page has been answered. A browser without the cookie claims the link
   * only when {@code mayClaim} (opening it, not posting to it).
   */
  private Optional<String> claim(Exchange x, String token, ReplyContext rc, boolean mayClaim) {
    Optional<String> held = x.cookie(COOKIE).filter(c -> Tokens.isToken(c, SECRET_LENGTH)
        && c.length() == SECRET_LENGTH);
    String secret = held.orElseGet(() -> mayClaim ? Tokens.random(SECRET_LENGTH) : null);
    if (secret != null) {
      String hash = Tokens.sha256(secret);
      if (ctx.chat().claimReply(rc, hash)) {
        if (held.isEmpty()) {
          long left = Duration.between(ctx.clock().instant(), rc.expiresAt()).toSeconds();
          x.addCookie(COOKIE, secret, "/r/" + token, Math.max(1, left), secureCookies);
          log.info("reply link of {} opened: reply session for one conversation", rc.recipient().masked());
        }
        x.viewer = new Viewer(Optional.empty(), "r:" + hash, Optional.empty(), false);
        return Optional.of(hash);
      }
    }
    log.info("reply link of {} refused: already opened on another device", rc.recipient().masked());
    pages.message(x, 403, PageText.ERR_LINK_USED, "/login");
    return Optional.empty();
  }

  private void page(Exchange x, int status, ReplyContext rc, String token, String claim, String draft,
      Optional<String> error) {
    ChatService chat = ctx.chat();
    boolean wml = x.format == Format.WML;
    Msisdn me = rc.recipient();
    List<ChatView.Line> lines = new ArrayList<>();
    List<Message> shown = chat.replyConversation(rc, wml ? 4 : 30);
    // The link's holder read this conversation (ADR 0047); its times in their zone (ADR 0048).
    ctx.inbox().read(me, rc.partner(), shown);
    ZoneId zone = times.zone(chat.contacts().timeZone(me));
    for (Message m : shown) {
      boolean mine = m.sender().map(me::equals).orElse(false);
      String from = mine ? pages.t(x, PageText.YOU) : m.sender().map(chat::label).orElse("chatgate");
      lines.add(new ChatView.Line(Pages.wml(x, from), mine, Pages.body(x, m.body()),
          times.stamp(m.acceptedAt(), zone, x.lang)));
    }
    boolean group = rc.partner() instanceof GroupId;
    String label = group
        ? chat.group((GroupId) rc.partner()).map(g -> g.name()).orElse(rc.partner().id())
        : chat.label((Msisdn) rc.partner());
    String self = "/r/" + token;
    // Only the watching page reloads itself: the one with the form never does (ADR 0038).
    boolean watch = "1".equals(x.query("watch"));
    Common.Refresh refresh = new Common.Refresh((int) settings.refresh().toSeconds(), watch ? self + "?watch=1" : self, watch,
        watch ? self : self + "?watch=1");
    Common c = new Common(new T(x.lang), pages.t(x, PageText.TITLE), Optional.empty(),
        ctx.login().csrf("r:" + claim), Optional.of(refresh), error, Optional.empty());
    ReplyView v = new ReplyView(c, Pages.wml(x, label), group, lines, self, Pages.wml(x, draft),
        Tokens.random(16), settings.maxChars(), watch);
    pages.render(x, status, "reply", v);
  }
}
