package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.app.config.ConfigLoader;
import chatgate.core.model.DeliveryState;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.awaitility.Awaitility;

/**
 * {@code /cgi-bin/sendsms} with arbitrary parameters (issue #6): a Kannel answer (202 or 4xx),
 * never a 5xx; without valid credentials nothing is stored, whatever else the request says.
 */
class SendsmsFuzzTest {
  static Path dir;
  static Gateway gateway;
  static String base;
  static final java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("sendsms-fuzz");
    Path config = dir.resolve("chatgate.toml");
    TestConfig.sqlite(dir.resolve("gw.db")).simulator().logLevel("warn")
        .sendsmsUser("rapidpro", "s3cret", Map.of()).write(config);
    gateway = Gateway.start(new ConfigLoader(Map.of()).load(Optional.of(config)));
    base = "http://127.0.0.1:" + gateway.httpPort();
  }

  @AfterContainer
  static void stop() {
    gateway.close();
  }

  /**
   * Deliveries stored, in any state. Each state is counted by its own query, so an SMS of an
   * earlier try moving on between two of them is counted twice or not at all: read until two
   * readings agree.
   */
  static long stored() {
    AtomicLong last = new AtomicLong(-1);
    return Awaitility.await("two equal counts").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .pollDelay(Duration.ZERO).until(() -> {
          long n = Arrays.stream(DeliveryState.values()).mapToLong(s -> gateway.messages().count(s)).sum();
          return last.getAndSet(n) == n ? n : null;
        }, Objects::nonNull);
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<String, String>>> params() {
    Arbitrary<String> names = Arbitraries.of("to", "text", "from", "coding", "charset", "udh", "dlr-mask", "dlr-url",
        "smsc", "validity", "mclass", "priority", "user", "username", "pass", "password", "x", "");
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(20),
        Arbitraries.of("+8613800000001", "13800000001 +8613800000002", "0", "1", "2", "3", "-1", "99",
            "UTF-8", "ISO-8859-1", "nope", "%00", "%zz", "0605040B8423F0", "ZZ", "31", "http://127.0.0.1:1/x?%d%F",
            "x".repeat(2000), "中文".repeat(300)));
    return Combinators.combine(names, values).as(Tuple::of).list().ofMaxSize(8);
  }

  @Property(tries = 300)
  void anyParametersGetAKannelAnswer(@ForAll("params") List<Tuple.Tuple2<String, String>> params,
      @ForAll boolean validCredentials, @ForAll boolean post) throws Exception {
    StringJoiner q = new StringJoiner("&");
    if (validCredentials) {
      q.add("user=rapidpro").add("pass=s3cret");
    }
    for (Tuple.Tuple2<String, String> p : params) {
      q.add(URLEncoder.encode(p.get1(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p.get2(), StandardCharsets.UTF_8));
    }
    long before = stored();
    HttpRequest.Builder b = post
        ? HttpRequest.newBuilder(URI.create(base + "/cgi-bin/sendsms"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(q.toString()))
        : HttpRequest.newBuilder(URI.create(base + "/cgi-bin/sendsms?" + q));
    // Each try from its own loopback address: failed logins from one address are throttled (429),
    // which would leave most tries unparsed.
    int n = tries.incrementAndGet();
    HttpResponse<String> r;
    try (HttpClient from = HttpClient.newBuilder()
        .localAddress(java.net.InetAddress.getByName("127.1." + (n / 250) + "." + (n % 250 + 1))).build()) {
      r = from.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
    assertThat(r.statusCode()).as(q.toString()).isIn(202, 400, 403, 405, 413, 414);
    assertThat(r.body()).isNotBlank();
    boolean anyCredentials = validCredentials || params.stream()
        .anyMatch(p -> List.of("user", "username", "pass", "password").contains(p.get1()));
    if (!anyCredentials) {
      assertThat(r.statusCode()).as("no credentials: %s", q).isEqualTo(403);
    }
    if (r.statusCode() != 202) {
      assertThat(stored()).as("refused, yet stored: %s", q).isEqualTo(before);
    }
  }
}
