package chatgate.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import chatgate.core.contract.ImPortContract.Inbox;
import chatgate.core.port.ImPort;
import chatgate.core.port.ImPort.LoginResult;
import chatgate.xmpp.peer.ProsodyServer;
import chatgate.xmpp.peer.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * Issue 16: XMPP over TLS with certificates an operator meets, against real Prosodys that offer
 * STARTTLS with certificates made by the test: self-signed, signed by a private CA for the right
 * name, and signed by it for another name; one that offers no TLS at all, and one whose
 * handshake fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class XmppTlsIT {
  static final Duration WAIT = Duration.ofSeconds(10);

  Path dir;
  TestCertificates.Pair ca;
  TestCertificates.Pair self;
  ProsodyServer selfSigned;
  ProsodyServer privateCa;
  ProsodyServer misnamed;
  ProsodyServer plain;
  ProsodyServer broken;
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("xmpp-tls");
    self = TestCertificates.selfSigned(dir, "localhost");
    ca = TestCertificates.authority(dir.resolve("ca"));
    TestCertificates.Pair good = TestCertificates.signed(dir.resolve("ca"), ca, "localhost");
    TestCertificates.Pair other = TestCertificates.signed(dir.resolve("ca"), ca, "elsewhere.example");
    selfSigned = ProsodyServer.startWithTls(self.certificate(), self.key());
    privateCa = ProsodyServer.startWithTls(good.certificate(), good.key());
    misnamed = ProsodyServer.startWithTls(other.certificate(), other.key());
    plain = ProsodyServer.start();
    broken = ProsodyServer.startWithBrokenTls();
    for (ProsodyServer p : List.of(selfSigned, privateCa, misnamed, plain, broken)) {
      p.addUser("tess", "tess-pw");
    }
  }

  @AfterAll
  void stop() throws Exception {
    for (ProsodyServer p : List.of(selfSigned, privateCa, misnamed, plain, broken)) {
      p.close();
    }
    try (var all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @BeforeEach
  void listen() {
    logged.list.clear();
    logged.start();
    ((Logger) LoggerFactory.getLogger(XmppImPort.class)).addAppender(logged);
  }

  @AfterEach
  void unlisten() {
    ((Logger) LoggerFactory.getLogger(XmppImPort.class)).detachAppender(logged);
  }

  XmppImPort port(ProsodyServer p, String tls, String caFile, List<String> pins) {
    return new XmppImPort(XmppSettings.of(p.host(), p.port(), ProsodyServer.DOMAIN, tls).withTrust(caFile, pins));
  }

  LoginResult login(XmppImPort im) throws Exception {
    return im.login(new ImPort.Credentials("tess", "tess-pw".toCharArray()), new Inbox(), WAIT).toCompletableFuture()
        .get();
  }

  /** Logs in, checks the stream's encryption, logs out. */
  void loggedIn(XmppImPort im, boolean encrypted) throws Exception {
    LoginResult r = login(im);
    assertThat(r).isInstanceOf(LoginResult.Ok.class);
    XmppSession s = (XmppSession) ((LoginResult.Ok) r).session();
    assertThat(s.secure()).as("stream encrypted").isEqualTo(encrypted);
    s.logout();
    assertThat(im.reachable()).isTrue();
    assertThat(im.problem()).isEmpty();
  }

  List<String> warnings() {
    return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  @DisplayName("tls = required with a self-signed certificate nobody trusts: refused, one WARN line naming the"
      + " certificate and what to set, and readiness down for that reason")
  void requiredRefusesAnUntrustedCertificate() throws Exception {
    XmppImPort im = port(selfSigned, "required", "", List.of());
    assertThat(login(im)).isInstanceOfSatisfying(LoginResult.Unavailable.class,
        u -> assertThat(u.reason()).isEqualTo("TLS: certificate not trusted"));
    assertThat(login(im)).isInstanceOf(LoginResult.Unavailable.class);
    assertThat(warnings()).singleElement().asString()
        .contains("TLS with 127.0.0.1:" + selfSigned.port() + " failed: certificate not trusted")
        .contains(self.pin()).contains("[xmpp] ca_file").contains("cert_pins");
    assertThat(im.reachable()).isFalse();
    assertThat(im.problem()).contains("TLS: certificate not trusted");
    assertThat(warnings()).hasSize(1);
  }

  @Test
  @DisplayName("tls = required with the private CA in [xmpp] ca_file: logs in over TLS")
  void requiredTrustsThePrivateCaOfCaFile() throws Exception {
    loggedIn(port(privateCa, "required", ca.certificate().toString(), List.of()), true);
    assertThat(warnings()).isEmpty();
  }

  @Test
  @DisplayName("tls = required without the private CA: refused as not trusted")
  void requiredWithoutThePrivateCaIsRefused() throws Exception {
    XmppImPort im = port(privateCa, "required", "", List.of());
    assertThat(login(im)).isInstanceOf(LoginResult.Unavailable.class);
    assertThat(im.problem()).contains("TLS: certificate not trusted");
  }

  @Test
  @DisplayName("tls = required with the self-signed certificate's key in [xmpp] cert_pins: logs in over TLS")
  void requiredTrustsAPinnedKey() throws Exception {
    loggedIn(port(selfSigned, "required", "", List.of(self.pin())), true);
    assertThat(warnings()).isEmpty();
  }

  @Test
  @DisplayName("tls = required, a CA-signed certificate for another name: refused, the WARN line says the name is wrong")
  void requiredRefusesACertificateForAnotherName() throws Exception {
    XmppImPort im = port(misnamed, "required", ca.certificate().toString(), List.of());
    assertThat(login(im)).isInstanceOfSatisfying(LoginResult.Unavailable.class,
        u -> assertThat(u.reason()).isEqualTo("TLS: certificate does not name the XMPP domain"));
    assertThat(warnings()).singleElement().asString().contains("certificate does not name the XMPP domain")
        .contains("[xmpp] domain");
    assertThat(im.reachable()).isFalse();
    assertThat(im.problem()).contains("TLS: certificate does not name the XMPP domain");
  }

  @Test
  @DisplayName("tls = required and a server without STARTTLS: refused, the WARN line says so")
  void requiredRefusesAServerWithoutTls() throws Exception {
    XmppImPort im = port(plain, "required", "", List.of());
    assertThat(login(im)).isInstanceOf(LoginResult.Unavailable.class);
    assertThat(warnings()).singleElement().asString().contains("server does not offer STARTTLS");
    assertThat(im.problem()).contains("TLS: server does not offer STARTTLS");
  }

  @Test
  @DisplayName("a server whose TLS handshake fails (STARTTLS offered, no certificate): refused, the WARN line says"
      + " the handshake failed and why")
  void aFailedHandshakeIsNamed() throws Exception {
    XmppImPort im = port(broken, "required", "", List.of());
    assertThat(login(im)).isInstanceOfSatisfying(LoginResult.Unavailable.class,
        u -> assertThat(u.reason()).isEqualTo("TLS: handshake failed"));
    assertThat(warnings()).singleElement().asString().contains("failed: handshake failed (")
        .contains("check the server's TLS setup");
    assertThat(im.problem()).contains("TLS: handshake failed");
  }

  @Test
  @DisplayName("tls = opportunistic with an untrusted certificate: logs in encrypted (unauthenticated, said once in a WARN)")
  void opportunisticEncryptsWithAnUntrustedCertificate() throws Exception {
    XmppImPort im = port(selfSigned, "opportunistic", "", List.of());
    loggedIn(im, true);
    loggedIn(im, true);
    assertThat(warnings()).singleElement().asString().contains("encrypts but does not authenticate");
  }

  @Test
  @DisplayName("tls = opportunistic and a server without STARTTLS: logs in plain")
  void opportunisticIsPlainWithoutTls() throws Exception {
    loggedIn(port(plain, "opportunistic", "", List.of()), false);
  }

  @Test
  @DisplayName("tls = disabled: logs in plain even where the server offers TLS")
  void disabledStaysPlain() throws Exception {
    loggedIn(port(selfSigned, "disabled", "", List.of()), false);
    assertThat(warnings()).isEmpty();
  }

  @Test
  @DisplayName("an unreadable [xmpp] ca_file stops the start with a clear message")
  void anUnreadableCaFileIsRefused() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> port(plain, "required", empty.toString(), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[xmpp] ca_file");
  }
}
