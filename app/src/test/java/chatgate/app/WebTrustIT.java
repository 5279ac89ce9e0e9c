package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import chatgate.core.auth.Tokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 15's web-trust findings on the whole gateway as {@code chatgate run} wires it, on SQLite,
 * with the database read directly: reply links (ADR 0014), sessions, the simulator.
 */
class WebTrustIT {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";

  @TempDir
  Path dir;

  Path configFile;
  Map<String, String> env = Map.of();
  Gateway gateway;
  String base;

  void start() throws Exception {
    configFile = TestConfig.sqlite(dir.resolve("data/chatgate.db")).simulator()
        .set("http", "public_url", "http://gw.example")
        .set("security", "key_file", dir.resolve("data/chatgate.key").toString())
        .write(dir.resolve("chatgate.toml"));
    gateway = Gateway.start(new ConfigLoader(env).load(Optional.of(configFile)));
    base = "http://127.0.0.1:" + gateway.httpPort();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/chatgate.db"));
  }

  private long count(String sql) throws Exception {
    try (Connection c = db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
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

  /** A sends B (offline) a message; the reply link's path as B's handset shows it. */
  private String linkToB(HttpPhone a, String text) throws Exception {
    assertThat(a.send("13800000002", text).statusCode()).isEqualTo(302);
    HttpPhone sim = new HttpPhone(base, "");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sim.lastSmsOn(B).contains(text));
    Matcher m = Pattern.compile("http://gw\\.example(/r/[A-Za-z0-9]{12})").matcher(sim.lastSmsOn(B));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void aReplyLinkOpenedFiveThousandTimesMakesOneClaimNoSessionAndOnlyHashesAreStored() throws Exception {
    start();
    HttpPhone a = new HttpPhone(base, "13800000001").login();
    String link = linkToB(a, "the plan");
    String token = link.substring(3);
    long sessionsBefore = count("SELECT COUNT(*) FROM web_sessions");
    HttpClient noCookies = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    int pages = 0;
    for (int i = 0; i < 5000; i++) {
      HttpResponse<String> r = noCookies.send(HttpRequest.newBuilder(URI.create(base + link)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        pages++;
      }
    }
    assertThat(pages).as("only the first browser gets the conversation").isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM web_sessions")).isEqualTo(sessionsBefore);
    assertThat(count("SELECT COUNT(*) FROM web_sessions WHERE msisdn = '" + B + "'")).isZero();
    assertThat(count("SELECT COUNT(*) FROM deliveries WHERE reply_claim IS NOT NULL")).isEqualTo(1);
    // The store holds the token's hash, never the token.
    assertThat(count("SELECT COUNT(*) FROM deliveries WHERE reply_hash = '" + Tokens.sha256(token) + "'")).isEqualTo(1);
    try (Connection c = db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM deliveries")) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          assertThat(String.valueOf(rs.getObject(i))).as(rs.getMetaData().getColumnName(i)).doesNotContain(token);
        }
      }
    }
  }

  @Test
  void adminUserRemoveEndsThePhonesSessionsAtOnce() throws Exception {
    start();
    HttpPhone a = new HttpPhone(base, "13800000001").login();
    assertThat(a.get("/chat").statusCode()).isEqualTo(200);
    assertThat(admin("user", "remove", A)).isZero();
    HttpResponse<String> r = a.get("/chat");
    assertThat(r.statusCode()).as("the removed phone's cookie no longer works").isEqualTo(302);
    assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    assertThat(count("SELECT COUNT(*) FROM web_sessions WHERE msisdn = '" + A + "'")).isZero();
  }

  @Test
  void theSimulatorRefusesABindWithTheOldFixedPassword() throws Exception {
    start();
    int port = gateway.simulator().orElseThrow().port();
    // The gateway bound to it with this start's own password.
    ItSupport.awaitReady(base, Duration.ofSeconds(10));
    org.jsmpp.session.SMPPSession session = new org.jsmpp.session.SMPPSession();
    session.setTransactionTimer(5_000);
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> session.connectAndBind("127.0.0.1", port,
          new org.jsmpp.session.BindParameter(org.jsmpp.bean.BindType.BIND_TRX, "chatgate", "sim", "",
              org.jsmpp.bean.TypeOfNumber.UNKNOWN, org.jsmpp.bean.NumberingPlanIndicator.UNKNOWN, null), 5_000))
          .isInstanceOf(java.io.IOException.class);
    } finally {
      session.close();
    }
  }

  @Test
  void theSimulatorTakesTheConfiguredPasswordForItsBind() throws Exception {
    env = Map.of("CHATGATE_SIMULATOR_PASSWORD", "pw4sim");
    start();
    ItSupport.awaitReady(base, Duration.ofSeconds(10));
    org.jsmpp.session.SMPPSession session = new org.jsmpp.session.SMPPSession();
    session.setTransactionTimer(5_000);
    try {
      session.connectAndBind("127.0.0.1", gateway.simulator().orElseThrow().port(),
          new org.jsmpp.session.BindParameter(org.jsmpp.bean.BindType.BIND_TRX, "chatgate", "pw4sim", "",
              org.jsmpp.bean.TypeOfNumber.UNKNOWN, org.jsmpp.bean.NumberingPlanIndicator.UNKNOWN, null), 5_000);
      assertThat(session.getSessionState().isBound()).isTrue();
    } finally {
      session.unbindAndClose();
    }
  }
}
