package chatgate.web;

import chatgate.core.model.Language;
import java.util.Locale;

/** Every text a page shows, in English and Chinese. Arguments are positional ({@code %1$s}). */
public enum PageText {
  TITLE("chatgate", "chatgate"),
  WELCOME("Chat by SMS and on this page.", "用短信和本页面聊天。"),
  PHONE("Your phone number", "你的手机号码"),
  SEND_CODE("Send me a code", "发送验证码"),
  CODE("Code from the SMS", "短信中的验证码"),
  LOG_IN("Log in", "登录"),
  CODE_SENT("We sent a code by SMS to %1$s.", "验证码已发送到%1$s。"),
  OTHER_NUMBER("Use another number", "换个号码"),
  TO("To", "发给"),
  TO_HINT("number or group", "号码或群"),
  MESSAGE("Message", "消息"),
  SEND("Send", "发送"),
  PARTNERS("Chats", "聊天"),
  ONLINE("online", "在线"),
  GROUP("group", "群"),
  NEW_MESSAGES("New messages", "新消息"),
  REPLY("Reply", "回复"),
  CHAT_WITH("Chat with %1$s", "与%1$s聊天"),
  NO_PARTNERS("No chats yet: write a phone number in To.", "还没有聊天：在“发给”里填写手机号码。"),
  NO_MESSAGES("No messages yet.", "还没有消息。"),
  YOU("me", "我"),
  // What became of a message the viewer sent (issue 16, ADR 0021).
  STATE_QUEUED("queued", "排队中"),
  STATE_RETRYING("queued: retrying", "排队中：正在重试"),
  STATE_ON_PAGE("waiting for their page", "等待对方网页显示"),
  STATE_SENT("sent by SMS", "已发短信"),
  STATE_DELIVERED("delivered to the phone", "已送达手机"),
  STATE_SEEN("seen on their page", "对方已在网页查看"),
  /** reason. */
  STATE_NOT_SENT("not sent by SMS: %1$s (kept for their page)", "未发短信：%1$s（留待对方网页查看）"),
  /** reason. */
  STATE_FAILED("failed: %1$s", "失败：%1$s"),
  /** reached, total: a group message. */
  STATE_GROUP("delivered %1$s/%2$s", "已送达%1$s/%2$s"),
  /** count. */
  STATE_GROUP_UNDER_WAY("%1$s on the way", "%1$s人发送中"),
  /** count. */
  STATE_GROUP_FAILED("%1$s failed", "%1$s人失败"),
  REASON_STOP("recipient sent STOP", "对方已退订"),
  REASON_NOT_ALLOWED("number not served here", "本服务不支持该号码"),
  REASON_UNREACHABLE("number not reachable", "号码无法接通"),
  REASON_REJECTED("refused by the network", "被网络拒收"),
  REASON_BAD_NUMBER("not a valid number", "号码无效"),
  REASON_REFUSED("refused by the SMS centre", "短信中心拒绝"),
  REASON_EXPIRED("not delivered in time", "超时未送达"),
  REASON_LINK_DOWN("SMS centre not reachable", "短信中心无法连接"),
  REASON_OTHER("could not be sent", "无法发送"),
  LOGGED_IN_AS("You are %1$s.", "你是%1$s。"),
  LOG_OUT("Log out", "退出"),
  ALL_CHATS("All chats", "全部聊天"),
  REFRESHING("This page reloads every %1$s s.", "本页每%1$s秒刷新。"),
  STOP_REFRESH("Write", "写消息"),
  START_REFRESH("Watch for new messages", "等新消息（自动刷新）"),
  OLDER("Older messages", "更早的消息"),
  RELOAD("Reload", "刷新"),
  TODAY("Today", "今天"),
  YESTERDAY("Yesterday", "昨天"),
  BACK("Back", "返回"),
  MORE("more", "更多"),
  ERR_EMPTY("Write a message first.", "请先填写消息。"),
  ERR_TOO_LONG("The message is longer than %1$s characters.", "消息超过%1$s个字。"),
  ERR_BAD_TEXT("The message has characters that could not be read.", "消息含无法识别的字符。"),
  ERR_BAD_TARGET("“%1$s” is not a phone number or a group.", "“%1$s”不是手机号码或群。"),
  ERR_UNKNOWN_GROUP("There is no group “%1$s”.", "没有名为“%1$s”的群。"),
  ERR_NOT_MEMBER("You are not in group “%1$s”.", "你不在群“%1$s”中。"),
  ERR_BLOCKED("Not sent: %1$s does not take your messages.", "未发送：%1$s拒收你的消息。"),
  ERR_NO_PARTNER("Choose whom to write to.", "请选择发给谁。"),
  ERR_OVER_QUOTA_MIN("Not sent: you have reached your sending limit. Try again in %1$s min.",
      "未发送：已达发送上限，请%1$s分钟后再试。"),
  ERR_OVER_QUOTA_H("Not sent: you have reached today's sending limit. Try again in %1$s h.",
      "未发送：已达今日发送上限，请%1$s小时后再试。"),
  ERR_DENIED_DESTINATION("Messages cannot be sent to %1$s from here.", "无法从本服务向%1$s发送消息。"),
  ERR_BAD_NUMBER("That is not a phone number.", "这不是手机号码。"),
  ERR_WRONG_CODE("Wrong code. Try again.", "验证码不对，请再试。"),
  ERR_EXPIRED_CODE("The code has expired or was used. Ask for a new one.", "验证码已过期或已使用，请重新获取。"),
  ERR_SMS_STOPPED(
      "This number asked for no more SMS. Send START to the service number first, then ask for a code.",
      "此号码已退订短信。请先向服务号码发送START（开始），再获取验证码。"),
  ERR_LOCKED("Too many tries. Try again in %1$s minutes.", "尝试次数太多，请%1$s分钟后再试。"),
  ERR_CODES_BUSY("Codes cannot be sent just now. Please try again in %1$s minutes.", "暂时无法发送验证码，请%1$s分钟后再试。"),
  ERR_CODE_NOT_ALLOWED("Login codes cannot be sent to this number. Use a mobile number of this service's region.",
      "无法向此号码发送验证码，请使用本服务地区的手机号码。"),
  ERR_CSRF("This form has expired (or cookies are off). Please try again.", "表单已失效（或未开启cookie），请重试。"),
  ERR_NOT_FOUND("There is no such page.", "页面不存在。"),
  ERR_LINK("This reply link is unknown or has expired.", "此回复链接无效或已过期。"),
  ERR_OTHER_PHONE("This link was sent to another phone. Log out to use it.", "此链接是发给另一部手机的，请退出后再打开。"),
  ERR_LINK_USED("This reply link was already opened on another device. To read and answer your messages, log in"
      + " with your phone number: we send you a code by SMS.",
      "此回复链接已在另一台设备上打开。要查看和回复消息，请用手机号码登录，我们会用短信发送验证码。"),
  REPLY_ONLY("This link only lets you answer in this conversation.", "此链接只能在本对话中回复。"),
  LOGIN_FOR_ALL("Log in to see all your chats", "登录查看全部聊天"),
  ERR_TWO_MSISDN("The request carried more than one phone number header; it was refused.",
      "请求带有多个手机号码标头，已被拒绝。"),
  SIM_LOOPBACK_ONLY("The simulator's pages are open only on a loopback listener. Set [simulator] password to use"
      + " them here (user “sim”).",
      "模拟器页面只在本机回环地址上开放。要在此使用，请设置 [simulator] password（用户名“sim”）。"),
  SIM_PASSWORD("The simulator's pages need the user “sim” and the [simulator] password.",
      "模拟器页面需要用户名“sim”和 [simulator] password 中的密码。"),
  ERR_BAD_REQUEST("The request could not be read.", "无法读取请求。"),
  ERR_TOO_LARGE("That was too much text.", "内容太长。"),
  ERR_UNAVAILABLE("The service is busy. Please try again shortly.", "服务繁忙，请稍后再试。"),
  SIM_TITLE("SMSC simulator: virtual handsets", "短信中心模拟器：虚拟手机"),
  SIM_FROM("From number", "发送号码"),
  SIM_TEXT("Text", "内容"),
  SIM_SEND("Send SMS to %1$s", "发短信到%1$s"),
  SIM_NONE("No handset has sent or received an SMS yet.", "还没有手机收发过短信。"),
  SIM_WAP_PUSH("WAP Push", "WAP推送"),
  SIM_SENT("Sent.", "已发送。"),
  // ---- names, members, join/leave, block (issue 18, /people) ----
  PEOPLE("Names, members, block", "名字、成员、屏蔽"),
  YOUR_NAME("Your name (everyone sees it)", "你的名字（大家都能看到）"),
  /** the default zone. */
  TIME_ZONE("Your time zone (+8, -5:30, Asia/Shanghai; empty: %s)", "你的时区（+8、-5:30、Asia/Shanghai；留空：%s）"),
  NAME_FOR("Your name for %1$s (only you see it)", "你给%1$s的备注（只有你能看到）"),
  SAVE("Save", "保存"),
  BLOCK("Block", "屏蔽"),
  UNBLOCK("Unblock", "解除屏蔽"),
  YOU_BLOCK("You block %1$s: their messages to you are refused.", "你已屏蔽%1$s：其消息不再转给你。"),
  MEMBERS("Members (%1$s)", "成员（%1$s人）"),
  JOIN("Join", "加入"),
  LEAVE("Leave", "退群"),
  GROUP_CLOSED("Only an admin adds members to this group.", "只有管理员可以添加成员。"),
  NOT_IN_GROUP("You are not in this group.", "你不在这个群中。"),
  BACK_TO_CHAT("Back to the chat", "返回聊天"),
  DONE_SAVED("Saved.", "已保存。"),
  DONE_BLOCKED("Blocked.", "已屏蔽。"),
  DONE_UNBLOCKED("Unblocked.", "已解除屏蔽。"),
  DONE_JOINED("You joined the group.", "已加入该群。"),
  DONE_LEFT("You left the group.", "已退出该群。"),
  ERR_BAD_ZONE("Not saved: write hours from UTC like +8 or -5:30, or a region like Asia/Shanghai.",
      "未保存：请写与UTC相差的小时，如 +8 或 -5:30，或地区如 Asia/Shanghai。"),
  ERR_BAD_NAME("Not saved: a name has 1–20 characters with a letter, without @ : [ ] < >.",
      "未保存：名字须为1–20个字，含文字，不含@ : [ ] < >。");

  private final String en;
  private final String zh;

  PageText(String en, String zh) {
    this.en = en;
    this.zh = zh;
  }

  public String in(Language l, Object... args) {
    String p = l == Language.ZH ? zh : en;
    return args.length == 0 ? p : String.format(Locale.ROOT, p, args);
  }
}
