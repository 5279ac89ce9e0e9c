package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import chatgate.xmpp.peer.ProsodyServer;
import chatgate.xmpp.peer.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: {@code /readyz} tells a TLS failure with the XMPP server apart from a server that is
 * down, and {@code [xmpp] cert_pins} from the config file makes the same server trusted.
 */
class XmppTlsReadinessIT {
  @TempDir
  Path dir;

  private Gateway start(String xmpp) throws Exception {
    Path config = dir.resolve("chatgate.toml");
    Files.writeString(config, """
        [http]
        listen = "127.0.0.1:0"
        [simulator]
        listen = "127.0.0.1:0"
        [store]
        url = "jdbc:sqlite:%s"
        """.formatted(dir.resolve("chatgate-" + System.nanoTime() + ".db")) + xmpp);
    return Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)));
  }

  @Test
  void readinessNamesAnUntrustedCertificateAndAPinFixesIt() throws Exception {
    TestCertificates.Pair self = TestCertificates.selfSigned(dir, "localhost");
    try (ProsodyServer prosody = ProsodyServer.startWithTls(self.certificate(), self.key())) {
      String xmpp = "[xmpp]\nhost = \"127.0.0.1\"\nport = " + prosody.port() + "\ndomain = \"localhost\"\n"
          + "tls = \"required\"\n";
      try (Gateway g = start(xmpp)) {
        HttpResponse<String> r = new HttpPhone("http://127.0.0.1:" + g.httpPort(), "").get("/readyz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("not ready\nstore ok\nsmpp ok\nxmpp (TLS: certificate not trusted) down\n");
      }
      try (Gateway g = start(xmpp + "cert_pins = [\"" + self.pin() + "\"]\n")) {
        HttpResponse<String> r = new HttpPhone("http://127.0.0.1:" + g.httpPort(), "").get("/readyz");
        assertThat(r.body()).isEqualTo("ready\nstore ok\nsmpp ok\nxmpp ok\n");
        assertThat(r.statusCode()).isEqualTo(200);
      }
    }
  }
}
