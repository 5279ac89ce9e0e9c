package chatgate.web;

import chatgate.core.auth.LoginService.CodeRequest;
import chatgate.core.auth.LoginService.Verification;
import chatgate.web.view.Common;
import chatgate.web.view.LoginView;
import java.time.Duration;
import java.util.Optional;

/** Login by one-time SMS code (P2.14), and logout. */
final class LoginPages {
  private final Pages pages;
  private final WebContext ctx;

  LoginPages(Pages pages) {
    this.pages = pages;
    this.ctx = pages.ctx;
  }

  /** GET / and /login: the chat page for a logged-in phone, else the phone number step. */
  void entry(Exchange x) {
    if (x.viewer.loggedIn()) {
      x.redirect("/chat");
    } else {
      page(x, 200, "", false, Optional.empty());
    }
  }

  private void page(Exchange x, int status, String phone, boolean codeStep, Optional<String> error) {
    Common c = pages.common(x, Optional.empty(), error, Optional.empty());
    pages.render(x, status, "login", new LoginView(c, Pages.wml(x, phone), codeStep));
  }

  /** POST /login: a code by SMS. */
  void requestCode(Exchange x) {
    if (!pages.csrfOk(x)) {
      return;
    }
    String phone = x.form("phone").strip();
    CodeRequest r = ctx.login().requestCode(phone, x.rateKey, x.lang);
    switch (r) {
      case CodeRequest.Sent s -> page(x, 200, ctx.chat().numbers().display(s.msisdn()), true, Optional.empty());
      case CodeRequest.BadNumber b -> page(x, 400, phone, false, Optional.of(pages.t(x, PageText.ERR_BAD_NUMBER)));
      case CodeRequest.Stopped s -> page(x, 403, phone, false, Optional.of(pages.t(x, PageText.ERR_SMS_STOPPED)));
      case CodeRequest.Locked l -> {
        x.res.getHeaders().put("Retry-After", Long.toString(l.retryAfter().toSeconds()));
        page(x, 429, phone, false, Optional.of(pages.t(x, PageText.ERR_LOCKED, minutes(l.retryAfter()))));
      }
      case CodeRequest.Busy b -> {
        // Which limit tripped is not told: a pumping run learns nothing about how to stay under it.
        x.res.getHeaders().put("Retry-After", Long.toString(b.retryAfter().toSeconds()));
        page(x, 429, phone, false, Optional.of(pages.t(x, PageText.ERR_CODES_BUSY, minutes(b.retryAfter()))));
      }
      case CodeRequest.NotAllowed n ->
          page(x, 403, phone, false, Optional.of(pages.t(x, PageText.ERR_CODE_NOT_ALLOWED)));
    }
  }

  /** Whole minutes, rounded up: "try again in 0 minutes" would be wrong. */
  private static long minutes(Duration d) {
    return Math.max(1, (d.toSeconds() + 59) / 60);
  }

  /** POST /login/code. */
  void verifyCode(Exchange x) {
    if (!pages.csrfOk(x)) {
      return;
    }
    String phone = x.form("phone").strip();
    Verification v = ctx.login().verify(phone, x.form("code"), x.rateKey);
    switch (v) {
      case Verification.Ok ok -> {
        x.addCookie(Pages.SESSION_COOKIE, ok.sessionToken(), Duration.ofDays(30).toSeconds(), pages.secureCookies);
        ctx.presence().online(ok.msisdn(), ctx.clock().instant());
        x.redirect("/chat");
      }
      case Verification.Wrong w -> page(x, 400, phone, true, Optional.of(pages.t(x, PageText.ERR_WRONG_CODE)));
      case Verification.Expired e -> page(x, 400, phone, false, Optional.of(pages.t(x, PageText.ERR_EXPIRED_CODE)));
      case Verification.BadNumber b -> page(x, 400, phone, false, Optional.of(pages.t(x, PageText.ERR_BAD_NUMBER)));
      case Verification.Locked l -> {
        x.res.getHeaders().put("Retry-After", Long.toString(l.retryAfter().toSeconds()));
        page(x, 429, phone, true, Optional.of(pages.t(x, PageText.ERR_LOCKED, minutes(l.retryAfter()))));
      }
    }
  }

  /** POST /logout. */
  void logout(Exchange x) {
    if (!pages.csrfOk(x)) {
      return;
    }
    x.viewer.sessionToken().ifPresent(ctx.login()::logout);
    x.viewer.msisdn().ifPresent(ctx.presence()::offline);
    x.addCookie(Pages.SESSION_COOKIE, "", 0, pages.secureCookies);
    x.redirect("/");
  }
}
