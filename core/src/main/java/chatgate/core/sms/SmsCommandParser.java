package chatgate.core.sms;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the SMS command language of the contract, in Chinese and English, case-insensitive.
 * Anything that is not a command is text for the last partner, so a friend's "ok" is never
 * mistaken for a command unless it is exactly one.
 */
public final class SmsCommandParser {
  private static final Set<String> WHO = Set.of("who", "好友");
  private static final Set<String> LOGOUT = Set.of("logout", "退出");
  private static final Set<String> HELP = Set.of("help", "帮助", "?", "？");
  private static final Set<String> STOP = Set.of("stop", "退订", "td", "unsubscribe");
  private static final Set<String> START = Set.of("start", "恢复");
  private static final Set<String> LOGIN = Set.of("login", "登录", "登陆");

  /** Keys of the patent's login format (P1.8), by the part they name. */
  private static final Map<String, String> LOGIN_KEYS = Map.ofEntries(
      Map.entry("账号", "account"), Map.entry("帐号", "account"), Map.entry("account", "account"),
      Map.entry("用户名", "name"), Map.entry("name", "name"), Map.entry("username", "name"),
      Map.entry("密码", "password"), Map.entry("password", "password"), Map.entry("pwd", "password"));

  private static final Pattern PATENT_PART = Pattern.compile("\\s*([^:：;；\\s]+)\\s*[:：]\\s*(.*?)\\s*");
  private static final Pattern INDEXED = Pattern.compile("(\\d{1,2})\\s+(.+)", Pattern.DOTALL);
  private static final Pattern SPACE = Pattern.compile("[\\s\\u3000]+");

  /**
   * Whether a command is a login or a failed one: its text may hold a password, so it must not
   * name anything (no ref, hash or log line derived from it) nor be stored or relayed.
   */
  public static boolean isLogin(SmsCommand c) {
    return c instanceof SmsCommand.ImLogin || c instanceof SmsCommand.Malformed m && m.usage() == SmsCommand.Usage.LOGIN;
  }

  /** {@link #isLogin} of the text as parsed. */
  public boolean carriesLogin(String text) {
    return isLogin(parse(text));
  }

  public SmsCommand parse(String raw) {
    String text = raw == null ? "" : raw.strip().replace('\u3000', ' ');
    if (text.isEmpty()) {
      return new SmsCommand.SendToLast("");
    }
    SmsCommand patent = patentLogin(text);
    if (patent != null) {
      return patent;
    }
    String bare = stripTrailingPunctuation(text).toLowerCase(Locale.ROOT);
    if (WHO.contains(bare)) {
      return new SmsCommand.Who();
    }
    if (HELP.contains(bare)) {
      return new SmsCommand.Help();
    }
    if (STOP.contains(bare)) {
      return new SmsCommand.Stop();
    }
    if (START.contains(bare)) {
      return new SmsCommand.Start();
    }
    String[] words = SPACE.split(text, 3);
    String first = words[0].toLowerCase(Locale.ROOT);
    if (LOGOUT.contains(bare)) {
      return new SmsCommand.Logout("");
    }
    if (LOGOUT.contains(first) && words.length == 2 && !words[1].contains(" ")) {
      return new SmsCommand.Logout(words[1]);
    }
    if (LOGIN.contains(first)) {
      if (words.length < 3 || words[1].isBlank() || words[2].isBlank()) {
        return new SmsCommand.Malformed(SmsCommand.Usage.LOGIN);
      }
      return new SmsCommand.ImLogin(words[1], "", words[2].strip());
    }
    if (text.startsWith("@") || text.startsWith("＠")) {
      String[] parts = SPACE.split(text.substring(1), 2);
      if (parts[0].isEmpty()) {
        return new SmsCommand.Malformed(SmsCommand.Usage.SEND);
      }
      return new SmsCommand.SendTo(parts[0], parts.length > 1 ? parts[1].strip() : "");
    }
    Matcher m = INDEXED.matcher(text);
    if (m.matches()) {
      return new SmsCommand.SendToIndex(Integer.parseInt(m.group(1)), m.group(2).strip(), text);
    }
    return new SmsCommand.SendToLast(text);
  }

  /**
   * {@code 账号：A;用户名：N;密码：P} with full- or half-width colons and semicolons, spaces, in
   * any order (P1.8). Null when the text is not in this format at all.
   */
  private static SmsCommand patentLogin(String text) {
    String[] parts = text.split("[;；\\n]");
    String account = null;
    String name = null;
    String password = null;
    int keyed = 0;
    for (String part : parts) {
      if (part.isBlank()) {
        continue;
      }
      Matcher m = PATENT_PART.matcher(part);
      if (!m.matches()) {
        return keyed > 0 ? new SmsCommand.Malformed(SmsCommand.Usage.LOGIN) : null;
      }
      String key = LOGIN_KEYS.get(m.group(1).toLowerCase(Locale.ROOT));
      if (key == null) {
        return keyed > 0 ? new SmsCommand.Malformed(SmsCommand.Usage.LOGIN) : null;
      }
      keyed++;
      switch (key) {
        case "account" -> account = m.group(2);
        case "name" -> name = m.group(2);
        default -> password = m.group(2);
      }
    }
    if (keyed == 0) {
      return null;
    }
    if (account == null || account.isBlank() || password == null || password.isEmpty()) {
      return new SmsCommand.Malformed(SmsCommand.Usage.LOGIN);
    }
    return new SmsCommand.ImLogin(account.strip(), name == null ? "" : name.strip(), password);
  }

  private static String stripTrailingPunctuation(String s) {
    int end = s.length();
    while (end > 0 && ".!。！".indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(0, end).strip();
  }
}
