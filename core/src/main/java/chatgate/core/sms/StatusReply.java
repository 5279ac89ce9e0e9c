package chatgate.core.sms;

import chatgate.core.i18n.Texts;
import chatgate.core.i18n.Texts.Sms;
import chatgate.core.model.Language;
import chatgate.core.model.SentReport;
import chatgate.core.model.SentState;
import chatgate.core.model.Target;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/**
 * The answer to {@code STATUS}/{@code 状态} (issue 16): the phone's last few sent messages, newest
 * first, each as "number, to whom, when, state", in ONE segment: entries are added while the
 * text still fits 160 GSM-7 or 70 UCS-2 characters, so a long name or a Chinese answer simply
 * lists fewer. English stays in GSM-7 (no ✓ or ✗), which fits twice as much.
 */
public final class StatusReply {
  /** The most messages an answer lists. */
  public static final int MAX_ENTRIES = 5;
  /** Names are cut to this many characters: the state matters more than the name. */
  static final int NAME_MAX = 12;
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private StatusReply() {}

  /**
   * @param newestFirst the phone's messages, as {@link chatgate.core.chat.SentStatus#recent} lists them
   * @param names how the phone knows a partner or group
   * @param zone the zone its times are written in
   */
  public static String compose(Language lang, List<SentReport> newestFirst, Function<Target, String> names,
      ZoneId zone) {
    if (newestFirst.isEmpty()) {
      return Texts.sms(lang, Sms.STATUS_NONE);
    }
    String text = Texts.sms(lang, Sms.STATUS_HEAD);
    int n = 0;
    for (SentReport r : newestFirst) {
      if (n == MAX_ENTRIES) {
        break;
      }
      String entry = (n + 1) + " " + clip(names.apply(r.target())) + " " + HH_MM.format(r.acceptedAt().atZone(zone))
          + " " + state(lang, r);
      String longer = n == 0 ? text + entry : text + Texts.sms(lang, Sms.STATUS_SEP) + entry;
      // The first entry always fits (a short head, a name cut to NAME_MAX, a short state).
      if (n > 0 && !Segmenter.fitsOne(longer)) {
        break;
      }
      text = longer;
      n++;
    }
    return text;
  }

  /** A message's state in a few words: its one copy's, or a group's count. */
  static String state(Language lang, SentReport r) {
    if (r.group()) {
      String s = Texts.sms(lang, Sms.STATUS_GROUP, r.reached(), r.total());
      return r.failed() == 0 ? s : s + Texts.sms(lang, Sms.STATUS_GROUP_FAILED, r.failed());
    }
    return words(lang, r.overall());
  }

  static String words(Language lang, SentState s) {
    return switch (s.phase()) {
      case QUEUED -> Texts.sms(lang, s.reason() == SentState.Reason.RETRYING ? Sms.STATUS_RETRYING : Sms.STATUS_QUEUED);
      case ON_PAGE -> Texts.sms(lang, Sms.STATUS_ON_PAGE);
      case SENT -> Texts.sms(lang, Sms.STATUS_SENT);
      case DELIVERED -> Texts.sms(lang, Sms.STATUS_DELIVERED);
      case SEEN -> Texts.sms(lang, Sms.STATUS_SEEN);
      case NOT_SENT -> Texts.sms(lang, Sms.STATUS_NOT_SENT, reason(lang, s.reason()));
      case FAILED -> Texts.sms(lang, Sms.STATUS_FAILED, reason(lang, s.reason()));
    };
  }

  static String reason(Language lang, SentState.Reason r) {
    return Texts.sms(lang, switch (r) {
      case STOP -> Sms.REASON_STOP;
      case NOT_ALLOWED -> Sms.REASON_NOT_ALLOWED;
      case UNREACHABLE -> Sms.REASON_UNREACHABLE;
      case REJECTED -> Sms.REASON_REJECTED;
      case BAD_NUMBER -> Sms.REASON_BAD_NUMBER;
      case REFUSED -> Sms.REASON_REFUSED;
      case EXPIRED -> Sms.REASON_EXPIRED;
      case LINK_DOWN -> Sms.REASON_LINK_DOWN;
      case NONE, RETRYING, OTHER -> Sms.REASON_OTHER;
    });
  }

  private static String clip(String s) {
    String t = s.strip();
    // ".." rather than "…", which is not in GSM-7 and would halve what an English answer holds.
    return t.codePointCount(0, t.length()) <= NAME_MAX ? t : t.substring(0, t.offsetByCodePoints(0, NAME_MAX - 2)) + "..";
  }
}
