package chatgate.web;

import static chatgate.web.WebFixture.csrf;
import static chatgate.web.WebFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.port.VirtualHandsets;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "/sim/ exposed": the simulator's pages (every login code and reply link, MO as
 * anyone) only on a loopback listener, or with the [simulator] password. Real Jetty on the
 * wildcard address, reached through loopback.
 */
class SimExposureTest {
  WebFixture web;
  final List<String> mo = new ArrayList<>();

  final VirtualHandsets handsets = new VirtualHandsets() {
    @Override
    public String serviceNumber() {
      return "10658";
    }

    @Override
    public List<Msisdn> handsets() {
      return List.of(Msisdn.of("+8613800000001"));
    }

    @Override
    public List<HandsetSms> inbox(Msisdn handset, int limit) {
      return List.of();
    }

    @Override
    public List<HandsetSms> conversation(Msisdn handset, int limit) {
      java.time.Instant t = java.time.Instant.parse("2026-11-25T10:00:00Z");
      return List.of(new HandsetSms(2, handset, "10658", "chatgate: the commands", Optional.empty(), t, false),
          new HandsetSms(1, handset, "10658", "HELP me", Optional.empty(), t, true));
    }

    @Override
    public void sendMo(Msisdn from, String text) {
      mo.add(from.e164() + ":" + text);
    }
  };

  @AfterEach
  void close() {
    web.close();
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void simIsRefusedOnANonLoopbackListenerWithoutPassword() throws Exception {
    web = new WebFixture(List.of(), List.of(), "0.0.0.0", "", Optional.of(handsets));
    var p = web.phone("+8613800000009");
    HttpResponse<String> r = p.get("/sim/");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("only on a loopback listener").doesNotContain("+8613800000001");
    String page = p.get("/login").body();
    assertThat(p.post("/sim/send", form("from", "13800000002", "text", "LOGIN x y", "csrf", csrf(page))).statusCode())
        .isEqualTo(403);
    assertThat(mo).isEmpty();
    p.language = "zh";
    assertThat(p.get("/sim/").body()).contains("本机回环地址");
  }

  @Test
  void simIsAllowedOnANonLoopbackListenerWithThePassword() throws Exception {
    web = new WebFixture(List.of(), List.of(), "0.0.0.0", "s3cret", Optional.of(handsets));
    var p = web.phone("+8613800000009");
    HttpResponse<String> none = p.get("/sim/");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    assertThat(p.get("/sim/", "Authorization", basic("sim", "wrong")).statusCode()).isEqualTo(401);
    assertThat(p.get("/sim/", "Authorization", basic("admin", "s3cret")).statusCode()).isEqualTo(401);
    HttpResponse<String> ok = p.get("/sim/", "Authorization", basic("sim", "s3cret"));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("+8613800000001");
    HttpResponse<String> sent = p.post("/sim/send", form("from", "13800000002", "text", "hi", "csrf", csrf(ok.body())),
        "Authorization", basic("sim", "s3cret"));
    assertThat(sent.statusCode()).isEqualTo(302);
    assertThat(mo).containsExactly("+8613800000002:hi");
  }

  @Test
  void simIsOpenOnALoopbackListener() throws Exception {
    web = new WebFixture(List.of(), List.of(), "127.0.0.1", "", Optional.of(handsets));
    HttpResponse<String> page = web.phone("+8613800000009").get("/sim/");
    assertThat(page.statusCode()).isEqualTo(200);
    // Issue 18: the handset's conversation, what it sent as well as what it received, newest first.
    assertThat(page.body()).containsSubsequence("← 10658", "chatgate: the commands", "→ 10658", "HELP me");
    assertThat(SimGate.loopback("::1")).isTrue();
    assertThat(SimGate.loopback("localhost")).isTrue();
    assertThat(SimGate.loopback("0.0.0.0")).isFalse();
    assertThat(SimGate.loopback("192.0.2.1")).isFalse();
  }
}
