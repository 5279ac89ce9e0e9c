package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * CN101784017A end to end on the real jar with its built-in SMSC and built-in IM service: two
 * phones log in to IM accounts by SMS (from /sim/, through SMPP) and chat, in Chinese and English.
 * Afterwards the password is nowhere in the gateway's log or its database files.
 */
class ImOverSmsIT {
  static final String ALICE_PW = "Pw-alice-7Qx!";
  static final String BOB_PW = "Pw-bob-K2z9";
  static final String A = "+8613800000051";
  static final String B = "+8613800000052";

  @TempDir
  Path dir;

  Path config;
  Process gateway;
  String base;

  @BeforeEach
  void start() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    config = dir.resolve("chatgate.toml");
    TestConfig.sqlite(dir.resolve("gw.db")).httpPort(port).simulator()
        .set("http", "public_url", "http://gw.example").logLevel("debug").write(config);
    assertThat(admin("im-account", "add", "alice", "--name", "Alice", "--password", ALICE_PW)).isZero();
    assertThat(admin("im-account", "add", "bob", "--name", "Bob", "--password", BOB_PW)).isZero();
    base = "http://127.0.0.1:" + port;
    Path jar = Path.of("target", "chatgate.jar").toAbsolutePath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    gateway = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "run", "--config",
        config.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
    HttpClient c = HttpClient.newHttpClient();
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> c.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.destroy();
      gateway.waitFor();
    }
    Path log = dir.resolve("gateway.log");
    if (Files.exists(log)) {
      List<String> lines = Files.readAllLines(log);
      System.out.println(String.join("\n", lines.subList(Math.max(0, lines.size() - 400), lines.size())));
    }
  }

  private int admin(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "admin";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--config";
    all[args.length + 2] = config.toString();
    CommandLine cl = new CommandLine(new Main());
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    return cl.execute(all);
  }

  private void sms(HttpPhone sim, String from, String text) throws Exception {
    String page = sim.get("/sim/").body();
    assertThat(sim.post("/sim/send", "from", from, "text", text, "csrf", HttpPhone.field(page, "csrf")).statusCode())
        .isEqualTo(302);
  }

  private static void await(HttpPhone sim, String handset, String prefix) throws Exception {
    try {
      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> sim.lastSmsOn(handset).startsWith(prefix));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("no SMS starting " + prefix + " on " + handset + "; it shows: " + sim.lastSmsOn(handset), e);
    }
  }

  @Test
  @DisplayName("P1.2–P1.8, P1.11: log in by SMS, contacts texted back, chat both ways in Chinese and English, LOGOUT; no password anywhere")
  void phonesChatThroughTheBuiltInImService() throws Exception {
    HttpPhone sim = new HttpPhone(base, "");
    sms(sim, B, "LOGIN bob " + BOB_PW);
    await(sim, B, "bob@chatgate.local");
    sms(sim, A, "账号：alice；用户名：小红；密码：" + ALICE_PW);
    await(sim, A, "alice@chatgate.local在线好友：1 Bob");

    sms(sim, A, "@bob 晚上好");
    // Issue 18: the patent's 用户名 is what the contact sees, not the account's old name.
    await(sim, B, "小红: 晚上好");
    sms(sim, B, "Good evening!");
    await(sim, A, "Bob：Good evening!");

    sms(sim, A, "LOGIN alice wrong-guess");
    await(sim, A, "Wrong account or password.");

    sms(sim, A, "退出");
    await(sim, A, "已退出alice@chatgate.local。");
    sms(sim, B, "@alice still there?");
    await(sim, B, "Not sent to 小红");

    gateway.destroy();
    assertThat(gateway.waitFor()).isNotNull();
    gateway = null;
    for (String pw : new String[] {ALICE_PW, BOB_PW, "wrong-guess"}) {
      byte[] needle = pw.getBytes(StandardCharsets.UTF_8);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertThat(indexOf(Files.readAllBytes(f), needle)).as(pw + " in " + f.getFileName()).isEqualTo(-1);
        }
      }
    }
    assertThat(Files.readString(dir.resolve("gateway.log"))).contains("command=ImLogin").contains("IM login of");
  }

  /** How many SMS the simulator shows a handset received (on /sim/, of its newest 20 lines). */
  private static int smsCountOn(HttpPhone sim, String handset) throws Exception {
    String page = sim.get("/sim/").body();
    int at = page.indexOf("📱 " + handset + "<");
    if (at < 0) {
      return 0;
    }
    int end = page.indexOf("📱 ", at + 2);
    String section = page.substring(at, end < 0 ? page.length() : end);
    return section.split("<li class=\"got\">", -1).length - 1;
  }

  @Test
  @DisplayName("issue 16: the same command twice within seconds runs twice and is answered twice")
  void aRepeatedCommandIsAnsweredEachTime() throws Exception {
    HttpPhone sim = new HttpPhone(base, "");
    sms(sim, A, "WHO");
    await(sim, A, "Not logged in.");
    sms(sim, A, "WHO");
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> smsCountOn(sim, A) == 2);
    sms(sim, A, "HELP"); // a canary: once its answer is there, a third answer to WHO would be too
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> smsCountOn(sim, A) == 3);
    assertThat(sim.lastSmsOn(A)).doesNotStartWith("Not logged in.");
  }

  @Test
  @DisplayName("issue 15: a near-miss login SMS is answered with the login help; the last partner gets nothing, nothing is stored")
  void nearMissLoginIsAnsweredWithHelpAndNeverRelayed() throws Exception {
    HttpPhone sim = new HttpPhone(base, "");
    sms(sim, A, "@13800000052 dinner at 8?");
    await(sim, B, "13800000051: dinner at 8?");
    String[] nearMisses = {"账号 alice；密码：" + ALICE_PW, "ＬＯＧＩＮ：alice " + ALICE_PW, "登录alice " + ALICE_PW,
        "my password: " + ALICE_PW};
    for (int i = 0; i < nearMisses.length; i++) {
      sms(sim, A, nearMisses[i]);
      // The canary goes to the same last partner after the near-miss: once it is there, the near-miss would be too.
      sms(sim, A, "canary " + i);
      await(sim, B, "13800000051: canary " + i);
      assertThat(sim.receivedOn(B)).as("the partner's inbox after " + nearMisses[i]).doesNotContain(ALICE_PW);
      assertThat(sim.lastSmsOn(A)).startsWith(i < 3 ? "未发送：疑似登录信息。" : "Not sent: this looks like a login.");
    }
    gateway.destroy();
    gateway.waitFor();
    gateway = null;
    byte[] needle = ALICE_PW.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(indexOf(Files.readAllBytes(f), needle)).as("the password in " + f.getFileName()).isEqualTo(-1);
      }
    }
  }

  @Test
  @DisplayName("issue 15: after STOP a contact's IM message is not sent, web login codes are refused, own commands are answered")
  void stopIsHonouredForImTextsAndWebCodes() throws Exception {
    HttpPhone sim = new HttpPhone(base, "");
    sms(sim, B, "LOGIN bob " + BOB_PW);
    await(sim, B, "bob@chatgate.local");
    sms(sim, A, "LOGIN alice " + ALICE_PW);
    await(sim, A, "alice@chatgate.local online: 1 Bob");
    sms(sim, B, "STOP");
    await(sim, B, "chatgate: you will get no more SMS.");
    sms(sim, A, "@bob are you there?");
    await(sim, A, "Not sent to Bob");
    // The answer to B's own command still goes; it comes after A's message, so that one would be there by now.
    sms(sim, B, "WHO");
    await(sim, B, "Not logged in.");
    assertThat(sim.receivedOn(B)).doesNotContain("are you there?");
    // A login code for B asked on the web: refused with the way out, and no SMS.
    HttpPhone web = new HttpPhone(base, "13800000052");
    String page = web.get("/login").body();
    var refused = web.post("/login", "phone", "13800000052", "csrf", HttpPhone.field(page, "csrf"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("START");
    sms(sim, B, "HELP");
    await(sim, B, "chatgate: @number");
    assertThat(sim.get("/sim/").body()).doesNotContain("chatgate code");
  }

  @Test
  @DisplayName("issue 15: an IM account removed by the admin command while logged in: its session ends, the phone is told")
  void aRemovedImAccountsSessionEnds() throws Exception {
    HttpPhone sim = new HttpPhone(base, "");
    sms(sim, B, "LOGIN bob " + BOB_PW);
    await(sim, B, "bob@chatgate.local");
    sms(sim, A, "LOGIN alice " + ALICE_PW);
    await(sim, A, "alice@chatgate.local online: 1 Bob");
    assertThat(admin("im-account", "remove", "alice")).isZero(); // another process's view: the same store
    sms(sim, A, "@bob still there?");
    await(sim, A, "alice@chatgate.local was removed here");
    // The canary: a chat SMS from A to B after it; once it is there, the IM text would be too.
    sms(sim, A, "@13800000052 canary");
    await(sim, B, "13800000051: canary");
    assertThat(sim.receivedOn(B)).doesNotContain("still there?");
    sms(sim, A, "WHO");
    await(sim, A, "Not logged in.");
  }

  /** Every way a number of the test could appear in a log line: E.164, digits only, as dialled in China. */
  static List<String> spellings(String e164) {
    return List.of(e164, e164.substring(1), e164.substring(3));
  }

  static String sha16(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
  }

  @Test
  @DisplayName("issue 15: IM passwords cannot be cracked from the log or the database, and no log line holds a full number")
  void imPasswordsAndNumbersStayOutOfLogsAndRefs() throws Exception {
    HttpPhone sim = new HttpPhone(base, "");
    String patent = "账号：alice；用户名：小红；密码：" + ALICE_PW;
    String shortForm = "LOGIN bob " + BOB_PW;
    // Web login code (an MT with a secret), chat page to a phone (MT + DLR), MO commands, MO chat, IM logins.
    HttpPhone web = new HttpPhone(base, "13800000053").login();
    assertThat(web.send("13800000052", "hello from the page").statusCode()).isEqualTo(302);
    await(sim, B, "13800000053: hello from the page");
    sms(sim, B, "HELP");
    await(sim, B, "chatgate:");
    sms(sim, B, "thanks, got it");
    sms(sim, B, shortForm);
    await(sim, B, "bob@chatgate.local");
    sms(sim, A, patent);
    await(sim, A, "alice@chatgate.local在线好友：1 Bob");
    sms(sim, A, patent); // a repeat of the same login SMS within the same 30 s
    sms(sim, A, "@bob 晚上好");
    await(sim, B, "小红: 晚上好");

    gateway.destroy();
    gateway.waitFor();
    gateway = null;
    List<String> lines = Files.readAllLines(dir.resolve("gateway.log"));
    List<String> secrets = new java.util.ArrayList<>(List.of(ALICE_PW, BOB_PW, sha16(patent), sha16(shortForm)));
    for (String n : new String[] {A, B, "+8613800000053"}) {
      secrets.addAll(spellings(n));
    }
    for (String line : lines) {
      for (String s : secrets) {
        assertThat(line).as("a log line holds " + s).doesNotContain(s);
      }
    }
    assertThat(lines).anyMatch(l -> l.contains("command=ImLogin"));
    List<String> refs = new java.util.ArrayList<>();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("gw.db"));
        var rs = c.createStatement().executeQuery("SELECT origin_ref FROM messages WHERE origin_ref IS NOT NULL")) {
      while (rs.next()) {
        refs.add(rs.getString(1));
      }
    }
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).doesNotContain(sha16(patent)).doesNotContain(sha16(shortForm)).doesNotContain(A).doesNotContain(B);
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
