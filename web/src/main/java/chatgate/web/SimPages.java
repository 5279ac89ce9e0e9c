package chatgate.web;

import chatgate.core.model.Msisdn;
import chatgate.core.port.VirtualHandsets;
import chatgate.web.view.Common;
import chatgate.web.view.SimView;
import chatgate.web.view.T;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /sim/}: the built-in SMSC simulator's virtual handsets, a developer's page (always HTML). */
final class SimPages {
  private static final Logger log = LoggerFactory.getLogger(SimPages.class);
  private static final Pattern URL = Pattern.compile("https?://\\S+");

  private final Pages pages;
  private final WebContext ctx;
  private final SimGate gate;
  private final Times times;

  SimPages(Pages pages, Times times) {
    this.pages = pages;
    this.ctx = pages.ctx;
    this.gate = new SimGate(pages.settings.host(), pages.settings.simPassword());
    this.times = times;
  }

  boolean present() {
    return ctx.handsets().isPresent();
  }

  /** GET /sim/. */
  void page(Exchange x) {
    if (allowed(x)) {
      page(x, 200, x.query("from"), Optional.empty());
    }
  }

  /** POST /sim/send: an SMS from any number to the service number. */
  void send(Exchange x) {
    if (!allowed(x) || !pages.csrfOk(x)) {
      return;
    }
    String from = x.form("from");
    Optional<Msisdn> m = ctx.chat().numbers().parse(from);
    if (m.isEmpty()) {
      page(x, 400, from, Optional.of(pages.t(x, PageText.ERR_BAD_NUMBER)));
      return;
    }
    ctx.handsets().get().sendMo(m.get(), x.form("text"));
    x.redirect("/sim/?from=" + Pages.enc(m.get().e164()));
  }

  /** Whether this request may use the simulator's pages; if not, the answer is given. */
  private boolean allowed(Exchange x) {
    switch (gate.check(x.header("Authorization"))) {
      case OPEN -> {
        return true;
      }
      case ASK_PASSWORD -> {
        x.res.getHeaders().put("WWW-Authenticate", "Basic realm=\"chatgate simulator\", charset=\"UTF-8\"");
        pages.message(x, 401, PageText.SIM_PASSWORD, "/");
        return false;
      }
      default -> {
        log.info("refused /sim/ from {}: the listener is not loopback and [simulator] password is empty",
            x.clientAddress);
        pages.message(x, 403, PageText.SIM_LOOPBACK_ONLY, "/");
        return false;
      }
    }
  }

  private void page(Exchange x, int status, String from, Optional<String> error) {
    VirtualHandsets h = ctx.handsets().orElseThrow();
    List<SimView.Handset> rows = new ArrayList<>();
    for (Msisdn m : h.handsets()) {
      List<SimView.Sms> inbox = new ArrayList<>();
      for (VirtualHandsets.HandsetSms s : h.conversation(m, 20)) {
        String link = s.wapPushUrl().orElseGet(() -> {
          Matcher u = URL.matcher(s.text());
          return u.find() ? u.group() : "";
        });
        inbox.add(new SimView.Sms(s.from(), s.text(), link, s.wapPushUrl().isPresent(),
            times.stamp(s.at(), times.zone(x), x.lang), s.outgoing()));
      }
      rows.add(new SimView.Handset(m.e164(), inbox));
    }
    Common c = new Common(new T(x.lang), pages.t(x, PageText.SIM_TITLE), Optional.empty(), pages.csrf(x),
        Optional.empty(), error, Optional.empty());
    String html = pages.renderString(Format.HTML, "sim", new SimView(c, h.serviceNumber(), rows, Pages.clip(from, 32)));
    x.page(status, Format.HTML, html);
  }
}
