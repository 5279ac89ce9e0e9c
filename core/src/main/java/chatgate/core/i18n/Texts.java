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
        "chatgate: @number text or @group text sends; plain text replies. WHO: IM contacts. LOGIN id pw, LOGOUT."
            + " STATUS: your last messages. STOP ends SMS. HELP 2: more.",
        "@号码 内容或@群 内容发送，直接回复给上一位。好友：在线联系人。登录 账号 密码，退出。状态：发送结果。退订：停发短信。帮助2：更多"),
    STOPPED(
        "chatgate: you will get no more SMS. Send START to resume.",
        "chatgate：已退订，不再发短信。回复START恢复。"),
    STARTED(
        "chatgate: SMS resumed. Send HELP for commands.",
        "chatgate：已恢复短信。回复帮助查看命令。"),
    /** The answer to STATUS (issue 16): this, then one entry per message, newest first. */
    STATUS_HEAD("Last sent: ", "最近发送："),
    STATUS_NONE("You have not sent any message lately.", "你最近没有发送消息。"),
    /** Between two entries of the STATUS answer. */
    STATUS_SEP("; ", "；"),
    STATUS_QUEUED("queued", "排队中"),
    STATUS_RETRYING("retrying", "重试中"),
    STATUS_ON_PAGE("on their page", "待对方查看"),
    STATUS_SENT("sent by SMS", "已发短信"),
    STATUS_DELIVERED("delivered", "已送达"),
    STATUS_SEEN("seen", "已读"),
    /** reason. */
    STATUS_NOT_SENT("not sent: %1$s", "未发：%1$s"),
    /** reason. */
    STATUS_FAILED("failed: %1$s", "失败：%1$s"),
    /** reached, total: a group message. */
    STATUS_GROUP("%1$s/%2$s delivered", "送达%1$s/%2$s"),
    /** failed: a group message's members it did not reach. */
    STATUS_GROUP_FAILED(", %1$s failed", "，失败%1$s"),
    REASON_STOP("STOP", "对方退订"),
    REASON_NOT_ALLOWED("number not served", "号码不支持"),
    REASON_UNREACHABLE("unreachable", "无法送达"),
    REASON_REJECTED("rejected", "被拒收"),
    REASON_BAD_NUMBER("bad number", "号码无效"),
    REASON_REFUSED("refused", "被拒绝"),
    REASON_EXPIRED("expired", "已过期"),
    REASON_LINK_DOWN("SMS link down", "短信通道故障"),
    REASON_OTHER("error", "出错"),
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
    /** minutes. */
    ERR_OVER_QUOTA_MIN("Not sent: sending limit reached. Try again in %1$s min.", "未发送：已达发送上限，请%1$s分钟后再试。"),
    /** hours. */
    ERR_OVER_QUOTA_H("Not sent: today's sending limit reached. Try again in %1$s h.", "未发送：已达今日发送上限，请%1$s小时后再试。"),
    /** number. */
    ERR_DENIED_DESTINATION("Not sent: %1$s cannot be reached from here.", "未发送：无法向%1$s发送。"),
    /** The second help (HELP 2 / 帮助2): names, groups, blocks (issue 18). */
    HELP_MORE(
        "NAME yourname; NAME @number name; MEMBERS @group; JOIN @group; LEAVE @group; BLOCK @number; UNBLOCK @number;"
            + " TZ +8: your time zone",
        "名字 你的名字；名字 @号码 备注；成员 @群；加入 @群；退群 @群；屏蔽 @号码；解除屏蔽 @号码；时区 +8"),
    /** name. */
    NAME_SET("You are now shown as %1$s.", "你的名字已改为%1$s。"),
    /** number, name. */
    CONTACT_NAMED("%1$s is now shown to you as %2$s.", "已将%1$s备注为%2$s。"),
    /** number. */
    CONTACT_UNNAMED("%1$s: your name for them removed.", "已删除%1$s的备注。"),
    BAD_NAME(
        "Name not set: 1-20 characters with a letter, without @ : [ ] < >.",
        "未改名：名字须为1-20个字，含文字，不含@ : [ ] < >。"),
    NAME_USAGE("Send NAME yourname, or NAME @number name for a contact.", "请发送：名字 你的名字，或 名字 @号码 备注"),
    /** the zone, as a user reads it. */
    TZ_SET("Times are now shown in %1$s.", "时间将按%1$s显示。"),
    TZ_DEFAULT("Times are shown in the gateway's time zone again.", "时间已恢复按默认时区显示。"),
    TZ_USAGE(
        "Send TZ and your hours from UTC, e.g. TZ +8 or TZ -5, or a region like TZ Asia/Shanghai; TZ default to reset.",
        "请发送：时区 与UTC相差的小时，如 时区 +8，或地区如 时区 Asia/Shanghai；时区 默认 恢复默认。"),
    GROUP_USAGE("Send MEMBERS, JOIN or LEAVE @group; BLOCK or UNBLOCK @number.", "请发送：成员/加入/退群 @群；屏蔽/解除屏蔽 @号码"),
    /** group, count, names. */
    MEMBERS("%1$s (%2$s): %3$s", "%1$s（%2$s人）：%3$s"),
    /** how many more. */
    MEMBERS_MORE(" +%1$s more", "等%1$s人"),
    /** group name, group id. */
    JOINED("You joined %1$s. Send @%2$s text to write to it.", "已加入%1$s。发送 @%2$s 内容 即可群聊。"),
    /** group. */
    ALREADY_IN("You are already in %1$s.", "你已在%1$s中。"),
    /** group. */
    JOIN_CLOSED("%1$s is not open to join: ask a member's admin.", "%1$s不开放加入，请联系管理员。"),
    /** group. */
    LEFT("You left %1$s.", "已退出群%1$s。"),
    /** group. */
    NOT_IN("You are not in %1$s.", "你不在%1$s中。"),
    /** target. */
    NO_GROUP("No group %1$s here.", "没有群%1$s。"),
    /** target. */
    NO_NUMBER("%1$s is not a number here.", "%1$s不是有效号码。"),
    /** who, number. */
    BLOCKED(
        "Blocked %1$s: their messages to you are refused. UNBLOCK @%2$s undoes it.",
        "已屏蔽%1$s，其消息不再转给你。解除：解除屏蔽 @%2$s"),
    /** who. */
    ALREADY_BLOCKED("%1$s is already blocked.", "%1$s已在屏蔽中。"),
    /** who. */
    UNBLOCKED("%1$s is no longer blocked.", "已解除屏蔽%1$s。"),
    /** who. */
    NOT_BLOCKED("%1$s was not blocked.", "%1$s未被屏蔽。"),
    /** who. */
    ERR_BLOCKED("Not sent: %1$s does not take your messages.", "未发送：%1$s拒收你的消息。"),
    /** A failed or near-miss login: held back, since it may hold a password (ADR 0016). */
    LOGIN_HELP(
        "Not sent: this looks like a login. To log in send: LOGIN account password",
        "未发送：疑似登录信息。登录请发送：登录 账号 密码"),
    IM_UNAVAILABLE("Instant messaging is not available here.", "本网关未开通即时通讯。"),
    /** account, numbered online contacts. */
    IM_LOGGED_IN("%1$s online: %2$s", "%1$s在线好友：%2$s"),
    /** account. */
    IM_NONE_ONLINE("%1$s: no contact online. WHO to ask again.", "%1$s：暂无好友在线。回复好友再查。"),
    IM_BAD_LOGIN(
        "Wrong account or password. Send again: LOGIN account password",
        "账号或密码错误，请重新发送：账号：…;密码：…"),
    IM_SERVER_DOWN("IM server not reachable now. Try again later.", "即时通讯服务器暂时无法连接，请稍后再试。"),
    IM_GATEWAY_FULL("Too many IM users here now. Try again later.", "即时通讯在线人数已满，请稍后再试。"),
    /** minutes. */
    IM_LOCKED("Too many wrong logins. Try again in %1$s min.", "登录错误次数过多，请%1$s分钟后再试。"),
    /** account. */
    IM_LOGGED_OUT("Logged out of %1$s.", "已退出%1$s。"),
    IM_NOT_LOGGED_IN("Not logged in. Send LOGIN account password.", "未登录。请发送：登录 账号 密码"),
    /** account. */
    IM_ENDED("%1$s was logged out by the server. LOGIN to return.", "%1$s已被服务器下线，请重新登录。"),
    /** account: the account logged in elsewhere (stream conflict); not retried, or the two would take turns. */
    IM_REPLACED("%1$s logged in elsewhere, so it ended here.", "%1$s已在别处登录，此处已下线。"),
    /** account: the IM server's administrator ended the session; not retried. */
    IM_KICKED("%1$s was ended by the IM server's administrator.", "%1$s已被服务器管理员下线。"),
    /** accounts. */
    IM_REMOVED("%1$s was removed here: logged out.", "%1$s已被删除，已退出登录。"),
    /** accounts. */
    IM_RESTARTED("chatgate restarted: log in again to %1$s.", "chatgate已重启，请重新登录%1$s。"),
    /** accounts. */
    IM_LOST("%1$s: connection lost. Log in again.", "%1$s连接中断，请重新登录。"),
    /** account, idle time. */
    IM_IDLE("Logged out of %1$s after %2$s without use.", "%1$s闲置%2$s，已自动退出。"),
    /** contact, reason. */
    IM_NOT_SENT("Not sent to %1$s: %2$s", "未发送给%1$s：%2$s"),
    /** contact, the text's start quoted (ADR 0022). */
    IM_NOT_SENT_LOGGED_OUT("Not sent to %1$s, you logged out first: %2$s", "未发送给%1$s，您已先退出登录：%2$s"),
    /** contact, the text's start quoted. */
    IM_NOT_SENT_NO_LOGIN("Not sent to %1$s, no login in time: %2$s", "未发送给%1$s，未及时重新登录：%2$s"),
    /** contact, the text's start quoted: handed to a session lost before the server confirmed it. */
    IM_UNCONFIRMED("Maybe not sent to %1$s (connection lost): %2$s", "可能未发送给%1$s（连接中断）：%2$s"),
    /** max accounts. */
    IM_TOO_MANY("At most %1$s IM accounts at once. LOGOUT one first.", "最多同时登录%1$s个账号，请先退出一个。"),
    /** index. */
    IM_NO_INDEX("No contact %1$s. Send WHO for the list.", "没有第%1$s位好友，回复好友查看列表。");

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

  /** A sender's quota is spent: when it resets, in minutes, or in hours for a day's quota. */
  public static String overQuota(Language lang, long minutes) {
    return minutes < 120 ? sms(lang, Sms.ERR_OVER_QUOTA_MIN, minutes) : sms(lang, Sms.ERR_OVER_QUOTA_H, (minutes + 59) / 60);
  }

  public static String sms(Language lang, Sms key, Object... args) {
    String p = key.pattern(lang);
    return args.length == 0 ? p : String.format(Locale.ROOT, p, args);
  }
}
