package chatgate.core.sms;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the SMS command language of the contract, in Chinese and English, case-insensitive,
 * after Unicode NFKC normalisation (full-width {@code ＳＴＯＰ}, {@code ：}, {@code ；} read as
 * their ASCII forms). What is relayed or used as a password is taken from the text as typed.
 * Anything that is not a command is text for the last partner, so a friend's "ok" is never
 * mistaken for a command unless it is exactly one.
 *
 * <p><b>Login-looking texts</b> (ADR 0016) are failed logins ({@link SmsCommand.Malformed} of
 * {@link SmsCommand.Usage#LOGIN}): answered with the login help, never relayed, stored or
 * logged, since they may hold a password. The boundary, after normalisation and case folding:
 * <ul>
 *   <li>a login keyword ({@code login}, {@code 登录}, {@code 登陆}) at the start, followed by the
 *       end, a space or {@code : = , ;} — or, for the Chinese keywords, directly by a Latin
 *       letter, digit or {@code @} ({@code 登录bob}) — that is not the well-formed
 *       {@code LOGIN account password};
 *   <li>a credential key ({@code 账号 帐号 账户 帐户 用户名 密码 口令 account username password
 *       passwd pwd}) followed by {@code :} or {@code =} anywhere in the text ({@code my password: x},
 *       {@code 我的密码：x}) — a text holding a likely password field is held back even when it
 *       was meant for a friend;
 *   <li>a Chinese credential key at the start followed by a space, a Latin letter or a digit
 *       ({@code 账号 bob；…}, {@code 密码hunter2});
 *   <li>an English password key at the start followed by exactly one word
 *       ({@code password hunter2}, {@code pwd x}).
 * </ul>
 * Still chat: {@code password is in the email}, {@code I forgot my password}, {@code password?},
 * {@code 登录不了吗}, {@code 登录?}, {@code 密码是多少}, {@code 账号呢}, {@code name: Bob},
 * {@code account closed}, {@code logins are down}.
 *
 * <p><b>Names, groups, blocks, time zone</b> (issue 18): see {@link SocialCommandParser}.
 */
public final class SmsCommandParser {
  private static final Set<String> WHO = Set.of("who", "好友");
  private static final Set<String> LOGOUT = Set.of("logout", "退出");
  private static final Set<String> HELP = Set.of("help", "帮助", "?");
  private static final Set<String> HELP_MORE = Set.of("help 2", "help2", "帮助2", "帮助 2");
  private static final Set<String> STOP = Set.of("stop", "退订", "td", "unsubscribe");
  private static final Set<String> START = Set.of("start", "开始", "恢复");
  private static final Set<String> LOGIN = Set.of("login", "登录", "登陆");
  private static final Set<String> STATUS = Set.of("status", "状态", "狀態");

  /** Keys of the patent's login format (P1.8), by the part they name. */
  private static final Map<String, String> LOGIN_KEYS = Map.ofEntries(
      Map.entry("账号", "account"), Map.entry("帐号", "account"), Map.entry("账户", "account"),
      Map.entry("帐户", "account"), Map.entry("account", "account"),
      Map.entry("用户名", "name"), Map.entry("name", "name"), Map.entry("username", "name"),
      Map.entry("密码", "password"), Map.entry("password", "password"), Map.entry("pwd", "password"));

  private static final Pattern PATENT_PART = Pattern.compile("\\s*([^:;\\s]+)\\s*:\\s*(.*?)\\s*", Pattern.DOTALL);
  private static final Pattern SHORT_LOGIN = Pattern.compile("(\\S+)\\s+(\\S+)\\s+(.*\\S)", Pattern.DOTALL);
  private static final Pattern INDEXED = Pattern.compile("(\\d{1,2})\\s+(.+)", Pattern.DOTALL);
  private static final Pattern SPACE = Pattern.compile("\\s+");

  /** A login keyword at the start, then the end, a separator, or (Chinese keywords) an account typed on. */
  private static final Pattern LOGIN_START =
      Pattern.compile("(?:login(?:$|[\\s:=,;])|(?:登录|登陆)(?:$|[\\s:=,;a-z0-9@]))");
  /** A credential key followed by a colon or an equals sign, anywhere. */
  private static final Pattern KEY_FIELD = Pattern.compile(
      "(?:账号|帐号|账户|帐户|用户名|密码|口令|(?<![a-z])(?:account|username|password|passwd|pwd))\\s*[:=]");
  /** A Chinese credential key at the start followed by a space or a value typed on. */
  private static final Pattern ZH_KEY_START = Pattern.compile("(?:账号|帐号|账户|帐户|用户名|密码|口令)[\\sa-z0-9]");
  /** An English password key at the start followed by one word and nothing else. */
  private static final Pattern EN_PASSWORD_WORD = Pattern.compile("(?:password|passwd|pwd)\\s+\\S+");

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
    Typed t = Typed.of(raw == null ? "" : raw.strip());
    String text = t.norm;
    if (text.isEmpty()) {
      return new SmsCommand.SendToLast("");
    }
    String lower = lowerSameLength(text);
    SmsCommand patent = patentLogin(t, lower);
    if (patent != null) {
      return patent;
    }
    String bare = stripTrailingPunctuation(lower);
    if (WHO.contains(bare)) {
      return new SmsCommand.Who();
    }
    if (HELP.contains(bare)) {
      return new SmsCommand.Help();
    }
    if (HELP_MORE.contains(bare)) {
      return new SmsCommand.HelpMore();
    }
    if (STOP.contains(bare)) {
      return new SmsCommand.Stop();
    }
    if (START.contains(bare)) {
      return new SmsCommand.Start();
    }
    if (STATUS.contains(bare)) {
      return new SmsCommand.Status();
    }
    String[] words = SPACE.split(lower, 3);
    if (LOGOUT.contains(bare)) {
      return new SmsCommand.Logout("");
    }
    if (LOGOUT.contains(words[0]) && words.length == 2) {
      return new SmsCommand.Logout(SPACE.split(text, 2)[1]);
    }
    if (LOGIN.contains(words[0])) {
      Matcher m = SHORT_LOGIN.matcher(text);
      if (!m.matches()) {
        return new SmsCommand.Malformed(SmsCommand.Usage.LOGIN);
      }
      return new SmsCommand.ImLogin(m.group(2), "", t.typed(m.start(3), m.end(3)));
    }
    if (looksLikeLogin(lower)) {
      return new SmsCommand.Malformed(SmsCommand.Usage.LOGIN);
    }
    SmsCommand social = SocialCommandParser.parse(text, lower, bare);
    if (social != null) {
      return social;
    }
    if (text.startsWith("@")) {
      String[] parts = SPACE.split(text.substring(1), 2);
      if (parts[0].isEmpty()) {
        return new SmsCommand.Malformed(SmsCommand.Usage.SEND);
      }
      return new SmsCommand.SendTo(parts[0], parts.length > 1 ? t.typedAfterFirstWord(1) : "");
    }
    Matcher m = INDEXED.matcher(text);
    if (m.matches()) {
      return new SmsCommand.SendToIndex(Integer.parseInt(m.group(1)), t.typedAfterFirstWord(0), t.raw);
    }
    return new SmsCommand.SendToLast(t.raw);
  }

  /** The boundary of the class javadoc, on the normalised, lower-cased text. */
  private static boolean looksLikeLogin(String lower) {
    return LOGIN_START.matcher(lower).lookingAt()
        || KEY_FIELD.matcher(lower).find()
        || ZH_KEY_START.matcher(lower).lookingAt()
        || EN_PASSWORD_WORD.matcher(lower).matches();
  }

  /**
   * {@code 账号：A;用户名：N;密码：P} with full- or half-width colons and semicolons, spaces, in
   * any order (P1.8). Null when the text is not in this format at all; a text with only a name
   * part ({@code name: Bob}) is not.
   */
  private static SmsCommand patentLogin(Typed t, String lower) {
    String account = null;
    String name = null;
    String password = null;
    int keyed = 0;
    boolean credential = false;
    int from = 0;
    while (from <= lower.length()) {
      int end = nextSeparator(lower, from);
      String part = lower.substring(from, end);
      if (!part.isBlank()) {
        Matcher m = PATENT_PART.matcher(part);
        String key = m.matches() ? LOGIN_KEYS.get(m.group(1)) : null;
        if (key == null) {
          return keyed > 0 && credential ? new SmsCommand.Malformed(SmsCommand.Usage.LOGIN) : null;
        }
        keyed++;
        String value = t.typed(from + m.start(2), from + m.end(2));
        switch (key) {
          case "account" -> {
            account = t.norm.substring(from + m.start(2), from + m.end(2));
            credential = true;
          }
          case "name" -> name = value;
          default -> {
            password = value;
            credential = true;
          }
        }
      }
      from = end + 1;
    }
    if (keyed == 0 || !credential) {
      return null;
    }
    if (account == null || account.isBlank() || password == null || password.isEmpty()) {
      return new SmsCommand.Malformed(SmsCommand.Usage.LOGIN);
    }
    return new SmsCommand.ImLogin(account.strip(), name == null ? "" : name.strip(), password);
  }

  private static int nextSeparator(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ';' || c == '\n') {
        return i;
      }
    }
    return s.length();
  }

  /** Lower case char by char, so positions in it are positions in the normalised text. */
  private static String lowerSameLength(String s) {
    char[] c = s.toCharArray();
    for (int i = 0; i < c.length; i++) {
      c[i] = Character.toLowerCase(c[i]);
    }
    return new String(c);
  }

  private static String stripTrailingPunctuation(String s) {
    int end = s.length();
    while (end > 0 && ".!。".indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(0, end).strip();
  }

  /**
   * The text as typed and its NFKC form, each character of which knows where in the typed text
   * it came from, so what is relayed or used as a password is cut from the text as typed.
   * Normalised one code point at a time: enough to read commands, and every position maps back.
   */
  private record Typed(String raw, String norm, int[] origin) {
    static Typed of(String raw) {
      StringBuilder norm = new StringBuilder(raw.length());
      int[] origin = new int[raw.length() * 4 + 1];
      int n = 0;
      for (int i = 0; i < raw.length(); ) {
        int cp = raw.codePointAt(i);
        String part = Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFKC);
        for (int k = 0; k < part.length(); k++) {
          if (n + 1 >= origin.length) {
            origin = Arrays.copyOf(origin, origin.length * 2);
          }
          origin[n++] = i;
        }
        norm.append(part);
        i += Character.charCount(cp);
      }
      origin[n] = raw.length();
      // Leading or trailing characters that only became spaces (a typed U+3000 was stripped already).
      String s = norm.toString();
      int lead = 0;
      while (lead < s.length() && Character.isWhitespace(s.charAt(lead))) {
        lead++;
      }
      int trail = s.length();
      while (trail > lead && Character.isWhitespace(s.charAt(trail - 1))) {
        trail--;
      }
      int[] cut = Arrays.copyOfRange(origin, lead, trail + 1);
      return new Typed(raw, s.substring(lead, trail), cut);
    }

    /** The typed text behind normalised characters {@code [start, end)}. */
    String typed(int start, int end) {
      return raw.substring(origin[start], end >= norm.length() ? origin[norm.length()] : origin[end]);
    }

    /** The typed text after the first word of the normalised text starting at {@code skip}, stripped. */
    String typedAfterFirstWord(int skip) {
      Matcher m = SPACE.matcher(norm);
      return m.find(skip) ? typed(m.end(), norm.length()).strip() : "";
    }
  }
}
