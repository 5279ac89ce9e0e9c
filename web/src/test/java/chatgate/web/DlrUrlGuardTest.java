package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a {@code dlr-url} may not make the gateway call loopback, link-local or its own
 * listeners, at submit nor at call time. Every call here goes to a receiver on 127.0.0.1; the
 * public-looking addresses (TEST-NET) are only ever resolved to, never connected to.
 */
class DlrUrlGuardTest {
  HttpServer receiver;
  final List<String> hits = new CopyOnWriteArrayList<>();
  int port;

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext("/", ex -> {
      if (ex.getRequestURI().getPath().equals("/slow")) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      hits.add(ex.getRequestURI().getPath());
      if (ex.getRequestURI().getPath().equals("/go")) {
        ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + port + "/secret");
        ex.sendResponseHeaders(302, -1);
      } else {
        ex.sendResponseHeaders(200, -1);
      }
      ex.close();
    });
    receiver.start();
    port = receiver.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  static InetAddress ip(String literal) {
    return InetAddress.ofLiteral(literal);
  }

  @Test
  @DisplayName("issue 15: a name that resolved to a public address at submit and to loopback at call time is not called")
  void aNameThatRebindsToLoopbackIsNotCalled() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    DlrUrlGuard guard = new DlrUrlGuard(List::of, host -> host.equals("rebind.test")
        ? new InetAddress[] {lookups.getAndIncrement() == 0 ? ip("203.0.113.7") : ip("127.0.0.1")}
        : InetAddress.getAllByName(host));
    String url = "http://rebind.test:" + port + "/rebound";
    assertThat(guard.refusal(url, List.of())).as("at submit it looks public").isEmpty();
    try (HttpClientCallback calls = new HttpClientCallback(guard, List.of("http://127.0.0.1:" + port + "/canary"))) {
      assertThatThrownBy(() -> calls.once(URI.create(url))).isInstanceOf(DlrUrlGuard.Refused.class);
      assertThat(calls.once(URI.create("http://127.0.0.1:" + port + "/canary"))).isEqualTo(200);
    }
    assertThat(hits).containsExactly("/canary");
  }

  @Test
  @DisplayName("one message's callbacks reach the client in order, even when the first is slow to answer")
  void oneMessagesCallbacksArriveInOrder() throws Exception {
    try (HttpClientCallback calls = new HttpClientCallback(new DlrUrlGuard(List::of),
        List.of("http://127.0.0.1:" + port + "/"))) {
      calls.get("msg-1", "http://127.0.0.1:" + port + "/slow");
      calls.get("msg-1", "http://127.0.0.1:" + port + "/fast");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> hits.size() >= 2);
    }
    assertThat(hits).containsExactly("/slow", "/fast");
  }

  @Test
  @DisplayName("issue 15: a callback is never redirected (a 302 to loopback ends it)")
  void redirectsAreNotFollowed() throws Exception {
    DlrUrlGuard guard = new DlrUrlGuard(List::of);
    try (HttpClientCallback calls = new HttpClientCallback(guard, List.of("http://127.0.0.1:" + port + "/"))) {
      assertThat(calls.once(URI.create("http://127.0.0.1:" + port + "/go"))).isEqualTo(302);
    }
    assertThat(hits).containsExactly("/go");
  }

  @Test
  @DisplayName("issue 15: loopback, link-local, any-local, multicast, broadcast and their IPv6 forms are refused; others pass")
  void forbiddenAddresses() {
    for (String a : List.of("127.0.0.1", "127.255.0.9", "0.0.0.0", "0.1.2.3", "169.254.169.254", "224.0.0.1",
        "255.255.255.255", "::1", "::", "fe80::1", "ff02::1", "::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe")) {
      assertThat(DlrUrlGuard.forbidden(ip(a))).as(a).isTrue();
    }
    for (String a : List.of("10.0.0.1", "192.168.1.1", "203.0.113.7", "2001:db8::1", "fd00::1", "64:ff9b::cb00:7107")) {
      assertThat(DlrUrlGuard.forbidden(ip(a))).as(a).isFalse();
    }
  }

  @Test
  @DisplayName("issue 15: the gateway's own listeners are refused, on their address and port (any address for 0.0.0.0)")
  void ownListenersAreRefused() {
    DlrUrlGuard guard = new DlrUrlGuard(() -> List.of(new InetSocketAddress("203.0.113.9", 8080)),
        host -> new InetAddress[] {ip("203.0.113.9")});
    assertThat(guard.refusal("http://gw.test:8080/cgi-bin/sendsms", List.of())).isPresent();
    assertThat(guard.refusal("http://gw.test:8081/dlr?t=%d&id=%F", List.of())).isEmpty();
    // A listener on the any-local address is on every address of this machine.
    DlrUrlGuard any = new DlrUrlGuard(() -> List.of(new InetSocketAddress("0.0.0.0", 8080)));
    assertThat(any.ownListener(ip("127.0.0.1"), 8080)).isTrue();
    assertThat(any.ownListener(ip("127.0.0.1"), 8081)).isFalse();
    assertThat(any.ownListener(ip("203.0.113.7"), 8080)).isFalse();
  }

  @Test
  @DisplayName("issue 15: an allowed prefix lets only its own host through, not a longer name nor user-info tricks")
  void prefixesMatchTheirHost() {
    DlrUrlGuard guard = new DlrUrlGuard(List::of, host -> host.equals("localhost") ? new InetAddress[] {ip("127.0.0.1")}
        : new InetAddress[] {ip("169.254.169.254")});
    List<String> allow = List.of("http://localhost");
    assertThat(guard.refusal("http://localhost:9000/dlr?type=%d", allow)).isEmpty();
    assertThat(guard.refusal("http://localhost.evil.test/dlr", allow)).isPresent();
    assertThat(guard.refusal("http://localhost@evil.test/dlr", allow)).isPresent();
    assertThat(guard.refusal("http://localhost:80@evil.test/dlr", allow)).isPresent();
    assertThat(guard.refusal("ftp://localhost/dlr", allow)).hasValue("Invalid dlr-url");
  }
}
