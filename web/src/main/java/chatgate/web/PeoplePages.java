package chatgate.web;

import chatgate.core.chat.ChatService;
import chatgate.core.chat.Contacts.Outcome;
import chatgate.core.chat.Contacts;
import chatgate.core.chat.Zones;
import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Target;
import chatgate.web.view.Common;
import chatgate.web.view.PeopleView;
import chatgate.web.view.T;
import java.util.List;
import java.util.Optional;

/**
 * {@code /people?to=ID} (issue 18, ADR 0040, 0048): the page form of the NAME, MEMBERS, JOIN, LEAVE,
 * BLOCK, UNBLOCK and TZ commands, in HTML, XHTML-MP and WML, without script. A POST answers with the
 * page again and what was done, so it works the same on every browser.
 */
final class PeoplePages {
  private final Pages pages;
  private final WebContext ctx;
  private final Times times;

  PeoplePages(Pages pages, WebContext ctx, Times times) {
    this.pages = pages;
    this.ctx = ctx;
    this.times = times;
  }

  /** GET /people. */
  void show(Exchange x) {
    page(x, 200, x.query("to"), Optional.empty(), Optional.empty());
  }

  /** POST /people: {@code action} = myname, name, block, unblock, join, leave, tz. */
  void act(Exchange x) {
    if (!pages.csrfOk(x)) {
      return;
    }
    Msisdn me = x.viewer.msisdn().orElseThrow();
    Contacts contacts = ctx.chat().contacts();
    String to = x.form("to");
    Optional<Target> target = to.isBlank() ? Optional.empty() : contacts.resolve(me, to);
    Optional<Msisdn> person = target.filter(t -> t instanceof Msisdn).map(t -> (Msisdn) t);
    Optional<GroupId> group = target.filter(t -> t instanceof GroupId).map(t -> (GroupId) t);
    String action = x.form("action");
    if (action.equals("tz")) {
      // Empty is the default zone again (ADR 0048).
      String typed = x.form("zone").isBlank() ? "default" : x.form("zone");
      boolean ok = contacts.setTimeZone(me, typed).isPresent();
      page(x, ok ? 200 : 400, to, ok ? Optional.empty() : Optional.of(pages.t(x, PageText.ERR_BAD_ZONE)),
          ok ? Optional.of(pages.t(x, PageText.DONE_SAVED)) : Optional.empty());
      return;
    }
    Outcome o;
    PageText done;
    switch (action) {
      case "myname" -> {
        o = contacts.setOwnName(me, x.form("name"));
        done = PageText.DONE_SAVED;
      }
      case "name" -> {
        o = person.isEmpty() ? Outcome.UNKNOWN : contacts.nameContact(me, person.get().e164(), x.form("name"));
        done = PageText.DONE_SAVED;
      }
      case "block" -> {
        o = person.isEmpty() ? Outcome.UNKNOWN : contacts.block(me, person.get());
        done = PageText.DONE_BLOCKED;
      }
      case "unblock" -> {
        o = person.isEmpty() ? Outcome.UNKNOWN : contacts.unblock(me, person.get());
        done = PageText.DONE_UNBLOCKED;
      }
      case "join" -> {
        o = group.isEmpty() ? Outcome.UNKNOWN : contacts.join(me, group.get());
        done = PageText.DONE_JOINED;
      }
      case "leave" -> {
        o = group.isEmpty() ? Outcome.UNKNOWN : contacts.leave(me, group.get());
        done = PageText.DONE_LEFT;
      }
      default -> {
        pages.message(x, 400, PageText.ERR_BAD_REQUEST, "/people");
        return;
      }
    }
    switch (o) {
      case DONE, ALREADY -> page(x, 200, to, Optional.empty(), Optional.of(pages.t(x, done)));
      case BAD_NAME -> page(x, 400, to, Optional.of(pages.t(x, PageText.ERR_BAD_NAME)), Optional.empty());
      case UNKNOWN -> page(x, 404, to, Optional.of(pages.t(x, PageText.ERR_BAD_TARGET, Pages.clip(to, 40))),
          Optional.empty());
      case REFUSED -> page(x, 403, to, Optional.of(pages.t(x,
          "join".equals(action) ? PageText.GROUP_CLOSED : PageText.NOT_IN_GROUP)), Optional.empty());
    }
  }

  private void page(Exchange x, int status, String rawTo, Optional<String> error, Optional<String> notice) {
    Msisdn me = x.viewer.msisdn().orElseThrow();
    ChatService chat = ctx.chat();
    Contacts contacts = chat.contacts();
    Optional<Target> target = rawTo == null || rawTo.isBlank() ? Optional.empty() : contacts.resolve(me, rawTo);
    Optional<PeopleView.Person> person = Optional.empty();
    Optional<PeopleView.GroupInfo> group = Optional.empty();
    if (target.isPresent() && target.get() instanceof Msisdn m && !m.equals(me)) {
      String given = contacts.givenName(me, m);
      person = Optional.of(new PeopleView.Person(w(x, contacts.label(me, m)), chat.numbers().display(m), w(x, given),
          contacts.blocked(me).contains(m)));
    } else if (target.isPresent() && target.get() instanceof GroupId gid) {
      Optional<Group> g = chat.group(gid);
      if (g.isPresent()) {
        var members = contacts.members(me, gid).map(ms -> ms.names().stream().map(n -> w(x, n)).toList())
            .orElse(List.of());
        group = Optional.of(new PeopleView.GroupInfo(w(x, g.get().name()), g.get().hasMember(me), g.get().open(),
            members));
      }
    }
    if (target.isPresent() && person.isEmpty() && group.isEmpty() && error.isEmpty()) {
      error = Optional.of(pages.t(x, PageText.ERR_BAD_TARGET, Pages.clip(rawTo, 40)));
      status = 404;
    }
    String to = target.map(Target::id).orElse("");
    Common c = new Common(new T(x.lang), pages.t(x, PageText.PEOPLE), Optional.of(w(x, chat.label(me))),
        pages.csrf(x), Optional.empty(), error, notice);
    String back = "/chat" + (to.isEmpty() ? "" : "?to=" + Pages.enc(to));
    String zone = contacts.timeZone(me).map(Zones::show).orElse("");
    pages.render(x, status, "people", new PeopleView(c, w(x, contacts.ownName(me)), w(x, to), person, group, back,
        w(x, zone), w(x, Zones.show(times.defaultZone()))));
  }

  private static String w(Exchange x, String s) {
    return Pages.wml(x, s);
  }
}
