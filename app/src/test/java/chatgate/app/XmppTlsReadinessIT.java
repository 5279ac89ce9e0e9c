package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import chatgate.xmpp.peer.ProsodyServer;
import chatgate.xmpp.peer.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
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

  private Gateway start(TestConfig config) throws Exception {
    return Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config.write(dir.resolve("chatgate.toml")))));
  }

  private TestConfig tlsTo(ProsodyServer prosody) {
    return TestConfig.sqlite(dir.resolve("chatgate-" + System.nanoTime() + ".db")).simulator()
        .set("xmpp", "host", "127.0.0.1").set("xmpp", "port", prosody.port()).set("xmpp", "domain", "localhost")
        .set("xmpp", "tls", "required");
  }

  @Test
  void readinessNamesAnUntrustedCertificateAndAPinFixesIt() throws Exception {
    TestCertificates.Pair self = TestCertificates.selfSigned(dir, "localhost");
    try (ProsodyServer prosody = ProsodyServer.startWithTls(self.certificate(), self.key())) {
      try (Gateway g = start(tlsTo(prosody))) {
        HttpResponse<String> r = new HttpPhone("http://127.0.0.1:" + g.httpPort(), "").get("/readyz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("not ready\nstore ok\nsmpp ok\nxmpp (TLS: certificate not trusted) down\n");
      }
      try (Gateway g = start(tlsTo(prosody).set("xmpp", "cert_pins", List.of(self.pin())))) {
        HttpResponse<String> r = new HttpPhone("http://127.0.0.1:" + g.httpPort(), "").get("/readyz");
        assertThat(r.body()).isEqualTo("ready\nstore ok\nsmpp ok\nxmpp ok\n");
        assertThat(r.statusCode()).isEqualTo(200);
      }
    }
  }
}
