package chatgate.core.sms;

import chatgate.core.chat.Contacts;
import chatgate.core.chat.Contacts.Outcome;
import chatgate.core.chat.Zones;
import chatgate.core.i18n.Texts;
import chatgate.core.i18n.Texts.Sms;
import chatgate.core.model.Group;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import java.util.List;
import java.util.Optional;

/**
 * The answers to the name, group and block commands (issue 18), each one SMS in the language the
 * user wrote in. What the user typed is echoed only clipped.
 */
final class SocialReplies {
  private final Contacts contacts;
  private final NumberPlan numbers;

  SocialReplies(Contacts contacts, NumberPlan numbers) {
    this.contacts = contacts;
    this.numbers = numbers;
  }

  String setName(Msisdn me, Language lang, String name) {
    return contacts.setOwnName(me, name) == Outcome.DONE
        ? Texts.sms(lang, Sms.NAME_SET, contacts.ownName(me)) : Texts.sms(lang, Sms.BAD_NAME);
  }

  /** TZ (ADR 0048): the zone set, back to the default, or how to write it. */
  String timeZone(Msisdn me, Language lang, String typed) {
    return contacts.setTimeZone(me, typed)
        .map(z -> z.map(zone -> Texts.sms(lang, Sms.TZ_SET, Zones.show(zone))).orElseGet(() -> Texts.sms(lang, Sms.TZ_DEFAULT)))
        .orElseGet(() -> Texts.sms(lang, Sms.TZ_USAGE));
  }

  String nameContact(Msisdn me, Language lang, String target, String name) {
    Optional<Msisdn> m = numbers.parse(target);
    return switch (contacts.nameContact(me, target, name)) {
      case DONE -> name.isBlank()
          ? Texts.sms(lang, Sms.CONTACT_UNNAMED, numbers.display(m.orElseThrow()))
          : Texts.sms(lang, Sms.CONTACT_NAMED, numbers.display(m.orElseThrow()), contacts.label(me, m.orElseThrow()));
      case BAD_NAME -> Texts.sms(lang, Sms.BAD_NAME);
      default -> Texts.sms(lang, Sms.NO_NUMBER, MoService.clip(target));
    };
  }

  String members(Msisdn me, Language lang, String target) {
    Optional<Group> g = contacts.group(me, target);
    if (g.isEmpty()) {
      return Texts.sms(lang, Sms.NO_GROUP, MoService.clip(target));
    }
    Optional<Contacts.Members> ms = contacts.members(me, g.get().id());
    if (ms.isEmpty()) {
      return Texts.sms(lang, Sms.NOT_IN, g.get().name());
    }
    return membersText(lang, g.get().name(), ms.get().names());
  }

  /** As many names as fit one SMS, then how many more there are. */
  static String membersText(Language lang, String group, List<String> names) {
    String sep = lang == Language.ZH ? "、" : ", ";
    int n = names.size();
    for (int shown = n; shown >= 0; shown--) {
      String list = String.join(sep, names.subList(0, shown));
      if (shown < n) {
        list += Texts.sms(lang, Sms.MEMBERS_MORE, n - shown);
      }
      String text = Texts.sms(lang, Sms.MEMBERS, group, n, list);
      if (Segmenter.fitsOne(text)) {
        return text;
      }
    }
    return Texts.sms(lang, Sms.MEMBERS, group, n, "");
  }

  String join(Msisdn me, Language lang, String target) {
    Optional<Group> g = contacts.group(me, target);
    if (g.isEmpty()) {
      return Texts.sms(lang, Sms.NO_GROUP, MoService.clip(target));
    }
    return switch (contacts.join(me, g.get().id())) {
      case DONE -> Texts.sms(lang, Sms.JOINED, g.get().name(), g.get().id().value());
      case ALREADY -> Texts.sms(lang, Sms.ALREADY_IN, g.get().name());
      case UNKNOWN -> Texts.sms(lang, Sms.NO_GROUP, MoService.clip(target));
      default -> Texts.sms(lang, Sms.JOIN_CLOSED, g.get().name());
    };
  }

  String leave(Msisdn me, Language lang, String target) {
    Optional<Group> g = contacts.group(me, target);
    if (g.isEmpty()) {
      return Texts.sms(lang, Sms.NO_GROUP, MoService.clip(target));
    }
    return contacts.leave(me, g.get().id()) == Outcome.DONE
        ? Texts.sms(lang, Sms.LEFT, g.get().name()) : Texts.sms(lang, Sms.NOT_IN, g.get().name());
  }

  String block(Msisdn me, Language lang, String target) {
    Optional<Msisdn> m = contacts.phone(me, target);
    if (m.isEmpty() || m.get().equals(me)) {
      return Texts.sms(lang, Sms.NO_NUMBER, MoService.clip(target));
    }
    String who = contacts.label(me, m.get());
    return contacts.block(me, m.get()) == Outcome.DONE
        ? Texts.sms(lang, Sms.BLOCKED, who, numbers.display(m.get())) : Texts.sms(lang, Sms.ALREADY_BLOCKED, who);
  }

  String unblock(Msisdn me, Language lang, String target) {
    Optional<Msisdn> m = contacts.phone(me, target);
    if (m.isEmpty()) {
      return Texts.sms(lang, Sms.NO_NUMBER, MoService.clip(target));
    }
    String who = contacts.label(me, m.get());
    return contacts.unblock(me, m.get()) == Outcome.DONE
        ? Texts.sms(lang, Sms.UNBLOCKED, who) : Texts.sms(lang, Sms.NOT_BLOCKED, who);
  }
}
