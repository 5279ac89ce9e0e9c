package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.sms.peer.NodeSmsc;
import chatgate.xmpp.peer.ProsodyServer;
import chatgate.xmpp.peer.SlixmppClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the gateway under a mixed load (issue 6): web chat to phones (MT), SMS from phones
 * to a web user (MO, answered once stored, then MT to that user's phone), and a phone's texts
 * relayed to an XMPP contact (IM), all at once against independent peers (npm smpp, Prosody,
 * slixmpp). After the restart: every web message acknowledged (302) and every MO acknowledged
 * (deliver_sm_resp 0) reaches the SMSC, and every acknowledged IM text reaches the XMPP contact
 * exactly once after the phone logs in again (as it is told to): a text the dead gateway had
 * already put on its lost session is looked up in Prosody's archive (XEP-0313), not sent again if
 * the server took it, sent again if it did not (ADR 0022, 0030).
 */
class MixedCrashIT {
  static final int MT = 400;
  static final int MO = 120;
  static final int IM = 60;
  static final int WINDOW = 10;
  static final String PHONE = "8613800000081";
  static final String WEB_USER = "+8613900000099";

  @TempDir
  Path dir;
  NodeSmsc smsc;
  ProsodyServer prosody;
  SlixmppClient bob;
  Process gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.destroyForcibly().waitFor();
    }
    if (bob != null) {
      bob.close();
    }
    if (prosody != null) {
      prosody.close();
    }
    if (smsc != null) {
      smsc.close();
    }
    Path log = dir.resolve("gateway.log");
    if (Files.exists(log)) {
      // What became of the IM texts, for a failing run.
      Files.readAllLines(log).stream().filter(l -> l.contains("by IM") || l.contains("in doubt")).limit(120)
          .forEach(System.out::println);
    }
  }

  @Test
  @DisplayName("SIGKILL under web chat, MO and IM relay at once: every acknowledged MT and MO delivered; none twice to XMPP")
  void nothingAcknowledgedIsLost() throws Exception {
    smsc = NodeSmsc.start();
    prosody = ProsodyServer.start();
    prosody.addUser("alice", "alice-pw");
    prosody.addUser("bob", "bob-pw");
    int httpPort;
    try (var s = new java.net.ServerSocket(0)) {
      httpPort = s.getLocalPort();
    }
    Path config = dir.resolve("chatgate.toml");
    // Routine delivery transitions are at DEBUG (issue 19): a failure here prints the IM ones.
    TestConfig.sqlite(dir.resolve("gw.db")).httpPort(httpPort).set("http", "trusted_proxies", List.of("127.0.0.1/32"))
        .smsc(smsc).set("smpp", "throughput", 150).set("smpp", "window", WINDOW).xmpp(prosody).noQuotas()
        .logLevel("debug").write(config);
    String base = "http://127.0.0.1:" + httpPort;
    gateway = ItSupport.startJar(config, dir.resolve("gateway.log"));
    ItSupport.awaitReady(base, Duration.ofSeconds(60));
    bob = SlixmppClient.start("bob@localhost", "bob-pw", prosody.host(), prosody.port());
    ItSupport.moUcs2(smsc, null, PHONE, "LOGIN alice alice-pw");
    smsc.await("submit_sm", e -> e.path("destination_addr").asText().equals(PHONE)
        && e.path("text").asText().startsWith("alice@localhost"), Duration.ofSeconds(20));
    bob.subscribe("alice@localhost");

    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String sender = "+8613900000001";
    String csrf = HttpPhone.field(http.send(HttpRequest.newBuilder(URI.create(base + "/chat")).header("X-MSISDN", sender)
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString()).body(), "csrf");
    Set<Integer> mtAccepted = ConcurrentHashMap.newKeySet();
    Map<Integer, Integer> moSeq = new ConcurrentHashMap<>(); // MO number -> (session << 20 | sequence)
    Map<Integer, Integer> imSeq = new ConcurrentHashMap<>();
    Semaphore inFlight = new Semaphore(24);
    boolean killed = false;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < MT; i++) {
        int n = i;
        // Killed once 250 web messages are acknowledged: the SMS for them are still going out (150/s).
        if (!killed && mtAccepted.size() >= 250) {
          gateway.destroyForcibly().waitFor();
          killed = true;
        }
        inFlight.acquire();
        pool.submit(() -> {
          try {
            String form = "to=" + ItSupport.enc("+86137" + String.format("%08d", n % 20)) + "&text=" + ItSupport.enc("mix-mt#" + n + "!")
                + "&csrf=" + ItSupport.enc(csrf) + "&nonce=" + ItSupport.enc(String.format("%016x", n + 1L));
            if (http.send(HttpRequest.newBuilder(URI.create(base + "/chat")).header("X-MSISDN", sender)
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 302) {
              mtAccepted.add(n);
            }
          } catch (Exception refused) {
            // the gateway is down: not acknowledged, not promised
          } finally {
            inFlight.release();
          }
          return null;
        });
        // Interleave the SMS traffic with the web load.
        if (n % (MT / MO) == 0 && n / (MT / MO) < MO) {
          int m = n / (MT / MO);
          sendMo(moSeq, m, "86136" + String.format("%08d", m), "@" + WEB_USER.substring(1) + " mix-mo#" + m + "!");
        }
        if (n % (MT / IM) == 0 && n / (MT / IM) < IM) {
          int m = n / (MT / IM);
          sendMo(imSeq, m, PHONE, "@bob mix-im#" + m + "!");
        }
        if (n % 40 == 39) {
          Thread.sleep(150);
        }
      }
    }
    if (!killed) {
      gateway.destroyForcibly().waitFor();
    }
    Set<Integer> moAcked = acked(moSeq);
    Set<Integer> imAcked = acked(imSeq);
    gateway = ItSupport.startJar(config, dir.resolve("gateway.log"));
    ItSupport.awaitReady(base, Duration.ofSeconds(60));

    // The phone was told the gateway restarted: it logs in again, and its stored texts go.
    ItSupport.moUcs2(smsc, null, PHONE, "LOGIN alice alice-pw");
    Pattern im = Pattern.compile("mix-im#(\\d+)!");
    try {
      Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> ItSupport.marked(smsc, Pattern.compile("mix-mt#(\\d+)!")).keySet().containsAll(mtAccepted)
              && ItSupport.marked(smsc, Pattern.compile("mix-mo#(\\d+)!")).keySet().containsAll(moAcked)
              && atContact(im).keySet().containsAll(imAcked));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // The figures and assertions below say which part is missing.
    }
    Map<Integer, Integer> mt = ItSupport.marked(smsc, Pattern.compile("mix-mt#(\\d+)!"));
    Map<Integer, Integer> moAsSms = ItSupport.marked(smsc, Pattern.compile("mix-mo#(\\d+)!"));
    Map<Integer, Integer> atBob = atContact(im);
    int mtDup = mt.values().stream().mapToInt(c -> c - 1).sum();
    int moDup = moAsSms.values().stream().mapToInt(c -> c - 1).sum();
    long imLost = imAcked.stream().filter(n -> !atBob.containsKey(n)).count();
    // Told "not sent" or "maybe not sent" of a text that arrived: untrue.
    boolean falseNews = imAcked.stream().anyMatch(n -> atBob.containsKey(n) && toldNotSent(n));
    int imDup = atBob.values().stream().mapToInt(c -> c - 1).sum();
    String gatewayLog = Files.readString(dir.resolve("gateway.log"));
    System.out.printf("MixedCrashIT: MT %d acknowledged, %d lost, %d duplicated; MO %d acknowledged, %d lost, %d "
        + "duplicated as SMS; IM %d acknowledged, %d at the XMPP contact, %d lost, %d duplicated; in doubt after the"
        + " kill: %d found in Prosody's archive, %d not (sent again)%n",
        mtAccepted.size(),
        mtAccepted.stream().filter(n -> !mt.containsKey(n)).count(), mtDup, moAcked.size(),
        moAcked.stream().filter(n -> !moAsSms.containsKey(n)).count(), moDup, imAcked.size(), atBob.size(), imLost,
        imDup, ItSupport.count(gatewayLog, "in doubt: the server's archive has it"),
        ItSupport.count(gatewayLog, "in doubt: not in the server's archive"));
    assertThat(mt.keySet()).containsAll(mtAccepted);
    assertThat(moAsSms.keySet()).containsAll(moAcked);
    // SMS in flight at the kill are settled by their receipts, not sent again (ADR 0011).
    assertThat(mtDup + moDup).as("SMS the SMSC received twice").isZero();
    assertThat(imDup).as("an IM message reaches the contact at most once").isZero();
    // An MO is answered once its text is stored; the text goes when the phone's session is back (ADR 0022),
    // and one in doubt is settled by the server's archive (ADR 0030).
    assertThat(imLost).as("every acknowledged IM text reached the contact").isZero();
    assertThat(falseNews).as("the phone told \"not sent\" of a text that arrived").isFalse();
    assertThat(mtAccepted.size()).isLessThan(MT); // the kill landed mid-load
  }

  /** The IM texts at the XMPP contact, with how many copies of each. */
  private Map<Integer, Integer> atContact(Pattern im) {
    Map<Integer, Integer> atBob = new HashMap<>();
    for (JsonNode e : bob.events("message")) {
      Matcher m = im.matcher(e.path("body").asText());
      if (m.find()) {
        atBob.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
      }
    }
    return atBob;
  }

  private boolean toldNotSent(int n) {
    return phoneTexts().stream().anyMatch(t -> (t.startsWith("Not sent") || t.startsWith("Maybe not sent"))
        && t.contains("mix-im#" + n + "!"));
  }

  private java.util.List<String> phoneTexts() {
    return smsc.events("submit_sm").stream().filter(e -> e.path("destination_addr").asText().equals(PHONE))
        .map(e -> e.path("text").asText()).toList();
  }

  private void sendMo(Map<Integer, Integer> seqs, int n, String from, String text) {
    try {
      JsonNode ack = ItSupport.moUcs2(smsc, null, from, text);
      seqs.put(n, (ack.path("session").asInt() << 20) | ack.path("sequence").asInt());
    } catch (RuntimeException noBind) {
      // the gateway is down: the SMSC has nobody to deliver to, nothing was acknowledged
    }
  }

  /** Of the MO sent, those the gateway answered with deliver_sm_resp status 0 (stored, so promised). */
  private Set<Integer> acked(Map<Integer, Integer> seqs) {
    Set<Integer> okKeys = ConcurrentHashMap.newKeySet();
    Set<Integer> ok = new java.util.HashSet<>();
    for (JsonNode e : smsc.events("deliver_sm_resp")) {
      if (e.path("command_status").asInt() == 0) {
        ok.add((e.path("session").asInt() << 20) | e.path("sequence").asInt());
      }
    }
    seqs.forEach((n, key) -> {
      if (ok.contains(key)) {
        okKeys.add(n);
      }
    });
    return okKeys;
  }

}
