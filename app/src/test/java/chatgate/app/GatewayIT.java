package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.Config;
import chatgate.app.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole gateway, wired as {@code chatgate run} wires it, through the README's tour. */
class GatewayIT {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  static final String C = "+8613800000003";

  @TempDir
  Path dir;

  Path configFile;
  Gateway gateway;
  String base;

  @BeforeEach
  void start() throws Exception {
    configFile = TestConfig.sqlite(dir.resolve("data/chatgate.db")).simulator()
        .set("http", "public_url", "http://gw.example").write(dir.resolve("chatgate.toml"));
    gateway = Gateway.start(config());
    base = "http://127.0.0.1:" + gateway.httpPort();
  }

  private Config config() {
    return new ConfigLoader(Map.of()).load(java.util.Optional.of(configFile));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private int admin(String... args) {
    StringWriter out = new StringWriter();
    String[] all = new String[args.length + 3];
    all[0] = "admin";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--config";
    all[args.length + 2] = configFile.toString();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    return cl.execute(all);
  }

  @Test
  @DisplayName("README tour: two virtual phones chat through /sim/ and the chat pages (P2.4, P2.6, P2.7, P2.10, P2.12)")
  void theTour() throws Exception {
    HttpPhone a = new HttpPhone(base, "13800000001").login();
    // A writes to B, who is offline: an SMS with the reply link reaches B's handset.
    assertThat(a.send("13800000002", "Dinner tonight?").statusCode()).isEqualTo(302);
    HttpPhone sim = new HttpPhone(base, "");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sim.lastSmsOn(B).startsWith("13800000001: Dinner tonight?"));
    Matcher link = Pattern.compile("http://gw\\.example(/r/[A-Za-z0-9]{12})").matcher(sim.lastSmsOn(B));
    assertThat(link.find()).isTrue();

    // B answers by SMS from the simulator; A, browsing, sees it on the next page.
    a.get("/chat");
    String simPage = sim.get("/sim/").body();
    assertThat(sim.post("/sim/send", "from", "13800000002", "text", "Yes, at 8", "csrf",
        HttpPhone.field(simPage, "csrf")).statusCode()).isEqualTo(302);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.get("/chat").body().contains("Yes, at 8"));

    // B opens the reply link in a browser: the reply page with A chosen (P2.7); B answers from it,
    // then logs in by SMS code to carry on in the chat page (P2.12, ADR 0014).
    HttpPhone b = new HttpPhone(base, "13800000002");
    String reply = b.get(link.group(1)).body();
    assertThat(reply).contains("Chat with 13800000001").contains("Dinner tonight?").contains("Yes, at 8");
    assertThat(b.post(link.group(1), "text", "See you", "csrf", HttpPhone.field(reply, "csrf"), "nonce",
        HttpPhone.field(reply, "nonce")).statusCode()).isEqualTo(302);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.get("/chat").body().contains("See you"));
    b.login();
    assertThat(b.get(link.group(1)).headers().firstValue("Location").orElseThrow()).endsWith("/chat?to=%2B8613800000001");
    assertThat(b.get("/chat?to=%2B8613800000001").body()).contains("Dinner tonight?").contains("See you");

    // Groups from the admin command; each member by their own state.
    assertThat(admin("group", "create", "family", "--name", "家人", A, B, C)).isZero();
    b.get("/chat");
    assertThat(a.send("family", "Bring bread").statusCode()).isEqualTo(302);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sim.lastSmsOn(C).startsWith("[家人]13800000001: Bring bread"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> b.get("/chat").body().contains("Bring bread"));
    assertThat(sim.lastSmsOn(B)).doesNotContain("Bring bread");

    // SMS to a group from the simulator.
    String page = sim.get("/sim/").body();
    sim.post("/sim/send", "from", C, "text", "@family I'll bring wine", "csrf", HttpPhone.field(page, "csrf"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.get("/chat?to=family").body().contains("bring wine"));
  }

  @Test
  @DisplayName("accepted while the gateway was down, delivered once after it starts (nothing lost across a restart)")
  void messagesStoredWhileStoppedAreDeliveredOnStart() throws Exception {
    gateway.close();
    gateway = null;
    for (int i = 0; i < 5; i++) {
      assertThat(admin("send", "--from", A, "--to", B, "--text", "queued " + i)).isZero();
    }
    gateway = Gateway.start(config());
    base = "http://127.0.0.1:" + gateway.httpPort();
    HttpPhone sim = new HttpPhone(base, "");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      String p = sim.get("/sim/").body();
      return Pattern.compile("queued \\d").matcher(p).results().count() == 5;
    });
    // A canary queued after them and seen arriving: the stage has polled past the five, still exactly five.
    assertThat(admin("send", "--from", A, "--to", B, "--text", "canary after the five")).isZero();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sim.get("/sim/").body().contains("canary after the five"));
    String p = sim.get("/sim/").body();
    for (int i = 0; i < 5; i++) {
      assertThat(Pattern.compile("queued " + i).matcher(p).results().count()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("issue 16: through the built-in SMSC, my line turns to delivered by the SMS's receipt, and STATUS / 状态 by SMS say so")
  void theSenderSeesTheReceiptOnThePageAndBySms() throws Exception {
    HttpPhone a = new HttpPhone(base, "13800000001").login();
    assertThat(a.send("13800000002", "Did it arrive?").statusCode()).isEqualTo(302);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> a.get("/chat?to=%2B8613800000002").body().contains(">delivered to the phone</small>"));
    HttpPhone sim = new HttpPhone(base, "");
    String page = sim.get("/sim/").body();
    sim.post("/sim/send", "from", A, "text", "STATUS", "csrf", HttpPhone.field(page, "csrf"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sim.lastSmsOn(A).startsWith("Last sent: 1 13800000002 ")
        && sim.lastSmsOn(A).endsWith(" delivered"));
    sim.post("/sim/send", "from", A, "text", "状态", "csrf", HttpPhone.field(sim.get("/sim/").body(), "csrf"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sim.lastSmsOn(A).startsWith("最近发送：1 13800000002 ")
        && sim.lastSmsOn(A).endsWith(" 已送达"));
  }

  @Test
  void adminCommandsAnswerWithExitCodes() {
    assertThat(admin("user", "add", "13800000009", "--name", "Li Lei", "--lang", "zh")).isZero();
    assertThat(admin("user", "add", "not-a-number")).isEqualTo(2);
    assertThat(admin("user", "remove", "+8613800000077")).isEqualTo(1);
    assertThat(admin("group", "create", "club", A)).isZero();
    assertThat(admin("group", "create", "club", B)).isEqualTo(1);
    assertThat(admin("group", "create", "9bad", B)).isEqualTo(2);
    assertThat(admin("group", "add", "club", B)).isZero();
    assertThat(admin("group", "remove", "club", A)).isZero();
    assertThat(admin("group", "remove", "club")).isZero();
    assertThat(admin("group", "remove", "club")).isEqualTo(1);
    assertThat(admin("send", "--to", "family", "--text", "x")).isEqualTo(2);
    assertThat(admin("send", "--from", A, "--to", "nosuch", "--text", "x")).isEqualTo(1);
  }
}
