package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.sms.peer.NodeSmsc;
import chatgate.xmpp.peer.SlixmppClient;
import chatgate.xmpp.peer.XmppServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADR 0030 against a real XMPP server (Prosody in {@link ImInDoubtOverProsodyIT}, ejabberd in
 * {@link ImInDoubtOverEjabberdIT}, both archiving with XEP-0313): the gateway jar reaches the
 * server through a {@link CutProxy}, and dies (SIGKILL) with two texts on the wire of its session,
 * neither acknowledged: one the server took (its acknowledgement cut on the way back), one the
 * server never got (cut on the way there). After the restart the phone logs in again: each
 * reaches the contact exactly once, and the phone is told nothing untrue.
 */
abstract class ImInDoubtOverXmppIT {
  static final String PHONE = "8613800000083";
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;
  NodeSmsc smsc;
  XmppServer server;
  CutProxy proxy;
  SlixmppClient bob;
  Process gateway;

  abstract XmppServer.Kind kind();

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.destroyForcibly().waitFor();
    }
    for (AutoCloseable c : new AutoCloseable[] {bob, proxy, server, smsc}) {
      if (c != null) {
        c.close();
      }
    }
    Path log = dir.resolve("gateway.log");
    if (Files.exists(log)) {
      List<String> lines = Files.readAllLines(log);
      System.out.println(String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
    }
  }

  @Test
  @DisplayName("issue 16 / ADR 0030: texts left in doubt by a crash, one the server took and one it never got, reach"
      + " the contact exactly once after the phone logs in again; the phone is not told \"maybe not sent\"")
  void textsInDoubtAreSettledExactly() throws Exception {
    smsc = NodeSmsc.start();
    server = kind().start();
    server.addUser("alice", "alice-pw");
    server.addUser("bob", "bob-pw");
    proxy = new CutProxy(server.port());
    int httpPort;
    try (var s = new java.net.ServerSocket(0)) {
      httpPort = s.getLocalPort();
    }
    Path config = dir.resolve("chatgate.toml");
    TestConfig.sqlite(dir.resolve("gw.db")).httpPort(httpPort).smsc(smsc).xmpp(server)
        .set("xmpp", "port", proxy.port()).write(config);
    String base = "http://127.0.0.1:" + httpPort;
    Path log = dir.resolve("gateway.log");
    gateway = ItSupport.startJar(config, log);
    ItSupport.awaitReady(base, Duration.ofSeconds(60));
    bob = SlixmppClient.start("bob@localhost", "bob-pw", server.host(), server.port());
    ItSupport.moUcs2(smsc, null, PHONE, "LOGIN alice alice-pw");
    awaitSms("alice@localhost");
    bob.subscribe("alice@localhost");
    // Presence takes a moment after a subscription; an MO repeated within 30 s is taken for the
    // SMSC repeating it, so the case varies.
    String[] who = {"WHO", "Who", "who", "wHO", "WhO", "whO", "WHo", "wHo"};
    int[] asked = {0};
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      ItSupport.moUcs2(smsc, null, PHONE, who[asked[0]++ % who.length]);
      assertThat(phoneTexts()).anyMatch(t -> t.startsWith("alice@localhost online: 1 bob"));
    });
    ItSupport.moUcs2(smsc, null, PHONE, "@bob canary-before");
    bob.await("message", e -> e.path("body").asText().equals("canary-before"), WAIT);

    // The server takes this one, but its acknowledgement never comes back.
    proxy.holdReplies = true;
    ItSupport.moUcs2(smsc, null, PHONE, "@bob took-it");
    bob.await("message", e -> e.path("body").asText().equals("took-it"), WAIT);
    // This one goes on the wire and never reaches the server.
    proxy.loseSends = true;
    ItSupport.moUcs2(smsc, null, PHONE, "@bob lost-it");
    Awaitility.await().atMost(WAIT).until(() -> proxy.written().contains("lost-it"));
    gateway.destroyForcibly().waitFor();
    proxy.heal();

    gateway = ItSupport.startJar(config, log);
    ItSupport.awaitReady(base, Duration.ofSeconds(60));
    // The phone was told the gateway restarted: it logs in again, and what was in doubt is settled.
    ItSupport.moUcs2(smsc, null, PHONE, "login alice alice-pw"); // not the first LOGIN repeated
    bob.await("message", e -> e.path("body").asText().equals("lost-it"), WAIT);
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(
        () -> Files.readString(log).contains("in doubt: the server's archive has it"));
    // Anything sent twice would be ahead of this one.
    ItSupport.moUcs2(smsc, null, PHONE, "@bob canary-after");
    bob.await("message", e -> e.path("body").asText().equals("canary-after"), WAIT);

    List<String> atBob = bob.events("message").stream().map(e -> e.path("body").asText()).toList();
    assertThat(atBob).filteredOn("took-it"::equals).as("taken before the crash, not sent again").hasSize(1);
    assertThat(atBob).filteredOn("lost-it"::equals).as("lost before the crash, sent again once").hasSize(1);
    assertThat(phoneTexts()).noneMatch(t -> t.startsWith("Maybe not sent") || t.startsWith("Not sent"));
  }

  private void awaitSms(String prefix) {
    smsc.await("submit_sm", e -> e.path("destination_addr").asText().equals(PHONE)
        && e.path("text").asText().startsWith(prefix), WAIT);
  }

  private List<String> phoneTexts() {
    return smsc.events("submit_sm").stream().filter(e -> e.path("destination_addr").asText().equals(PHONE))
        .map(e -> e.path("text").asText()).toList();
  }
}
