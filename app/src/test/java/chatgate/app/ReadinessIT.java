package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /healthz} and {@code /readyz}: ready only when the store, the SMPP bind and a configured XMPP server are. */
class ReadinessIT {
  @TempDir
  Path dir;

  private Gateway start(String extra) throws Exception {
    Path config = dir.resolve("chatgate.toml");
    Files.writeString(config, """
        [http]
        listen = "127.0.0.1:0"
        [simulator]
        listen = "127.0.0.1:0"
        [store]
        url = "jdbc:sqlite:%s"
        """.formatted(dir.resolve("chatgate.db")) + extra);
    return Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)));
  }

  @Test
  void readyListsEachPart() throws Exception {
    try (Gateway g = start("")) {
      HttpPhone web = new HttpPhone("http://127.0.0.1:" + g.httpPort(), "");
      HttpResponse<String> r = web.get("/readyz");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ready\nstore ok\nsmpp ok\n");
      assertThat(web.get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anUnreachableXmppServerMakesTheGatewayNotReadyButAlive() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nothing listens here once the socket is closed
    }
    try (Gateway g = start("[xmpp]\nhost = \"127.0.0.1\"\nport = " + closed + "\ndomain = \"example.org\"\n")) {
      HttpPhone web = new HttpPhone("http://127.0.0.1:" + g.httpPort(), "");
      HttpResponse<String> r = web.get("/readyz");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("not ready\nstore ok\nsmpp ok\nxmpp down\n");
      assertThat(web.get("/healthz").statusCode()).isEqualTo(200);
    }
  }
}
