package chatgate.web;

import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Times as the viewer reads them: in their time zone (their own setting, else the gateway's
 * default), a clock time for today, with the date for other days, and day headings for a
 * conversation.
 */
final class Times {
  private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
  private static final DateTimeFormatter EN_DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
  private static final DateTimeFormatter ZH_DAY = DateTimeFormatter.ofPattern("yyyy年M月d日 EEE", Locale.CHINESE);
  private static final DateTimeFormatter EN_SHORT = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter ZH_SHORT = DateTimeFormatter.ofPattern("M月d日 HH:mm", Locale.ROOT);

  private final ZoneId defaultZone;
  private final Clock clock;
  private final Function<Msisdn, Optional<ZoneId>> own;

  Times(ZoneId defaultZone, Clock clock, Function<Msisdn, Optional<ZoneId>> own) {
    this.defaultZone = defaultZone;
    this.clock = clock;
    this.own = own;
  }

  ZoneId zone(Optional<ZoneId> own) {
    return own.orElse(defaultZone);
  }

  /** The zone of whoever views the page: their own (ADR 0048), else the gateway's default. */
  ZoneId zone(Exchange x) {
    return zone(x.viewer.msisdn().flatMap(own));
  }

  ZoneId defaultZone() {
    return defaultZone;
  }

  /** The clock time only: for a line under a day heading. */
  String time(Instant at, ZoneId zone) {
    return HM.format(at.atZone(zone));
  }

  /** A time that stands alone: the clock time today, with the date on any other day. */
  String stamp(Instant at, ZoneId zone, Language lang) {
    ZonedDateTime t = at.atZone(zone);
    if (t.toLocalDate().equals(today(zone))) {
      return HM.format(t);
    }
    return (lang == Language.ZH ? ZH_SHORT : EN_SHORT).format(t);
  }

  /** The day a message belongs to, in the viewer's zone. */
  LocalDate day(Instant at, ZoneId zone) {
    return at.atZone(zone).toLocalDate();
  }

  /** A day heading: today, yesterday, or the date with its weekday. */
  String dayHeading(LocalDate day, ZoneId zone, Language lang) {
    LocalDate today = today(zone);
    if (day.equals(today)) {
      return PageText.TODAY.in(lang);
    }
    if (day.equals(today.minusDays(1))) {
      return PageText.YESTERDAY.in(lang);
    }
    return (lang == Language.ZH ? ZH_DAY : EN_DAY).format(day);
  }

  private LocalDate today(ZoneId zone) {
    return LocalDate.ofInstant(clock.instant(), zone);
  }
}
