package chatgate.core.i18n;

import chatgate.core.model.Language;
import java.util.Locale;

/**
 * Every SMS the gateway writes, in English and Chinese. Kept short: each segment costs the user
 * money, so each reply fits one SMS (a test holds them to it).
 */
public final class Texts {

  /** The SMS texts. Arguments are positional ({@code %1$s}). */
  public enum Sms {
    /** sender, body, link. */
    CHAT("%1$s: %2$s %3$s", "%1$s：%2$s %3$s"),
    /** group, sender, body, link. */
    CHAT_GROUP("[%1$s]%2$s: %3$s %4$s", "[%1$s]%2$s：%3$s %4$s"),
    /** code, minutes. */
    LOGIN_CODE(
        "chatgate code %1$s, valid %2$s min. Do not share it.",
        "chatgate验证码%1$s，%2$s分钟内有效，请勿告诉他人。"),
    HELP(
        "chatgate: @number text or @group text sends; plain text replies. WHO: IM contacts. LOGIN id pw, LOGOUT. STOP ends SMS.",
        "chatgate：@号码 内容 或 @群 内容 发送，直接回复发给上一位。好友：在线联系人。登录 账号 密码，退出。退订：停发短信。"),
    STOPPED(
        "chatgate: you will get no more SMS. Send START to resume.",
        "chatgate：已退订，不再发短信。回复START恢复。"),
    STARTED(
        "chatgate: SMS resumed. Send HELP for commands.",
        "chatgate：已恢复短信。回复帮助查看命令。"),
    /** target. */
    ERR_UNKNOWN_TARGET(
        "Not sent: %1$s is not a number or group here.",
        "未发送：%1$s不是有效号码或群。"),
    /** group. */
    ERR_NOT_MEMBER("Not sent: you are not in group %1$s.", "未发送：你不在群%1$s中。"),
    /** max. */
    ERR_TOO_LONG("Not sent: over %1$s characters.", "未发送：超过%1$s字。"),
    ERR_EMPTY("Not sent: no text. Send HELP for commands.", "未发送：没有内容。回复帮助查看命令。"),
    ERR_NO_PARTNER(
        "Not sent: no one to reply to. Write @number text.",
        "未发送：没有可回复的人。请写 @号码 内容。"),
    ERR_BAD_TEXT("Not sent: the text has characters we cannot read.", "未发送：内容含无法识别的字符。"),
    IM_UNAVAILABLE("Instant messaging is not available here.", "本网关未开通即时通讯。");

    private final String en;
    private final String zh;

    Sms(String en, String zh) {
      this.en = en;
      this.zh = zh;
    }

    public String pattern(Language l) {
      return l == Language.ZH ? zh : en;
    }
  }

  private Texts() {}

  public static String sms(Language lang, Sms key, Object... args) {
    String p = key.pattern(lang);
    return args.length == 0 ? p : String.format(Locale.ROOT, p, args);
  }
}
