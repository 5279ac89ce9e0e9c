package chatgate.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Kannel 1.4.5 ({@code bearerbox} + {@code smsbox}, installed by scripts/test) bound to an
 * SMSC peer, with one sendsms user: the reference a parity test compares chatgate with. Its
 * {@code kannel.conf} is chatgate's defaults said in Kannel's words: {@code global-sender} the
 * service number, {@code max-messages = 4} ({@code [sms] max_segments}), {@code msg-id-type = 0x03}
 * ({@code [smpp] msg_id_type = "hex"}), {@code smsc-id = "peer"}.
 */
final class KannelBox implements AutoCloseable {
  static final String USER = "rapidpro";
  static final String PASS = "s3cret";
  static final String SMSC_ID = "peer";

  private final Process bearerbox;
  private final Process smsbox;
  private final int sendsmsPort;
  private final Path dir;

  private KannelBox(Process bearerbox, Process smsbox, int sendsmsPort, Path dir) {
    this.bearerbox = bearerbox;
    this.smsbox = smsbox;
    this.sendsmsPort = sendsmsPort;
    this.dir = dir;
  }

  static KannelBox start(Path dir, int smscPort, String systemId, String password, String serviceNumber)
      throws Exception {
    int admin = freePort();
    int box = freePort();
    int sendsms = freePort();
    Files.createDirectories(dir.resolve("spool"));
    Path conf = dir.resolve("kannel.conf");
    Files.writeString(conf, """
        group = core
        admin-port = %d
        admin-password = parity
        status-password = parity
        smsbox-port = %d
        admin-allow-ip = "127.0.0.1"
        box-allow-ip = "127.0.0.1"
        log-file = "%s/bearerbox.log"
        log-level = 1
        store-type = spool
        store-location = "%s/spool"
        dlr-storage = internal

        group = smsc
        smsc = smpp
        smsc-id = "%s"
        host = 127.0.0.1
        port = %d
        transceiver-mode = true
        smsc-username = "%s"
        smsc-password = "%s"
        system-type = ""
        msg-id-type = 0x03
        enquire-link-interval = 30

        group = smsbox
        bearerbox-host = 127.0.0.1
        bearerbox-port = %d
        sendsms-port = %d
        global-sender = "%s"
        log-file = "%s/smsbox.log"
        log-level = 1

        group = sendsms-user
        username = %s
        password = %s
        max-messages = 4
        concatenation = true

        group = sms-service
        keyword = default
        catch-all = true
        text = "ok"
        """.formatted(admin, box, dir, dir, SMSC_ID, smscPort, systemId, password, box, sendsms, serviceNumber, dir,
        USER, PASS));
    Process bearerbox = new ProcessBuilder(program("bearerbox"), conf.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("bearerbox.out").toFile()).start();
    Process smsbox = null;
    try {
      String status = "http://127.0.0.1:" + admin + "/status.txt?password=parity";
      awaitHttp(status, body -> body.contains("online"), dir.resolve("bearerbox.log"));
      smsbox = new ProcessBuilder(program("smsbox"), conf.toString()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("smsbox.out").toFile()).start();
      awaitPort(sendsms);
      awaitHttp(status, body -> body.contains("smsbox:"), dir.resolve("bearerbox.log"));
      return new KannelBox(bearerbox, smsbox, sendsms, dir);
    } catch (Exception | AssertionError e) {
      stop(smsbox);
      stop(bearerbox);
      throw e;
    }
  }

  /** Debian installs Kannel's boxes in /usr/sbin, which a non-root PATH may lack. */
  private static String program(String name) {
    Path sbin = Path.of("/usr/sbin", name);
    return Files.isExecutable(sbin) ? sbin.toString() : name;
  }

  String sendsmsUrl() {
    return "http://127.0.0.1:" + sendsmsPort + "/cgi-bin/sendsms";
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    stop(smsbox);
    stop(bearerbox);
  }

  private static void stop(Process p) {
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitPort(int port) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > until) {
          throw new AssertionError("Kannel's smsbox does not listen on " + port);
        }
        Thread.sleep(50);
      }
    }
  }

  private static void awaitHttp(String url, java.util.function.Predicate<String> ok, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < until) {
      try {
        last = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        if (ok.test(last)) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of("(no log)");
    throw new AssertionError("Kannel not ready: " + url + " said: " + last + "\n" + String.join("\n",
        lines.subList(Math.max(0, lines.size() - 20), lines.size())));
  }
}
