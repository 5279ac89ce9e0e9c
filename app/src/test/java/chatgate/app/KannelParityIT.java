package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import chatgate.sms.peer.NodeSmsc;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16, "Kannel sendsms parity": the same sendsms requests (GET and POST, good and bad) go to
 * Debian's Kannel 1.4.5 and to chatgate, each bound to its own npm SMSC peer, and everything a
 * client or the SMSC can see is compared: the HTTP status and body, the submit_sm fields
 * (data_coding, source and destination address with TON/NPI, protocol_id, priority, the reply-path
 * bit, UDH and text, validity and schedule), and the dlr-url callbacks with every escape Kannel
 * knows, for receipts the peer sends (delivered, undeliverable) and an SMSC refusal.
 *
 * <p>Not compared, as documented in the README's table: esm_class's messaging mode (Kannel 3,
 * chatgate 0) and registered_delivery (chatgate asks for a receipt for every SMS it sends, to
 * track it). The rows where chatgate differs on purpose are in {@link #deliberateDifferencesAreTheListedOnes}.
 * One Kannel and one gateway serve the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KannelParityIT {
  static final String SERVICE = "10658";
  static final String AUTH = "username=" + KannelBox.USER + "&password=" + KannelBox.PASS;
  /** Every escape of Kannel's dlr-url, an unknown one, "%%" and a trailing "%". */
  static final String ALL_ESCAPES = "a=%a&A=%A&b=%b&B=%B&c=%c&C=%C&d=%d&D=%D&e=%e&f=%f&F=%F&i=%i&I=%I&k=%k&m=%m"
      + "&M=%M&n=%n&o=%o&O=%O&p=%p&P=%P&q=%q&Q=%Q&r=%r&R=%R&s=%s&S=%S&t=%t&T=%T&u=%u&v=%v&V=%V&x=%x&Z=%Z&pct=%%&end=%";

  enum Side {
    KANNEL("k"), CHATGATE("c");

    final String letter;

    Side(String letter) {
      this.letter = letter;
    }
  }

  /** One request: the query after "?" (auth included where wanted) and, for a POST, headers and body. */
  record Req(String method, String query, List<String[]> headers, byte[] body) {}

  record Answer(int status, String body) {}

  /** A dlr-url callback the receiver got: which side, for which row, its raw query, when. */
  record Callback(Side side, String row, String query, Instant at) {}

  Path dir;
  NodeSmsc kannelSmsc;
  NodeSmsc chatgateSmsc;
  KannelBox kannel;
  Gateway gateway;
  RawReceiver receiver;
  String dlrBase;
  final List<Callback> callbacks = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();
  final AtomicInteger numbers = new AtomicInteger(10_000);
  final Map<String, Instant> sentAt = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("kannel-parity-");
    // A raw receiver: Kannel sends an escape it does not know (and "%%") as it is, which a strict
    // server (the JDK's) refuses with 400 before any handler sees it. The request line is kept raw.
    receiver = new RawReceiver(target -> {
      int q = target.indexOf('?');
      String[] path = (q < 0 ? target : target.substring(0, q)).split("/");
      if (path.length >= 4 && path[1].equals("dlr")) {
        callbacks.add(new Callback(path[2].equals("k") ? Side.KANNEL : Side.CHATGATE, path[3],
            q < 0 ? "" : target.substring(q + 1), Instant.now()));
      }
    });
    dlrBase = "http://127.0.0.1:" + receiver.port() + "/dlr/";
    kannelSmsc = NodeSmsc.start();
    chatgateSmsc = NodeSmsc.start();
    kannel = KannelBox.start(dir.resolve("kannel"), kannelSmsc.port(), NodeSmsc.SYSTEM_ID, NodeSmsc.PASSWORD, SERVICE);
    Path config = dir.resolve("chatgate.toml");
    // Kannel's TON/NPI for a numeric sender (its source-addr-autodetect for '+' and letters is chatgate's too).
    TestConfig.sqlite(dir.resolve("gw.db")).set("security", "key_file", dir.resolve("gw.key"))
        .set("sms", "service_number", SERVICE).set("sms", "allowed_destinations", List.of("*"))
        .smsc(chatgateSmsc).set("smpp", "source_ton", 2).set("smpp", "source_npi", 1)
        .set("smpp", "smsc_id", KannelBox.SMSC_ID)
        .sendsmsUser(KannelBox.USER, KannelBox.PASS,
            Map.of("dlr_url_allow", List.of(dlrBase.substring(0, dlrBase.length() - 1))))
        .write(config);
    gateway = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)));
    ItSupport.awaitReady("http://127.0.0.1:" + gateway.httpPort(), Duration.ofSeconds(20));
  }

  @AfterAll
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (kannel != null) {
      kannel.close();
    }
    for (NodeSmsc s : new NodeSmsc[] {kannelSmsc, chatgateSmsc}) {
      if (s != null) {
        s.close();
      }
    }
    if (receiver != null) {
      receiver.close();
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- the rows ----

  /**
   * One request and what to wait for: {@code to} the destination as both SMSCs see it (null when
   * nothing is sent), {@code parts} the submit_sm it makes, {@code dlrs} the callback types.
   */
  record Row(String name, String to, String kannelTo, int parts, List<Integer> dlrs,
      java.util.function.Function<Side, Req> req) {
    Row(String name, String to, int parts, List<Integer> dlrs, java.util.function.Function<Side, Req> req) {
      this(name, to, to, parts, dlrs, req);
    }

    Row withParts(int n) {
      return new Row(name, to, kannelTo, n, dlrs, req);
    }

    /** Where each SMSC sees the SMS go (chatgate sends numbers in international form). */
    Row seenAs(String chatgateTo, String kannelSees) {
      return new Row(name, chatgateTo, kannelSees, parts, dlrs, req);
    }

    Row withQuery(java.util.function.UnaryOperator<String> edit) {
      return new Row(name, to, kannelTo, parts, dlrs, side -> {
        Req r = req.apply(side);
        return new Req(r.method(), edit.apply(r.query()), r.headers(), r.body());
      });
    }
  }

  /** A fresh international number, "+86138000NNNNN", for one row. */
  String number() {
    return "+86138000" + numbers.incrementAndGet();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  String dlrUrl(Side side, String row, String query) {
    return dlrBase + side.letter + "/" + row + "?" + query;
  }

  Row get(String name, String to, int parts, String query) {
    return new Row(name, to == null ? null : to.substring(1), parts, List.of(),
        side -> new Req("GET", query, List.of(), null));
  }

  /** A GET to a fresh number with {@code params}; parts 1. */
  Row send(String name, String params) {
    String to = number();
    return get(name, to, 1, AUTH + "&to=" + enc(to) + "&" + params);
  }

  /** A GET to a fresh number with a dlr-url asking for every escape; the callbacks of these types expected. */
  Row withDlr(String name, String to, String params, int mask, List<Integer> types) {
    return withDlr(name, to, params, mask, types, ALL_ESCAPES);
  }

  Row withDlr(String name, String to, String params, int mask, List<Integer> types, String escapes) {
    return new Row(name, to.startsWith("+") ? to.substring(1) : to, 1, types, side -> new Req("GET", AUTH + "&to="
        + enc(to) + "&" + params + "&dlr-mask=" + mask + "&dlr-url=" + enc(dlrUrl(side, name, escapes)), List.of(),
        null));
  }

  /** A request refused before anything is known of its number. */
  Row refused(String name, String query) {
    return get(name, null, 0, query);
  }

  /** A request to a fresh number with {@code params} that must be refused: nothing reaches either SMSC. */
  Row bad(String name, String params) {
    String to = number();
    return get(name, to, 0, AUTH + "&to=" + enc(to) + "&" + params);
  }

  Row post(String name, String to, int parts, List<String[]> headers, byte[] body) {
    return new Row(name, to, parts, List.of(), side -> new Req("POST", "", headers, body));
  }

  static List<String[]> headers(String... nameValue) {
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      out.add(new String[] {nameValue[i], nameValue[i + 1]});
    }
    return out;
  }

  // ---- the findings ----

  @Test
  @DisplayName("issue 16: every dlr-url escape, '%%' and an unknown one expand as Kannel's do; %A is ACK/, the"
      + " whole receipt, or NACK/0x0000000b/Invalid Destination Address")
  void everyDlrUrlEscapeExpandsAsKannels() throws Exception {
    String refusedTo = number();
    String undeliverable = number();
    kannelSmsc.refuse(refusedTo.substring(1), 0x0B);
    chatgateSmsc.refuse(refusedTo.substring(1), 0x0B);
    kannelSmsc.receipts(undeliverable.substring(1), "UNDELIV", "011");
    chatgateSmsc.receipts(undeliverable.substring(1), "UNDELIV", "011");
    compare(List.of(
        withDlr("delivered", number(), "text=" + enc("hello world *star"), 31, List.of(8, 1)),
        withDlr("rejected", refusedTo, "text=nack", 31, List.of(16)),
        withDlr("undeliverable", undeliverable, "text=undeliv", 3, List.of(2)),
        withDlr("acked-only", number(), "text=ack&from=ACME", 8, List.of(8))));
  }

  @Test
  @DisplayName("issue 16: the escapes chatgate had (%d %A %p %P %F %T) say what Kannel's say: ACK/, the whole"
      + " receipt, NACK/0x0000000b/Invalid Destination Address; the number as written; the from; the decimal id")
  void theEscapesChatgateHadSayWhatKannelsSay() throws Exception {
    String known = "d=%d&A=%A&p=%p&P=%P&F=%F&T=%T";
    String zeros = "0086138000" + numbers.incrementAndGet();
    String refusedTo = number();
    kannelSmsc.refuse(refusedTo.substring(1), 0x0B);
    chatgateSmsc.refuse(refusedTo.substring(1), 0x0B);
    compareExcept(List.of(
        withDlr("known-delivered", zeros, "text=known&from=ACME", 9, List.of(8, 1), known)
            .seenAs(zeros.substring(2), zeros),
        withDlr("known-rejected", refusedTo, "text=known", 16, List.of(16), known)),
        "destination_addr", "dest_addr_ton");
  }

  @Test
  @DisplayName("issue 16: %p is the number as the client wrote it, %P the client's from, %F Kannel's id")
  void recipientAndSenderAreWhatTheClientWrote() throws Exception {
    String national = "138000" + numbers.incrementAndGet();
    String zeros = "0086138000" + numbers.incrementAndGet();
    compare(List.of(
        withDlr("from-letters", number(), "text=a&from=ACME", 9, List.of(8, 1)),
        withDlr("from-intl", number(), "text=b&from=" + enc("+8613912345678"), 9, List.of(8, 1)),
        withDlr("from-digits", number(), "text=c&from=10658123", 9, List.of(8, 1))));
    // chatgate sends numbers in international form (the SMSC sees 86…), Kannel as written: a
    // documented difference of the submit_sm; the callbacks still say what the client wrote.
    compareExcept(List.of(
        withDlr("to-national", national, "text=d", 9, List.of(8, 1)).seenAs("86" + national, national),
        withDlr("to-00", zeros, "text=e", 9, List.of(8, 1)).seenAs(zeros.substring(2), zeros)),
        "destination_addr", "dest_addr_ton");
  }

  @Test
  @DisplayName("issue 16: from, validity, deferred, mclass, mwi, alt-dcs, pid, rpi and priority reach the SMSC as"
      + " Kannel sends them")
  void fromValidityMclassPriorityReachTheSmsc() throws Exception {
    compare(List.of(
        send("from-number", "text=hi&from=10658999"),
        send("from-plus", "text=hi&from=" + enc("+8613912345678")),
        send("from-alpha", "text=hi&from=ACME"),
        send("validity", "text=hi&validity=60"),
        send("deferred", "text=hi&deferred=10"),
        send("mclass0", "text=hi&mclass=0"),
        send("mclass1", "text=hi&mclass=1"),
        send("mclass3-ucs2", "text=" + enc("你好") + "&coding=2&charset=UTF-8&mclass=3"),
        send("mwi1", "text=hi&mwi=1"),
        send("mwi5", "text=hi&mwi=5"),
        send("mwi2-ucs2", "text=" + enc("你好") + "&coding=2&charset=UTF-8&mwi=2"),
        send("alt-dcs", "text=hi&alt-dcs=1"),
        send("alt-dcs0-mclass", "text=hi&alt-dcs=0&mclass=2"),
        send("pid", "text=hi&pid=65"),
        send("rpi", "text=hi&rpi=1"),
        send("rpi2", "text=hi&rpi=2"),
        send("priority", "text=hi&priority=3"),
        send("undefined-values", "text=hi&mclass=-1&priority=-1&rpi=-1&coding=-1&validity=abc&smsc=any")));
  }

  @Test
  @DisplayName("issue 16: coding=0 sends Chinese as GSM with '?', as Kannel does; coding=2 is UCS-2 even for Latin")
  void codingZeroWithChineseGoesOutAsGsm() throws Exception {
    StringBuilder utf16 = new StringBuilder();
    for (byte b : "晚上八点见".getBytes(StandardCharsets.UTF_16BE)) {
      utf16.append('%').append(String.format("%02X", b & 0xFF));
    }
    compare(List.of(
        send("coding0-chinese", "text=" + enc("你好 ok") + "&coding=0"),
        send("coding2-utf8", "text=" + enc("你好世界") + "&coding=2&charset=UTF-8"),
        send("coding2-latin", "text=hi&coding=2&charset=UTF-8"),
        send("coding2-raw", "text=" + utf16 + "&coding=2"),
        send("charset-latin1", "text=%E9t%E9&charset=ISO-8859-1"),
        send("gsm-extension", "text=" + enc("{€} [x]")),
        get("five-parts-cut-to-four", "+8613800019991", 4, AUTH + "&to=%2B8613800019991&text=" + "x".repeat(700)),
        get("ucs2-parts", "+8613800019992", 2, AUTH + "&to=%2B8613800019992&coding=2&charset=UTF-8&text="
            + enc("长".repeat(100)))));
  }

  @Test
  @DisplayName("issue 16: Kannel's POST with X-Kannel-* headers and the text as the body is taken as Kannel takes it")
  void kannelPostWithXKannelHeaders() throws Exception {
    String a = number();
    String b = number();
    String c = number();
    String d = number();
    compare(List.of(
        post("post-plain", a.substring(1), 1, headers("X-Kannel-Username", KannelBox.USER, "X-Kannel-Password",
            KannelBox.PASS, "X-Kannel-To", a, "X-Kannel-From", "12345", "Content-Type", "text/plain; charset=UTF-8"),
            "plain body".getBytes(StandardCharsets.UTF_8)),
        post("post-all-headers", b.substring(1), 1, headers("X-Kannel-Username", KannelBox.USER, "X-Kannel-Password",
            KannelBox.PASS, "X-Kannel-To", b, "X-Kannel-Coding", "2", "X-Kannel-MClass", "1", "X-Kannel-Validity", "30",
            "X-Kannel-Priority", "2", "X-Kannel-PID", "64", "X-Kannel-RPI", "1", "X-Kannel-Deferred", "5",
            "X-Kannel-Alt-DCS", "0", "X-Kannel-Account", "acct", "X-Kannel-BInfo", "bill", "X-Kannel-SMSC", "any",
            "Content-Type", "text/plain; charset=UTF-8"), "你好".getBytes(StandardCharsets.UTF_8)),
        new Row("post-dlr", c.substring(1), 1, List.of(8, 1), side -> new Req("POST", "", headers(
            "X-Kannel-Username", KannelBox.USER, "X-Kannel-Password", KannelBox.PASS, "X-Kannel-To", c,
            "X-Kannel-DLR-Mask", "9", "X-Kannel-DLR-Url", dlrUrl(side, "post-dlr", ALL_ESCAPES), "Content-Type",
            "text/plain"), "with receipt".getBytes(StandardCharsets.UTF_8))),
        post("post-empty", d.substring(1), 1, headers("X-Kannel-Username", KannelBox.USER, "X-Kannel-Password",
            KannelBox.PASS, "X-Kannel-To", d, "Content-Type", "text/plain"), new byte[0]),
        post("post-no-to", null, 0, headers("X-Kannel-Username", KannelBox.USER, "X-Kannel-Password", KannelBox.PASS,
            "Content-Type", "text/plain"), "x".getBytes(StandardCharsets.UTF_8)),
        post("post-no-credentials", null, 0, headers("X-Kannel-To", number(), "Content-Type", "text/plain"),
            "x".getBytes(StandardCharsets.UTF_8)),
        post("post-json", null, 0, headers("X-Kannel-Username", KannelBox.USER, "X-Kannel-Password", KannelBox.PASS,
            "X-Kannel-To", number(), "Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8)),
        post("post-html", null, 0, headers("X-Kannel-Username", KannelBox.USER, "X-Kannel-Password", KannelBox.PASS,
            "X-Kannel-To", number(), "Content-Type", "text/html"), "<p>x</p>".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  @DisplayName("issue 16: missing text, more than 4 parts, bad dlr-mask, invalid UTF-8 and every other bad field are"
      + " answered as Kannel answers them")
  void badRequestsAreAnsweredAsKannelAnswersThem() throws Exception {
    String withBad = number();
    String number66 = number();
    compare(List.of(
        refused("missing-to", AUTH + "&text=hi"),
        refused("empty-to", AUTH + "&to=&text=hi"),
        refused("letters-to", AUTH + "&to=abc&text=hi"),
        get("one-good-one-bad", withBad, 1, AUTH + "&to=" + enc(withBad + " abc") + "&text=hi"),
        send("missing-text", "from=10658"),
        send("empty-text", "text="),
        bad("bad-charset", "text=hi&charset=NOPE"),
        send("invalid-utf8", "text=%FF%FEhi&charset=UTF-8"),
        send("invalid-utf8-no-charset", "text=%FFhi%C3"),
        send("dlr-mask-letters", "text=hi&dlr-mask=abc&dlr-url=" + enc("http://127.0.0.1:9/never")),
        new Row("dlr-mask-66", number66.substring(1), 1, List.of(), side -> new Req("GET", AUTH + "&to="
            + enc(number66) + "&text=hi&dlr-mask=66&dlr-url=" + enc(dlrUrl(side, "dlr-mask-66", "d=%d")), List.of(),
            null)),
        bad("dlr-mask-67", "text=hi&dlr-mask=67"),
        bad("dlr-mask-minus2", "text=hi&dlr-mask=-2"),
        bad("mclass-9", "text=hi&mclass=9"),
        bad("priority-9", "text=hi&priority=9"),
        bad("pid-999", "text=hi&pid=999"),
        bad("rpi-5", "text=hi&rpi=5"),
        bad("mwi-9", "text=hi&mwi=9"),
        bad("coding-3", "text=hi&coding=3"),
        bad("alt-dcs-5", "text=hi&alt-dcs=5"),
        bad("validity-minus5", "text=hi&validity=-5"),
        bad("deferred-minus3", "text=hi&deferred=-3"),
        bad("dlr-url-ftp", "text=hi&dlr-mask=1&dlr-url=" + enc("ftp://x/")),
        bad("account-bracket", "text=hi&account=a%5Bb"),
        send("first-text-wins", "text=first&text=second"),
        refused("wrong-password", "username=" + KannelBox.USER + "&password=guess&to=" + enc(number()) + "&text=hi"),
        refused("no-user", "to=" + enc(number()) + "&text=hi"),
        withDlr("old-names", number(), "text=old", 0, List.of(8)).withQuery(q -> q.replace("&dlr-mask=0&", "&dlrmask=8&")
            .replace("&dlr-url=", "&dlrurl="))));
  }

  @Test
  @DisplayName("issue 16: where chatgate answers otherwise on purpose (security, text safety, superset) it does"
      + " exactly what the README's table says")
  void deliberateDifferencesAreTheListedOnes() throws Exception {
    // Control characters: Kannel sends them as '?', chatgate refuses them (issue 15).
    expect("control-characters", send("control-characters", "text=a%00b%1B%07"),
        new Answer(202, "0: Accepted for delivery"), 1, new Answer(400, "Text contains control characters"), 0);
    // No coding with Chinese: Kannel sends '?' (7-bit), chatgate picks UCS-2 so the text arrives.
    Row chinese = send("chinese-no-coding", "text=" + enc("晚上见"));
    expect("chinese-no-coding", chinese, new Answer(202, "0: Accepted for delivery"), 1,
        new Answer(202, "0: Accepted for delivery"), 1);
    assertThat(submits(Side.KANNEL, chinese.to(), Instant.now()).getFirst().get("body")).isEqualTo("3f3f3f");
    assertThat(submits(Side.CHATGATE, chinese.to(), Instant.now()).getFirst().get("body")).isEqualTo("665a4e0a89c1");
    // A form body: Kannel's POST takes only text/plain; chatgate takes url-encoded forms too.
    String form = number();
    expect("form-post", post("form-post", form.substring(1), 1, headers("Content-Type",
        "application/x-www-form-urlencoded"), (AUTH + "&to=" + enc(form) + "&text=form").getBytes(StandardCharsets.UTF_8)),
        new Answer(400, "Invalid content-type"), 0, new Answer(202, "0: Accepted for delivery"), 1);
    // 8-bit data (coding=1, udh, an octet-stream body): Kannel sends binary, chatgate is a text gateway.
    expect("coding-1", send("coding-1", "text=hi&coding=1"), new Answer(202, "0: Accepted for delivery"), 1,
        new Answer(400, "8-bit (coding=1) messages are not supported, rejected"), 0);
    expect("udh", send("udh", "text=hi&udh=%06%05%04%0B%84%23%F0"), new Answer(202, "0: Accepted for delivery"), 1,
        new Answer(400, "UDH is not supported, rejected"), 0);
    // compress: Kannel sets the "compressed" DCS bit on an uncompressed text; chatgate leaves it out.
    Row compress = send("compress", "text=hi&compress=1");
    expect("compress", compress, new Answer(202, "0: Accepted for delivery"), 1,
        new Answer(202, "0: Accepted for delivery"), 1);
    assertThat(submits(Side.KANNEL, compress.to(), Instant.now()).getFirst().get("data_coding")).isEqualTo("32");
    assertThat(submits(Side.CHATGATE, compress.to(), Instant.now()).getFirst().get("data_coding")).isEqualTo("0");
    // A dlr-url to loopback that the user's dlr_url_allow does not list: chatgate refuses it (issue 15).
    expect("dlr-url-loopback", send("dlr-url-loopback", "text=hi&dlr-mask=1&dlr-url=" + enc("http://127.0.0.1:9/dlr")),
        new Answer(202, "0: Accepted for delivery"), 1,
        new Answer(400, "dlr-url not allowed: it points to this gateway, loopback or link-local"), 0);
    // Credentials in the query of a POST, and X-Kannel headers on a GET: Kannel reads neither; chatgate does.
    String q = number();
    expect("post-query-credentials", new Row("post-query-credentials", q.substring(1), 1, List.of(),
        side -> new Req("POST", AUTH + "&to=" + enc(q), headers("Content-Type", "text/plain"),
            "body".getBytes(StandardCharsets.UTF_8))),
        new Answer(403, "Authorization failed for sendsms"), 0, new Answer(202, "0: Accepted for delivery"), 1);
    String h = number();
    expect("get-headers", new Row("get-headers", h.substring(1), 1, List.of(), side -> new Req("GET", "to=" + enc(h)
        + "&text=hi", headers("X-Kannel-Username", KannelBox.USER, "X-Kannel-Password", KannelBox.PASS), null)),
        new Answer(403, "Authorization failed for sendsms"), 0, new Answer(202, "0: Accepted for delivery"), 1);
  }

  // ---- sending and comparing ----

  Answer send(Side side, Req r) throws Exception {
    String base = side == Side.KANNEL ? kannel.sendsmsUrl() : "http://127.0.0.1:" + gateway.httpPort() + "/cgi-bin/sendsms";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.query().isEmpty() ? base : base + "?" + r.query()))
        .timeout(Duration.ofSeconds(10));
    for (String[] hv : r.headers()) {
      b.header(hv[0], hv[1]);
    }
    b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(r.body()));
    HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(res.statusCode(), res.body().strip());
  }

  /** Sends every row to both, then compares all they show. */
  void compare(List<Row> rows) throws Exception {
    compareExcept(rows);
  }

  void compareExcept(List<Row> rows, String... notCompared) throws Exception {
    SoftAssertions soft = new SoftAssertions();
    Map<String, Answer[]> answers = new LinkedHashMap<>();
    for (Row row : rows) {
      sentAt.put(row.name(), Instant.now());
      answers.put(row.name(), new Answer[] {send(Side.KANNEL, row.req().apply(Side.KANNEL)),
          send(Side.CHATGATE, row.req().apply(Side.CHATGATE))});
    }
    canary();
    deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    for (Row row : rows) {
      Answer[] a = answers.get(row.name());
      soft.assertThat(a[1]).as(row.name() + ": chatgate's answer (Kannel's is the expected one)").isEqualTo(a[0]);
      if (row.to() == null) {
        continue;
      }
      Instant at = sentAt.get(row.name());
      List<Map<String, String>> k = awaitSubmits(Side.KANNEL, row.kannelTo(), row.parts(), at);
      List<Map<String, String>> c = awaitSubmits(Side.CHATGATE, row.to(), row.parts(), at);
      soft.assertThat(k.size()).as(row.name() + ": Kannel's submit_sm count (the table's)").isEqualTo(row.parts());
      soft.assertThat(c.size()).as(row.name() + ": submit_sm count").isEqualTo(k.size());
      for (int i = 0; i < Math.min(k.size(), c.size()); i++) {
        Map<String, String> kk = new LinkedHashMap<>(k.get(i));
        Map<String, String> cc = new LinkedHashMap<>(c.get(i));
        kk.remove("message_id");
        cc.remove("message_id");
        for (String f : notCompared) {
          kk.remove(f);
          cc.remove(f);
        }
        soft.assertThat(cc).as(row.name() + ": submit_sm part " + (i + 1) + " (Kannel's is the expected one)")
            .isEqualTo(kk);
      }
      if (!row.dlrs().isEmpty()) {
        Map<Integer, Map<String, String>> kd = awaitCallbacks(Side.KANNEL, row, k);
        Map<Integer, Map<String, String>> cd = awaitCallbacks(Side.CHATGATE, row, c);
        soft.assertThat(kd.keySet()).as(row.name() + ": Kannel's callback types (the table's)")
            .containsExactlyElementsOf(row.dlrs().stream().sorted().toList());
        soft.assertThat(cd).as(row.name() + ": dlr-url callbacks by type (Kannel's are the expected ones)").isEqualTo(kd);
      }
    }
    soft.assertAll();
  }

  /**
   * A row where chatgate differs on purpose: each side's answer and submit_sm count as the
   * README's table says.
   */
  void expect(String name, Row row, Answer kannelAnswer, int kannelParts, Answer chatgateAnswer, int chatgateParts)
      throws Exception {
    Answer k = send(Side.KANNEL, row.req().apply(Side.KANNEL));
    Answer c = send(Side.CHATGATE, row.req().apply(Side.CHATGATE));
    canary();
    deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    assertThat(k).as(name + ": Kannel's answer").isEqualTo(kannelAnswer);
    assertThat(c).as(name + ": chatgate's answer").isEqualTo(chatgateAnswer);
    Instant at = Instant.now();
    assertThat(awaitSubmits(Side.KANNEL, row.to(), kannelParts, at)).as(name + ": Kannel's submit_sm")
        .hasSize(kannelParts);
    assertThat(awaitSubmits(Side.CHATGATE, row.to(), chatgateParts, at)).as(name + ": chatgate's submit_sm")
        .hasSize(chatgateParts);
  }

  /** A canary to each side, awaited: what was refused earlier would have been sent by now. */
  void canary() throws Exception {
    String to = number();
    for (Side side : Side.values()) {
      Answer a = send(side, new Req("GET", AUTH + "&to=" + enc(to) + "&text=canary", List.of(), null));
      assertThat(a.status()).as("canary").isEqualTo(202);
      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> raw(side, to.substring(1)).size() == 1);
    }
  }

  NodeSmsc smsc(Side side) {
    return side == Side.KANNEL ? kannelSmsc : chatgateSmsc;
  }

  /** Waits for n submit_sm to this destination (none: returns what there is now) and returns them, normalised. */
  /**
   * Waits (until the row's deadline, without failing) for n submit_sm to this destination and
   * returns what came, normalised: a side that sends less shows in the comparison, not as a timeout.
   */
  List<Map<String, String>> awaitSubmits(Side side, String to, int n, Instant sent) {
    waitUntil(() -> raw(side, to).size() >= n);
    return submits(side, to, sent);
  }

  /** Until this instant, waits give up quietly; each comparison sets it. */
  volatile long deadline;

  void waitUntil(java.util.function.BooleanSupplier ok) {
    while (!ok.getAsBoolean() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  List<JsonNode> raw(Side side, String to) {
    return smsc(side).events("submit_sm").stream().filter(e -> to.equals(e.path("destination_addr").asText())).toList();
  }

  List<Map<String, String>> submits(Side side, String to, Instant sent) {
    List<Map<String, String>> out = new ArrayList<>();
    for (JsonNode e : raw(side, to)) {
      out.add(SubmitSm.fields(e, sent));
    }
    return out;
  }

  /** The callbacks of this row on one side, one per expected type, normalised (see {@link DlrQuery}). */
  Map<Integer, Map<String, String>> awaitCallbacks(Side side, Row row, List<Map<String, String>> submits) {
    waitUntil(() -> callbacks.stream().filter(c -> c.side() == side && c.row().equals(row.name())).count()
        >= row.dlrs().size());
    List<String> ids = submits.stream().map(s -> s.get("message_id")).toList();
    Map<Integer, Map<String, String>> out = new java.util.TreeMap<>();
    for (Callback c : callbacks) {
      if (c.side() == side && c.row().equals(row.name())) {
        Map<String, String> q = DlrQuery.normalised(c.query(), ids, c.at());
        out.put(Integer.parseInt(q.getOrDefault("d", "-1")), q);
      }
    }
    return out;
  }

  // ---- helpers for the submit_sm and the callbacks ----

  /** The fields of a submit_sm (the npm peer's event) a client could tell apart. */
  static final class SubmitSm {
    private SubmitSm() {}

    static Map<String, String> fields(JsonNode e, Instant sent) {
      Map<String, String> f = new LinkedHashMap<>();
      for (String k : List.of("source_addr", "source_addr_ton", "source_addr_npi", "destination_addr", "dest_addr_ton",
          "dest_addr_npi", "protocol_id", "priority_flag", "data_coding")) {
        f.put(k, e.path(k).asText());
      }
      int esm = e.path("esm_class").asInt();
      f.put("reply_path", Integer.toString(esm & 0x80));
      f.put("udhi", Integer.toString(esm & 0x40));
      String sm = e.path("short_message_hex").asText("");
      int udhLength = (esm & 0x40) != 0 && sm.length() >= 2 ? (Integer.parseInt(sm.substring(0, 2), 16) + 1) * 2 : 0;
      String udh = sm.substring(0, Math.min(udhLength, sm.length()));
      // The concatenation reference is each gateway's own choice.
      f.put("udh", udh.length() >= 12 && udh.startsWith("050003") ? "050003__" + udh.substring(8) : udh);
      f.put("body", sm.substring(Math.min(udhLength, sm.length())));
      byte[] pdu = HexFormat.of().parseHex(e.path("pdu_hex").asText());
      String[] times = times(pdu);
      f.put("schedule_delivery_time", relative(times[0], sent));
      f.put("validity_period", relative(times[1], sent));
      f.put("message_id", e.path("message_id").asText(""));
      return f;
    }

    /** schedule_delivery_time and validity_period of a submit_sm PDU (header included). */
    static String[] times(byte[] pdu) {
      int[] at = {16};
      cstring(pdu, at); // service_type
      at[0] += 2;
      cstring(pdu, at); // source_addr
      at[0] += 2;
      cstring(pdu, at); // destination_addr
      at[0] += 3; // esm_class, protocol_id, priority_flag
      return new String[] {cstring(pdu, at), cstring(pdu, at)};
    }

    static String cstring(byte[] b, int[] at) {
      int start = at[0];
      while (b[at[0]] != 0) {
        at[0]++;
      }
      return new String(b, start, at[0]++ - start, StandardCharsets.US_ASCII);
    }

    /** An absolute SMPP time as minutes after the request and its format's tail ("000+"), or as it is. */
    static String relative(String t, Instant sent) {
      if (t.length() != 16 || !t.endsWith("+")) {
        return t;
      }
      LocalDateTime at = LocalDateTime.parse(t.substring(0, 12), DateTimeFormatter.ofPattern("yyMMddHHmmss"));
      long seconds = Duration.between(sent, at.toInstant(ZoneOffset.UTC)).toSeconds();
      return "+" + Math.round(seconds / 60.0) + "min/" + t.substring(12);
    }
  }

  /**
   * A callback's query as a client reads it: each value decoded leniently (as PHP's urldecode: an
   * invalid escape stays as written), with what differs by nature made alike: the SMSC's message
   * ids (each gateway has its own peer), receipt dates, the times (checked to be now), the UUID
   * of %I (checked to be one), and the receiver's address in %R.
   */
  static final class DlrQuery {
    private DlrQuery() {}

    static Map<String, String> normalised(String raw, List<String> hexIds, Instant at) {
      Map<String, String> out = new LinkedHashMap<>();
      for (String pair : raw.split("&", -1)) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
        if (name.equals("e")) {
          value = "hex:" + normalise(new String(HexFormat.of().parseHex(value), StandardCharsets.ISO_8859_1), hexIds);
        }
        out.put(name, switch (name) {
          case "t" -> near(LocalDateTime.parse(value, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
              .toInstant(ZoneOffset.UTC), at) ? "<now>" : "far from now: " + value;
          case "T" -> near(Instant.ofEpochSecond(Long.parseLong(value)), at) ? "<now>" : "far from now: " + value;
          case "I" -> value.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}") ? "<uuid>" : value;
          case "R" -> value.replaceAll("127\\.0\\.0\\.1:\\d+/dlr/[kc]/", "<receiver>/");
          default -> normalise(value, hexIds);
        });
      }
      return out;
    }

    static boolean near(Instant t, Instant at) {
      return Math.abs(Duration.between(t, at).toSeconds()) <= 10;
    }

    static String normalise(String v, List<String> hexIds) {
      String out = v.replaceAll("(submit date|done date):\\d{10}", "$1:<date>");
      for (String id : hexIds) {
        if (id.isEmpty()) {
          continue;
        }
        out = out.replace("id:" + id + " ", "id:<id> ");
        if (out.equals("id:" + id)) {
          out = "id:<id>";
        }
        if (out.equals(new java.math.BigInteger(id, 16).toString())) {
          out = "<id as decimal>";
        }
      }
      return out;
    }

    static String decode(String s) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (ch == '+') {
          b.write(' ');
        } else if (ch == '%' && i + 2 < s.length()
            && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
          b.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
          i += 2;
        } else {
          byte[] x = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
          b.write(x, 0, x.length);
        }
      }
      return b.toString(StandardCharsets.UTF_8);
    }
  }

  /** An HTTP/1.1 server that answers 200 to anything and hands each request target over as sent. */
  static final class RawReceiver implements AutoCloseable {
    private final java.net.ServerSocket server;

    RawReceiver(java.util.function.Consumer<String> onRequest) throws java.io.IOException {
      server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      Thread.ofPlatform().daemon().name("dlr-receiver").start(() -> {
        while (!server.isClosed()) {
          try {
            java.net.Socket s = server.accept();
            Thread.ofVirtual().start(() -> serve(s, onRequest));
          } catch (java.io.IOException e) {
            return; // closed
          }
        }
      });
    }

    private static void serve(java.net.Socket s, java.util.function.Consumer<String> onRequest) {
      try (s) {
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        var out = s.getOutputStream();
        String line;
        while ((line = in.readLine()) != null) {
          String[] request = line.split(" ");
          int length = 0;
          for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
              length = Integer.parseInt(h.substring(15).strip());
            }
          }
          in.skip(length);
          if (request.length >= 2) {
            onRequest.accept(request[1]);
          }
          out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (java.io.IOException e) {
        // the client went away
      }
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
    }
  }
}
