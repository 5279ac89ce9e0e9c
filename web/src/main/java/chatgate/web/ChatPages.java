package chatgate.web;

import chatgate.core.auth.Tokens;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.Inbox;
import chatgate.core.chat.PartnerView;
import chatgate.core.chat.SendResult;
import chatgate.core.chat.SentStatus;
import chatgate.core.model.GroupId;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.SentReport;
import chatgate.core.model.Target;
import chatgate.core.port.MessageStore;
import chatgate.web.view.ChatView;
import chatgate.web.view.Common;
import chatgate.web.view.T;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code /chat}: the chat page (P2.1–P2.4) and its form. Two modes (ADR 0038): the writing page,
 * which never reloads by itself so nothing typed is lost, and, for pages without script, a
 * watching page without an input box that reloads itself to show what arrives.
 */
final class ChatPages {
  private final Pages pages;
  private final WebContext ctx;
  private final Times times;
  private final SentStatus sent;

  ChatPages(Pages pages, Times times) {
    this.pages = pages;
    this.ctx = pages.ctx;
    this.times = times;
    this.sent = new SentStatus(ctx.store(), ctx.chat()::label);
  }

  /** GET /chat[?to=ID][&watch=1]. */
  void show(Exchange x) {
    page(x, 200, x.query("to"), "", Optional.empty());
  }

  /** POST /chat: a message from the form. */
  void send(Exchange x) {
    if (!pages.csrfOk(x)) {
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
      x.redirect("/chat?to=" + Pages.enc(s.message().target().id()));
      return;
    }
    Pages.Refusal refusal = pages.refusal(x, (SendResult.Rejected) r, Pages.clip(to.strip(), 40));
    page(x, refusal.status(), to, Pages.clip(text, pages.settings.maxChars() + 1), Optional.of(refusal.text()));
  }

  private void page(Exchange x, int status, String rawTo, String draftText, Optional<String> error) {
    Msisdn me = x.viewer.msisdn().orElseThrow();
    Instant now = ctx.clock().instant();
    boolean wml = x.format == Format.WML;
    boolean watch = "1".equals(x.query("watch"));
    ChatService chat = ctx.chat();
    ZoneId zone = times.zone(x);

    Optional<Target> target = rawTo.isBlank() ? Optional.empty() : chat.contacts().resolve(me, rawTo);
    if (!rawTo.isBlank() && target.isEmpty() && error.isEmpty()) {
      error = Optional.of(pages.t(x, PageText.ERR_BAD_TARGET, Pages.clip(rawTo.strip(), 40)));
      status = 400;
    }
    if (target.isPresent() && target.get() instanceof GroupId g) {
      var group = chat.group(g);
      if (group.isEmpty()) {
        if (error.isEmpty()) {
          error = Optional.of(pages.t(x, PageText.ERR_UNKNOWN_GROUP, g.value()));
          status = 404;
        }
        target = Optional.empty();
      } else if (!group.get().hasMember(me)) {
        if (error.isEmpty()) {
          error = Optional.of(pages.t(x, PageText.ERR_NOT_MEMBER, g.value()));
          status = 403;
        }
        target = Optional.empty();
      }
    }

    Optional<ChatView.Partner> partner = target.map(tg -> partnerRow(x, me, tg));
    int pageSize = switch (x.format) {
      case WML -> 4;
      case XHTML_MP -> 10;
      case HTML -> 20;
    };
    // Older history by message id (?before=ID), not by counting: each page is one index read.
    Optional<MessageId> before = idQuery(x, "before");
    List<ChatView.Line> lines = new ArrayList<>();
    List<Message> shownLines = new ArrayList<>();
    boolean older = target.isPresent() && lines(x, me, target.get(), before, pageSize, zone, lines, shownLines);
    if (target.isPresent() && before.isEmpty()) {
      ctx.inbox().read(me, target.get(), shownLines); // opened: read up to its newest line (ADR 0047)
    }
    Inbox.Unread unread = ctx.inbox().unread(me, target);
    List<MessageStore.Item> freshItems = freshItems(x, me, now, unread, shownLines);
    List<ChatView.Fresh> fresh = new ArrayList<>();
    for (MessageStore.Item i : freshItems) {
      fresh.add(fresh(x, i, zone));
    }
    int limit = switch (x.format) {
      // A conversation deck gives one partner row to the link on the partner's name (the 1,397 B budget).
      case WML -> "1".equals(x.query("all")) ? 30 : target.isPresent() ? 5 : 6;
      case XHTML_MP -> "1".equals(x.query("all")) ? 50 : 20;
      case HTML -> 50;
    };
    List<PartnerView> all = chat.partners(me, limit + 1);
    List<ChatView.Partner> partners = new ArrayList<>();
    for (PartnerView pv : all.subList(0, Math.min(limit, all.size()))) {
      partners.add(new ChatView.Partner(Pages.wml(x, pv.target().id()), Pages.wml(x, pv.label()), pv.online(),
          pv.group(), "/chat?to=" + Pages.enc(pv.target().id()), unread.count(pv.target())));
    }
    String draftTo = target.map(Target::id).orElse(rawTo.strip());
    String self = "/chat" + target.map(tg -> "?to=" + Pages.enc(tg.id())).orElse("");
    String watchUrl = watch ? self : self + (self.contains("?") ? "&" : "?") + "watch=1";
    // Only the watching page reloads itself; the writing page offers a reload and the watching page.
    Common.Refresh refresh = new Common.Refresh((int) pages.settings.refresh().toSeconds(),
        watch ? watchUrl(self) : self, watch, watchUrl);
    Common c = new Common(new T(x.lang), pages.t(x, PageText.TITLE), Optional.of(Pages.wml(x, chat.label(me))),
        pages.csrf(x), Optional.of(refresh), error, Optional.empty());
    ChatView v = new ChatView(c, fresh, partner, lines, partners, all.size() > limit,
        Pages.wml(x, Pages.clip(draftTo, 40)), Pages.wml(x, draftText), Tokens.random(16),
        pages.settings.maxChars(), watch, self, watchUrl,
        older ? Optional.of(self + "&before=" + shownLines.getLast().id().value()) : Optional.empty());
    pages.render(x, status, "chat", v);
  }

  /**
   * New messages (ADR 0047): those not read in their conversations (until opened, a reload shows
   * them again), with what waits for this fetch or was kept while offline (P2.4, P2.11) that no
   * conversation holds (an IM contact's text, a notice). The newest the format's page budget
   * takes (ADR 0038), oldest first. Those waiting for a page are now shown to it.
   */
  private List<MessageStore.Item> freshItems(Exchange x, Msisdn me, Instant now, Inbox.Unread unread,
      List<Message> onScreen) {
    int max = switch (x.format) {
      case WML -> 3;
      case XHTML_MP -> 5;
      case HTML -> 20;
    };
    List<MessageStore.Item> waiting = ctx.store().unseen(me, now, max);
    Map<Long, MessageStore.Item> byDelivery = new TreeMap<>(Comparator.reverseOrder());
    for (MessageStore.Item i : unread.newestFirst()) {
      byDelivery.put(i.delivery().id(), i);
    }
    List<MessageStore.Item> shownNow = new ArrayList<>();
    for (MessageStore.Item i : waiting) {
      if (onScreen.contains(i.message())) {
        shownNow.add(i); // on the screen in its conversation
      } else {
        byDelivery.putIfAbsent(i.delivery().id(), i);
      }
    }
    List<MessageStore.Item> out = new ArrayList<>(byDelivery.values()).subList(0, Math.min(max, byDelivery.size()));
    for (MessageStore.Item i : waiting) {
      if (out.contains(i)) {
        shownNow.add(i);
      }
    }
    ctx.stage().shown(shownNow);
    return out.reversed();
  }

  private static Optional<MessageId> idQuery(Exchange x, String name) {
    String v = x.query(name);
    return v.matches("[0-9]{1,18}") ? Optional.of(new MessageId(Long.parseLong(v))) : Optional.empty();
  }

  private static String watchUrl(String self) {
    return self + (self.contains("?") ? "&" : "?") + "watch=1";
  }

  /**
   * One page of the conversation, newest first, each day's first line carrying the day's heading:
   * {@code size} lines older than {@code before} (the newest without). Whether there are older ones.
   * The target is one the viewer may read (checked by the caller: a group they are in).
   */
  private boolean lines(Exchange x, Msisdn me, Target tg, Optional<MessageId> before, int size, ZoneId zone,
      List<ChatView.Line> out, List<Message> shown) {
    ChatService chat = ctx.chat();
    List<Message> newestFirst = ctx.store().conversationBefore(me, tg, before.orElse(new MessageId(Long.MAX_VALUE)),
        size + 1);
    boolean older = newestFirst.size() > size;
    List<Message> page = newestFirst.subList(0, Math.min(size, newestFirst.size()));
    // The viewer's own lines say what became of them, as of this fetch (issue 16): no script needed.
    Map<MessageId, SentReport> states = before.isEmpty() ? sent.byMessage(me, tg, size) : new HashMap<>();
    if (before.isPresent()) {
      // An older page: its own lines' states one by one (by message id), however far back.
      for (Message m : page) {
        if (m.sender().map(me::equals).orElse(false)) {
          states.put(m.id(), sent.report(m, ctx.store().deliveriesOf(m.id())));
        }
      }
    }
    shown.addAll(page);
    LocalDate shownDay = null;
    for (Message m : page) {
      boolean mine = m.sender().map(me::equals).orElse(false);
      String from = mine ? pages.t(x, PageText.YOU) : m.sender().map(snd -> chat.label(me, snd)).orElse("chatgate");
      Optional<ChatView.State> state = mine ? Optional.ofNullable(states.get(m.id())).map(r -> state(x, r, zone))
          : Optional.empty();
      LocalDate day = times.day(m.acceptedAt(), zone);
      String heading = day.equals(shownDay) ? "" : Pages.wml(x, times.dayHeading(day, zone, x.lang));
      shownDay = day;
      out.add(new ChatView.Line(Pages.wml(x, from), mine, Pages.body(x, m.body()), times.time(m.acceptedAt(), zone),
          state, heading));
    }
    return older;
  }

  private static ChatView.State state(Exchange x, SentReport r, ZoneId zone) {
    ChatView.State s = SentStateText.of(x.lang, r, zone);
    return new ChatView.State(s.msg(), Pages.wml(x, s.text()), Pages.wml(x, s.title()), s.cls());
  }

  private ChatView.Fresh fresh(Exchange x, MessageStore.Item i, ZoneId zone) {
    Message m = i.message();
    String from = m.sender().map(snd -> ctx.chat().label(i.delivery().recipient(), snd)).orElse("chatgate");
    String group = m.group().map(g -> ctx.chat().group(g).map(gr -> gr.name()).orElse(g.value())).orElse("");
    return new ChatView.Fresh(Pages.wml(x, from), Pages.wml(x, group), Pages.body(x, m.body()),
        "/r/" + ctx.chat().replyToken(i.delivery().id()), times.stamp(m.acceptedAt(), zone, x.lang),
        Pages.wml(x, m.group().map(g -> g.value()).or(() -> m.sender().map(Msisdn::e164)).orElse("")));
  }

  private ChatView.Partner partnerRow(Exchange x, Msisdn me, Target tg) {
    boolean group = tg instanceof GroupId;
    String label = group
        ? ctx.chat().group((GroupId) tg).map(g -> g.name()).orElse(tg.id())
        : ctx.chat().label(me, (Msisdn) tg);
    boolean online = !group && ctx.presence().presence((Msisdn) tg, ctx.clock().instant()).online();
    return new ChatView.Partner(Pages.wml(x, tg.id()), Pages.wml(x, label), online, group,
        "/chat?to=" + Pages.enc(tg.id()));
  }
}
