package chatgate.web;

import chatgate.core.api.KannelRequest;
import chatgate.core.api.SendsmsRequest;
import chatgate.core.api.SendsmsService;
import chatgate.core.model.MaskedFailure;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.Telemetry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /cgi-bin/sendsms}, as Kannel's smsbox answers it, so RapidPro/Courier's Kannel handler or
 * playSMS can send through chatgate: every parameter of Kannel's sendsms, in the query, a form body
 * or Kannel's {@code X-Kannel-*} headers with the text as the body ({@link SendsmsParams}), read
 * and answered as Kannel 1.4.5 does ({@link KannelRequest}). Credentials in the query or headers
 * are checked before the body is read; a body is read only up to {@link BodyLimit#MAX_BODY}; a
 * dlr-url that will be called is vetted ({@link DlrUrlGuard}).
 */
public final class SendsmsHandler extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(SendsmsHandler.class);
  public static final String PATH = "/cgi-bin/sendsms";
  private static final int MAX_BODY = BodyLimit.MAX_BODY;

  /**
   * A sendsms user from {@code [[sendsms_users]]}: {@code allowIp} CIDRs it may send from (empty:
   * any), {@code dlrUrlAllow} URL prefixes its {@code dlr-url} may start with beyond public addresses.
   */
  public record User(String username, String password, List<String> allowIp, List<String> dlrUrlAllow) {
    public User {
      allowIp = List.copyOf(allowIp);
      dlrUrlAllow = List.copyOf(dlrUrlAllow);
    }

    public User(String username, String password) {
      this(username, password, List.of(), List.of());
    }

    @Override
    public String toString() {
      return "User[" + username + "]";
    }
  }

  private final SendsmsService service;
  private final NumberPlan numbers;
  private final int maxSegments;
  private final Clock clock;
  private final SendsmsAuth auth;
  private final DlrUrlGuard dlrUrls;
  private Telemetry telemetry = Telemetry.NONE;

  /** @param maxSegments Kannel's max-messages ({@code [sms] max_segments}): a longer text is cut to this many parts */
  public SendsmsHandler(Handler next, SendsmsService service, NumberPlan numbers, int maxSegments, List<User> users,
      Clock clock, DlrUrlGuard dlrUrls) {
    super(next);
    this.service = service;
    this.numbers = numbers;
    this.maxSegments = maxSegments;
    this.clock = clock;
    this.auth = new SendsmsAuth(users, clock);
    this.dlrUrls = dlrUrls;
  }

  /** Where refused logins are counted ({@code chatgate_login_failures_total{kind="sendsms"}}). */
  public SendsmsHandler telemetry(Telemetry t) {
    this.telemetry = t;
    return this;
  }

  @Override
  public boolean handle(Request req, Response res, Callback cb) throws Exception {
    if (!PATH.equals(Request.getPathInContext(req))) {
      return super.handle(req, res, cb);
    }
    String method = req.getMethod();
    if (!method.equals("GET") && !method.equals("POST")) {
      res.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
      return answer(res, cb, 405, "Method not allowed");
    }
    // Credentials in the query or in Kannel's headers are checked before a byte of the body is
    // read: a stranger's body is never read at all. Only without them is the (bounded) form read
    // to find them. An address refused for its failures is not heard at all.
    String address = Request.getRemoteAddr(req);
    SendsmsParams p = SendsmsParams.ofHead(req);
    boolean early = p.hasCredentials();
    SendsmsAuth.Outcome who = early ? auth.check(address, p.str("username", "user"), p.str("password", "pass"))
        : auth.blocked(address).<SendsmsAuth.Outcome>map(SendsmsAuth.Outcome.Throttled::new).orElse(null);
    if (who != null && !(who instanceof SendsmsAuth.Outcome.Allowed)) {
      return refused(res, cb, who, p, address);
    }
    if (method.equals("POST")) {
      SendsmsParams.Body body = SendsmsParams.body(req);
      if (body == SendsmsParams.Body.UNSUPPORTED) {
        return answer(res, cb, 415, "Unsupported content-type, rejected");
      }
      if (body == SendsmsParams.Body.INVALID) {
        return answer(res, cb, 400, "Invalid content-type");
      }
      if (who == null && body != SendsmsParams.Body.FORM) {
        // Kannel's POST: no credentials in the headers, none in a text body either.
        return refused(res, cb, auth.check(address, "", ""), p, address);
      }
      try {
        p.addBody(req, body, MAX_BODY);
      } catch (Exchange.BadRequest e) {
        return e.status == 413 ? answer(res, cb, 413, "Request too large")
            : answer(res, cb, 400, "Charset or body misformed, rejected");
      }
    }
    if (who == null) {
      who = auth.check(address, p.str("username", "user"), p.str("password", "pass"));
      if (!(who instanceof SendsmsAuth.Outcome.Allowed)) {
        return refused(res, cb, who, p, address);
      }
    }
    User user = ((SendsmsAuth.Outcome.Allowed) who).user();
    KannelRequest.Parsed parsed = KannelRequest.parse(p::get, method.equals("POST"), user.username(), numbers,
        maxSegments, clock.instant());
    if (parsed instanceof KannelRequest.Refused r) {
      return answer(res, cb, r.status(), r.body());
    }
    SendsmsRequest request = ((KannelRequest.Ok) parsed).request();
    if (request.dlrUrl().isPresent() && request.dlrMask() > 0) {
      // Only a URL that will be called is vetted (issue 15): not this gateway, loopback or link-local.
      Optional<String> why = dlrUrls.refusal(request.dlrUrl().get(), user.dlrUrlAllow());
      if (why.isPresent()) {
        log.info("sendsms from '{}' refused: {}", clip(user.username()), why.get());
        return answer(res, cb, 400, why.get());
      }
    }
    SendsmsService.Outcome o;
    try {
      o = service.submit(request);
    } catch (RuntimeException e) {
      log.warn("sendsms not stored", MaskedFailure.of(e));
      return answer(res, cb, 503, "Temporarily unavailable, try again later");
    }
    return switch (o) {
      case SendsmsService.Outcome.Accepted a -> {
        log.info("sendsms from '{}' accepted: {} SMS", clip(user.username()), a.messages().size());
        yield answer(res, cb, 202, "0: Accepted for delivery");
      }
      case SendsmsService.Outcome.Refused r -> answer(res, cb, r.status(), r.reason());
    };
  }

  private boolean refused(Response res, Callback cb, SendsmsAuth.Outcome why, SendsmsParams p, String address) {
    telemetry.loginFailure("sendsms");
    if (why instanceof SendsmsAuth.Outcome.Throttled t) {
      long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
      res.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
      return answer(res, cb, 429, "Too many failed logins, try again later");
    }
    log.info("sendsms refused for user '{}' from {}", clip(p.str("username", "user")), address);
    return answer(res, cb, 403, "Authorization failed for sendsms");
  }

  private static boolean answer(Response res, Callback cb, int status, String body) {
    res.setStatus(status);
    res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    res.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(res, true, body, cb);
    return true;
  }

  private static String clip(String s) {
    String t = s.replaceAll("[^\\x20-\\x7E]", "?");
    return t.length() > 32 ? t.substring(0, 32) + "…" : t;
  }
}
