package chatgate.core.sms;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands of a phone's names, groups, blocks and time zone, split from
 * {@link SmsCommandParser}, which asks here after the login and IM commands.
 *
 * <b>Names, groups, blocks</b> (issue 18): {@code NAME x} / {@code 名字 x} (also {@code 改名},
 * {@code 昵称}; the Chinese ones also with {@code ：}) sets the phone's own name only when
 * {@code x} is one word, and {@code NAME @number name} names a contact; {@code MEMBERS}/{@code 成员},
 * {@code JOIN}/{@code 加入}, {@code LEAVE}/{@code 退群}, {@code BLOCK}/{@code 屏蔽},
 * {@code UNBLOCK}/{@code 解除屏蔽} take exactly one {@code @target}. Still chat: {@code join us at 8},
 * {@code name the baby}, {@code leave it}, {@code block party tonight} (no {@code @}, or more
 * than one word after {@code NAME}). The bare keyword, or one with an {@code @target} and more,
 * is answered with its usage.
 *
 * <p><b>Time zone</b> (ADR 0048): {@code TZ +8} / {@code 时区 +8} (also {@code 时区：+8},
 * {@code 时区+8}, {@code TIMEZONE}) with one word after it: the zone as {@link
 * chatgate.core.chat.Zones} reads it, or {@code default}/{@code 默认}; a word that is no zone is
 * answered with the usage, as is the bare keyword. Still chat: {@code tz is wrong here} (more
 * than one word), {@code 时区不一样} (no space, colon or sign after the keyword).
 */
final class SocialCommandParser {
  private SocialCommandParser() {}

  private static final Set<String> NAME = Set.of("name", "名字", "改名", "昵称");
  private static final Set<String> GROUP_WORDS = Set.of("members", "成员", "join", "加入", "leave", "退群",
      "block", "屏蔽", "unblock", "解除屏蔽", "取消屏蔽");

  /** A group/block keyword, then {@code @target}, then maybe more (which makes it malformed). */
  private static final Pattern GROUP_CMD = Pattern.compile(
      "(members|成员|join|加入|leave|退群|unblock|解除屏蔽|取消屏蔽|block|屏蔽)\\s*@(\\S+)\\s*(.*)", Pattern.DOTALL);
  /** NAME @target [name]. */
  private static final Pattern NAME_CONTACT = Pattern.compile("(name|名字|改名|昵称)\\s*@(\\S+)\\s*(.*)", Pattern.DOTALL);
  /** NAME word; the Chinese keywords also with a colon. */
  private static final Pattern NAME_OWN = Pattern.compile("(?:name\\s+|(?:名字|改名|昵称)(?:\\s+|\\s*:\\s*))([^\\s@]+)");
  private static final Set<String> TZ = Set.of("tz", "timezone", "时区", "時區");
  /** TZ word; the Chinese keywords also with a colon, or an offset typed on ({@code 时区+8}). */
  private static final Pattern TZ_CMD =
      Pattern.compile("(?:(?:tz|timezone)\\s+|(?:时区|時區)(?:\\s+|\\s*:\\s*|(?=[+-])))(\\S+)");

  /**
   * The command in the text (normalised as typed, lower-cased same length, and without trailing
   * punctuation), or null when it is none of these.
   */
  static SmsCommand parse(String text, String lower, String bare) {
    SmsCommand zone = timeZone(text, lower, bare);
    if (zone != null) {
      return zone;
    }
    if (NAME.contains(bare)) {
      return new SmsCommand.Malformed(SmsCommand.Usage.NAME);
    }
    if (GROUP_WORDS.contains(bare)) {
      return new SmsCommand.Malformed(SmsCommand.Usage.GROUP);
    }
    Matcher g = GROUP_CMD.matcher(lower);
    if (g.matches()) {
      if (!g.group(3).isEmpty()) {
        return new SmsCommand.Malformed(SmsCommand.Usage.GROUP);
      }
      String target = text.substring(g.start(2), g.end(2));
      return switch (g.group(1)) {
        case "members", "成员" -> new SmsCommand.Members(target);
        case "join", "加入" -> new SmsCommand.Join(target);
        case "leave", "退群" -> new SmsCommand.Leave(target);
        case "block", "屏蔽" -> new SmsCommand.Block(target);
        default -> new SmsCommand.Unblock(target);
      };
    }
    Matcher c = NAME_CONTACT.matcher(lower);
    if (c.matches()) {
      return new SmsCommand.NameContact(text.substring(c.start(2), c.end(2)), text.substring(c.start(3), c.end(3)).strip());
    }
    Matcher o = NAME_OWN.matcher(lower);
    if (o.matches()) {
      return new SmsCommand.SetName(text.substring(o.start(1), o.end(1)));
    }
    return null;
  }

  private static SmsCommand timeZone(String text, String lower, String bare) {
    if (TZ.contains(bare.replaceAll("[?？]+$", ""))) {
      return new SmsCommand.Malformed(SmsCommand.Usage.TIME_ZONE);
    }
    Matcher z = TZ_CMD.matcher(lower);
    return z.matches() ? new SmsCommand.SetTimeZone(text.substring(z.start(1), z.end(1))) : null;
  }
}
