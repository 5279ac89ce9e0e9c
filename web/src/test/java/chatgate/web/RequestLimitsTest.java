package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.port.VirtualHandsets;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, unauthenticated memory exhaustion, on the chat routes: a body larger than the bound is
 * refused by its Content-Length before a byte of it is read, and a chunked one is cut at the bound,
 * whichever route it is sent to and whoever sends it.
 */
class RequestLimitsTest {
  static final long GIB = 1L << 30;
  static final long MIB_200 = 200L << 20;
  final List<String> mo = new CopyOnWriteArrayList<>();
  WebFixture web;
  String cookies;

  @BeforeEach
  void start() throws Exception {
    web = new WebFixture(List.of(), Optional.of(new VirtualHandsets() {
      @Override
      public String serviceNumber() {
        return "10658";
      }

      @Override
      public List<Msisdn> handsets() {
        return List.of();
      }

      @Override
      public List<HandsetSms> inbox(Msisdn handset, int limit) {
        return List.of();
      }

      @Override
      public void sendMo(Msisdn from, String text) {
        mo.add(text);
      }
    }));
    WebFixture.Phone a = web.phone("+8613800000001").login();
    CookieManager jar = (CookieManager) a.http.cookieHandler().orElseThrow();
    cookies = jar.getCookieStore().getCookies().stream().map(HttpCookie::toString).collect(Collectors.joining("; "));
  }

  @AfterEach
  void stop() {
    web.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/login", "/login/code", "/chat", "/sim/send", "/logout", "/", "/healthz", "/nowhere"})
  @DisplayName("issue 15: a body announced as 1 GiB is refused 413 before the client sends it; /healthz answers meanwhile")
  void aBodyAnnouncedAsOneGibibyteIsRefusedBeforeItIsSent(String path) throws Exception {
    try (RawHttp c = new RawHttp(web.server.port())) {
      c.head("POST " + path + " HTTP/1.1", "Content-Type: application/x-www-form-urlencoded",
          "Content-Length: " + GIB, "Cookie: " + cookies);
      // The body is never sent: the server must answer from the head alone.
      assertThat(web.phone("+8613800000009").get("/healthz").statusCode()).isEqualTo(200);
      RawHttp.Answer a = c.answer(Duration.ofSeconds(10));
      assertThat(a.status()).as(a.text()).isEqualTo(413);
    }
    assertThat(mo).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/login", "/login/code", "/chat", "/sim/send"})
  @DisplayName("issue 15: a chunked body of 200 MiB is cut at the bound with 413; the rest is never read")
  void aChunkedBodyIsCutAtTheBound(String path) throws Exception {
    RawHttp.Streamed s = RawHttp.streamChunked(web.server.port(), MIB_200, "POST " + path + " HTTP/1.1",
        "Content-Type: application/x-www-form-urlencoded", "Transfer-Encoding: chunked", "Cookie: " + cookies);
    assertThat(s.answer().status()).as(s.answer().text()).isEqualTo(413);
    assertThat(s.sent()).as("bytes the server let the client send").isLessThan(MIB_200 / 4);
    assertThat(mo).isEmpty();
  }
}
