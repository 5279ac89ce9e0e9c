package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import chatgate.core.model.Msisdn;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, High (per-sender quotas): one logged-in phone sent 300 messages × 4 segments to one
 * number, and 200 SMS to 200 new numbers in a second. Through the real server: HTTP through
 * Jetty, SMS through the built-in SMSC.
 */
class SenderQuotasIT {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";

  @TempDir
  Path dir;

  Gateway gateway;
  String base;

  private void start(String chat) throws Exception {
    Path config = dir.resolve("chatgate.toml");
    Files.writeString(config, """
        [http]
        listen = "127.0.0.1:0"
        public_url = "http://gw.example"
        [simulator]
        listen = "127.0.0.1:0"
        [store]
        url = "jdbc:sqlite:%s"
        [chat]
        %s
        """.formatted(dir.resolve("data/chatgate.db"), chat));
    gateway = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)));
    base = "http://127.0.0.1:" + gateway.httpPort();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  /** Posts the chat form n times; returns how many were accepted (302), asserting the others' answer. */
  private int sendMany(HttpPhone a, int n, java.util.function.IntFunction<String> to, String text,
      String refusal) throws Exception {
    int accepted = 0;
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = a.send(to.apply(i), text + " " + i);
      if (r.statusCode() == 302) {
        accepted++;
      } else {
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.body()).contains(refusal);
      }
    }
    return accepted;
  }

  @Test
  void threeHundredMessagesOfFourSegmentsToOneNumberStopAtTheDailySegments() throws Exception {
    start("messages_per_minute = 1000");
    HttpPhone a = new HttpPhone(base, A).login();
    String fourSegments = "x".repeat(590);
    int accepted = sendMany(a, 300, i -> B, fourSegments, "Not sent: you have reached");
    // [chat] daily_sms_segments = 200 (default) at 4 segments each.
    assertThat(accepted).isEqualTo(50);
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(gateway.simulator().orElseThrow().inbox(Msisdn.of(B), 1000)).hasSize(50));
    String metrics = a.get("/metrics").body();
    assertThat(MetricsIT.value(metrics, "chatgate_mt_segments_total{route=\"SMS\"}")).isLessThanOrEqualTo(200 + 4);
    assertThat(metrics).contains("chatgate_limit_trips_total{limit=\"sender_daily_segments\"}");
  }

  @Test
  void twoHundredNewNumbersInASecondStopAtThePerMinuteCap() throws Exception {
    // The day's cap, so that no minute boundary in the run changes the figure (the per-minute
    // quota of the same finding is held with a hand-moved clock in SenderQuotasTest).
    start("daily_messages = 20\nmessages_per_minute = 1000");
    HttpPhone a = new HttpPhone(base, A).login();
    int accepted = sendMany(a, 200, i -> String.format("+86139%08d", i), "hi", "Not sent: you have reached");
    assertThat(accepted).isEqualTo(20); // [chat] daily_messages
    // By SMS too: the phone's MO is refused, and told so once, in its language.
    var sim = gateway.simulator().orElseThrow();
    for (int i = 0; i < 3; i++) {
      sim.sendMo(Msisdn.of(A), "@13900000300 你好" + i);
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(sim.inbox(Msisdn.of(A), 50)).anySatisfy(s -> assertThat(s.text()).contains("发送上限")));
    // A canary after the refusals: its answer arrives, and only one refusal came before it.
    sim.sendMo(Msisdn.of(A), "@nosuchgroup hi");
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(sim.inbox(Msisdn.of(A), 1).get(0).text()).contains("nosuchgroup"));
    assertThat(sim.inbox(Msisdn.of(A), 50)).filteredOn(s -> s.text().contains("发送上限")).hasSize(1);
    assertThat(sim.inbox(Msisdn.of("+8613900000300"), 10)).isEmpty();
  }

  @Test
  void chatToANumberOutsideTheAllowedDestinationsIsRefused() throws Exception {
    start("");
    HttpPhone a = new HttpPhone(base, A).login();
    HttpResponse<String> r = a.send("+447700900123", "hello");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("cannot be sent to");
    var sim = gateway.simulator().orElseThrow();
    sim.sendMo(Msisdn.of(A), "@+2348031234567 hi");
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(sim.inbox(Msisdn.of(A), 1).get(0).text()).contains("+2348031234567"));
    assertThat(sim.handsets()).doesNotContain(Msisdn.of("+447700900123"), Msisdn.of("+2348031234567"));
  }
}
