package chatgate.web;

import chatgate.core.model.MaskedFailure;
import chatgate.core.model.Msisdn;
import chatgate.core.port.AuthStore.WebSession;
import chatgate.web.Exchange.BadRequest;
import chatgate.web.Exchange.Viewer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat service over HTTP (P2.1–P2.14): who is asking, and the route table to the page
 * classes (login, chat, reply links, the simulator's handsets) and the operator's endpoints.
 * Every page exists in HTML, XHTML-MP and WML; every text in English and Chinese; every user
 * string is escaped by the templates (WML also doubles '$').
 */
final class ChatHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(ChatHandler.class);

  /** Who may use a route: anyone, or a logged-in phone (others go to the login, or get 401). */
  private enum Access { ANYONE, PHONE_PAGE, PHONE_API }

  private record Route(Access access, Consumer<Exchange> action) {}

  private final WebSettings settings;
  private final WebContext ctx;
  private final ClientAddress addresses;
  private final Pages pages;
  private final EventStream events;
  private final ReplyPages replies;
  private final Map<String, Route> routes = new HashMap<>();

  ChatHandler(WebSettings settings, WebContext ctx, SseHub hub) {
    this.settings = settings;
    this.ctx = ctx;
    this.addresses = new ClientAddress(settings.realIpFrom(), settings.trustedProxies());
    this.pages = new Pages(settings, ctx);
    Times times = new Times(settings.timeZone().orElse(ZoneId.systemDefault()), ctx.clock(),
        ctx.chat().contacts()::timeZone);
    this.events = new EventStream(ctx, hub, times);
    this.replies = new ReplyPages(pages, settings, times);
    LoginPages login = new LoginPages(pages);
    ChatPages chat = new ChatPages(pages, times);

    on("GET", "/healthz", Access.ANYONE, x -> x.text(200, "text/plain; charset=UTF-8", "ok\n"));
    on("GET", "/readyz", Access.ANYONE, this::readiness);
    on("GET", "/", Access.ANYONE, login::entry);
    on("GET", "/login", Access.ANYONE, login::entry);
    on("POST", "/login", Access.ANYONE, login::requestCode);
    on("POST", "/login/code", Access.ANYONE, login::verifyCode);
    on("POST", "/logout", Access.ANYONE, login::logout);
    on("GET", "/chat", Access.PHONE_PAGE, chat::show);
    on("POST", "/chat", Access.PHONE_PAGE, chat::send);
    PeoplePages people = new PeoplePages(pages, ctx, times);
    on("GET", "/people", Access.PHONE_PAGE, people::show);
    on("POST", "/people", Access.PHONE_PAGE, people::act);
    on("GET", "/events", Access.PHONE_API, events::serve);
    on("POST", "/events/ack", Access.PHONE_API, x -> {
      if (pages.csrfOk(x)) {
        events.acknowledge(x);
      }
    });
    if (ctx.handsets().isPresent()) {
      SimPages sim = new SimPages(pages, times);
      on("GET", "/sim", Access.ANYONE, sim::page);
      on("GET", "/sim/", Access.ANYONE, sim::page);
      on("POST", "/sim/send", Access.ANYONE, sim::send);
    }
  }

  private void on(String method, String path, Access access, Consumer<Exchange> action) {
    routes.put(method + " " + path, new Route(access, action));
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
        pages.message(x, 400, PageText.ERR_TWO_MSISDN, "/");
        return true;
      }
      x.viewer = viewer(x, client.msisdnTrusted());
      route(x);
    } catch (BadRequest e) {
      if (x.viewer == null) {
        x.viewer = new Viewer(Optional.empty(), "", Optional.empty(), false);
      }
      pages.message(x, e.status, e.status == 413 ? PageText.ERR_TOO_LARGE : PageText.ERR_BAD_REQUEST, "/");
    } catch (RuntimeException e) {
      log.warn("{} {} failed", x.method, Msisdn.maskAll(x.path), MaskedFailure.of(e));
      if (!res.isCommitted()) {
        pages.message(x, 503, PageText.ERR_UNAVAILABLE, "/");
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
    Optional<String> token = x.cookie(Pages.SESSION_COOKIE);
    if (token.isPresent()) {
      Optional<WebSession> s = ctx.login().session(token.get());
      if (s.isPresent()) {
        return new Viewer(Optional.of(s.get().msisdn()), "s:" + token.get(), token, false);
      }
    }
    return new Viewer(Optional.empty(), x.cookie(Pages.PRE_COOKIE).map(p -> "p:" + p).orElse(""), Optional.empty(),
        false);
  }

  private void route(Exchange x) {
    String p = x.path;
    boolean get = x.method.equals("GET") || x.method.equals("HEAD");
    if (p.startsWith("/static/") && get) {
      staticFile(x, p.substring("/static/".length()));
      return;
    }
    if (x.viewer.loggedIn() && !p.equals("/events")) {
      // Any page fetch marks the phone online and browsing (P2.8, P2.4).
      ctx.presence().pageFetched(x.viewer.msisdn().get(), ctx.clock().instant());
    }
    if (p.startsWith("/r/") && (get || x.method.equals("POST"))) {
      if (get) {
        replies.open(x, p.substring(3));
      } else {
        replies.send(x, p.substring(3));
      }
      return;
    }
    Route r = routes.get((get ? "GET" : x.method) + " " + p);
    if (r == null) {
      pages.message(x, 404, PageText.ERR_NOT_FOUND, "/");
      return;
    }
    if (!x.viewer.loggedIn() && r.access() == Access.PHONE_PAGE) {
      x.redirect("/login");
    } else if (!x.viewer.loggedIn() && r.access() == Access.PHONE_API) {
      x.text(401, "text/plain; charset=UTF-8", "log in first\n");
    } else {
      r.action().accept(x);
    }
  }

  /** One line per part, so an operator sees which one holds the gateway back. */
  private void readiness(Exchange x) {
    Map<String, Boolean> parts = ctx.readiness().get();
    if (parts.containsKey(WebContext.DRAINING)) {
      // Taken out of service (admin node drain, or stopping): a load balancer sends no more here.
      x.text(503, "text/plain; charset=UTF-8", "draining\n");
      return;
    }
    boolean ready = parts.values().stream().allMatch(Boolean::booleanValue);
    StringBuilder body = new StringBuilder(ready ? "ready\n" : "not ready\n");
    parts.forEach((part, ok) -> body.append(part).append(ok ? " ok\n" : " down\n"));
    x.text(ready ? 200 : 503, "text/plain; charset=UTF-8", body.toString());
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
}
