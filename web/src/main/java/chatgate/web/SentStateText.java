package chatgate.web;

import chatgate.core.model.Language;
import chatgate.core.model.SentReport;
import chatgate.core.model.SentState;
import chatgate.web.view.ChatView;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * What became of a message the viewer sent, in the viewer's words (issue 16, ADR 0021): the
 * line's state, the details behind it (each member of a group), and a class for its look. The
 * chat page and the event stream both write it from here, so a state pushed live reads exactly
 * as the page shows it after a reload.
 */
final class SentStateText {
  private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

  private SentStateText() {}

  static ChatView.State of(Language lang, SentReport r, ZoneId zone) {
    String sep = lang == Language.ZH ? "，" : ", ";
    String text;
    String title;
    if (r.group()) {
      StringJoiner sum = new StringJoiner(sep);
      sum.add(PageText.STATE_GROUP.in(lang, r.reached(), r.total()));
      if (r.underWay() > 0) {
        sum.add(PageText.STATE_GROUP_UNDER_WAY.in(lang, r.underWay()));
      }
      if (r.failed() > 0) {
        sum.add(PageText.STATE_GROUP_FAILED.in(lang, r.failed()));
      }
      text = sum.toString();
      // Each member, for the line's title: who has it and who does not, and why.
      StringJoiner each = new StringJoiner(lang == Language.ZH ? "；" : "; ");
      for (SentReport.Copy c : r.copies()) {
        each.add(c.label() + (lang == Language.ZH ? "：" : ": ") + words(lang, c.state()));
      }
      title = each.toString();
    } else {
      text = words(lang, r.overall());
      title = r.copies().isEmpty() ? text : text + " " + HM.format(r.copies().getFirst().at().atZone(zone));
    }
    return new ChatView.State(Long.toString(r.messageId().value()), text, title, look(r));
  }

  /** st-ok: it reached everyone; st-fail: someone will not get it (by SMS); st-wait: on its way. */
  private static String look(SentReport r) {
    if (r.failed() > 0) {
      return "st-fail";
    }
    return r.reached() == r.total() && r.total() > 0 ? "st-ok" : "st-wait";
  }

  static String words(Language lang, SentState s) {
    return switch (s.phase()) {
      case QUEUED -> (s.reason() == SentState.Reason.RETRYING ? PageText.STATE_RETRYING : PageText.STATE_QUEUED).in(lang);
      case ON_PAGE -> PageText.STATE_ON_PAGE.in(lang);
      case SENT -> PageText.STATE_SENT.in(lang);
      case DELIVERED -> PageText.STATE_DELIVERED.in(lang);
      case SEEN -> PageText.STATE_SEEN.in(lang);
      case NOT_SENT -> PageText.STATE_NOT_SENT.in(lang, reason(lang, s.reason()));
      case FAILED -> PageText.STATE_FAILED.in(lang, reason(lang, s.reason()));
    };
  }

  static String reason(Language lang, SentState.Reason r) {
    return (switch (r) {
      case STOP -> PageText.REASON_STOP;
      case NOT_ALLOWED -> PageText.REASON_NOT_ALLOWED;
      case UNREACHABLE -> PageText.REASON_UNREACHABLE;
      case REJECTED -> PageText.REASON_REJECTED;
      case BAD_NUMBER -> PageText.REASON_BAD_NUMBER;
      case REFUSED -> PageText.REASON_REFUSED;
      case EXPIRED -> PageText.REASON_EXPIRED;
      case LINK_DOWN -> PageText.REASON_LINK_DOWN;
      case NONE, RETRYING, OTHER -> PageText.REASON_OTHER;
    }).in(lang);
  }
}
