package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /healthz} and {@code /readyz}: ready only when the store, the SMPP bind and a configured XMPP server are. */
class ReadinessIT {
  @TempDir
  Path dir;

  private TestConfig config() {
    return TestConfig.sqlite(dir.resolve("chatgate.db")).simulator();
  }

  private Gateway start(TestConfig config) throws Exception {
    return Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config.write(dir.resolve("chatgate.toml")))));
  }

  @Test
  void readyListsEachPart() throws Exception {
    try (Gateway g = start(config())) {
      HttpPhone web = new HttpPhone("http://127.0.0.1:" + g.httpPort(), "");
      HttpResponse<String> r = web.get("/readyz");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ready\nstore ok\nsmpp ok\n");
      assertThat(web.get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @org.junit.jupiter.api.DisplayName("admin node drain: /readyz answers 503 draining and open streams close; only"
      + " with the key file's token")
  void drainTakesTheNodeOutOfService() throws Exception {
    Path key = dir.resolve("chatgate.key");
    try (Gateway g = start(config().set("http", "trusted_proxies", List.of("127.0.0.1/32"))
        .set("security", "key_file", key.toString()))) {
      String base = "http://127.0.0.1:" + g.httpPort();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      // An open page: its stream must end at the drain, so that it reconnects (to another node).
      HttpResponse<java.util.stream.Stream<String>> stream = http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(base + "/events")).header("X-MSISDN", "+8613800000077").GET().build(),
          HttpResponse.BodyHandlers.ofLines());
      assertThat(stream.statusCode()).isEqualTo(200);
      java.util.concurrent.CompletableFuture<Long> ended = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> stream.body().count(), java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
      java.net.http.HttpRequest.Builder drain = java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(base + DrainHandler.PATH)).POST(java.net.http.HttpRequest.BodyPublishers.noBody());
      assertThat(http.send(drain.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
      assertThat(http.send(drain.copy().header("Authorization", "Bearer wrong").build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
      assertThat(g.draining()).isFalse();

      java.io.StringWriter out = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      picocli.CommandLine cli = new picocli.CommandLine(new Admin());
      cli.setOut(new java.io.PrintWriter(out));
      cli.setErr(new java.io.PrintWriter(err));
      int code = cli.execute("--config", dir.resolve("chatgate.toml").toString(), "node", "drain", "--url", base);
      assertThat(code).as(err.toString()).isZero();
      assertThat(out.toString()).startsWith("draining");
      assertThat(g.draining()).isTrue();
      HttpResponse<String> r = new HttpPhone(base, "").get("/readyz");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("draining\n");
      assertThat(new HttpPhone(base, "").get("/healthz").statusCode()).isEqualTo(200);
      // The page's stream ended at the drain (long before its 15 s heartbeat): it reconnects elsewhere.
      assertThat(ended.get(5, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
    }
  }

  @Test
  void anUnreachableXmppServerMakesTheGatewayNotReadyButAlive() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nothing listens here once the socket is closed
    }
    try (Gateway g = start(config().set("xmpp", "host", "127.0.0.1").set("xmpp", "port", closed)
        .set("xmpp", "domain", "example.org"))) {
      HttpPhone web = new HttpPhone("http://127.0.0.1:" + g.httpPort(), "");
      HttpResponse<String> r = web.get("/readyz");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("not ready\nstore ok\nsmpp ok\nxmpp down\n");
      assertThat(web.get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @org.junit.jupiter.api.DisplayName("issue 17: the listener is up before the SMPP bind, and /readyz is not ready until"
      + " the link is bound")
  void anUnboundSmscMakesTheGatewayNotReadyButAlive() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // no SMSC listens here: the link keeps retrying, never bound
    }
    try (Gateway g = start(config().set("smpp", "host", "127.0.0.1").set("smpp", "port", closed)
        .set("smpp", "system_id", "gw").set("smpp", "password", "pw"))) {
      HttpPhone web = new HttpPhone("http://127.0.0.1:" + g.httpPort(), "");
      HttpResponse<String> r = web.get("/readyz");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("not ready\nstore ok\nsmpp down\n");
      assertThat(web.get("/healthz").statusCode()).isEqualTo(200);
    }
  }
}
