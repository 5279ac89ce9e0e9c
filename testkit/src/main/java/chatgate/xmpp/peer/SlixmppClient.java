package chatgate.xmpp.peer;

import chatgate.testkit.ExternalProcess;
import chatgate.testkit.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An XMPP client nobody here wrote: Debian's python3-slixmpp driven by
 * {@code src/test/python/xmpp_client.py} over JSON lines. It approves subscription requests,
 * answers XEP-0184 receipt requests and asks for receipts on what it sends.
 */
public final class SlixmppClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private final Process process;
  private final OutputStream stdin;
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  public final String jid;

  private SlixmppClient(Process process, String jid) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.jid = jid;
    Thread.ofPlatform().daemon().name("slixmpp-" + jid).start(this::read);
  }

  public static SlixmppClient start(String jid, String password, String host, int port) throws IOException {
    Path script = script();
    if (!Files.isExecutable(PYTHON)) {
      throw new IllegalStateException("/usr/bin/python3 is missing: install python3-slixmpp (scripts/test does)");
    }
    Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), jid, password, host, String.valueOf(port))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    SlixmppClient c = new SlixmppClient(p, jid);
    c.await("session_start", e -> true, Duration.ofSeconds(20));
    return c;
  }

  static Path script() {
    return ExternalProcess.moduleFile("xmpp", "src/test/python/xmpp_client.py");
  }

  private void read() {
    try {
      JsonLines.read(process.getInputStream(), events::add, line -> {
        // not an event line
      });
    } catch (IOException e) {
      // process ended
    }
  }

  public List<JsonNode> events(String type) {
    return events.stream().filter(e -> type.equals(e.path("event").asText())).toList();
  }

  public JsonNode await(String type, Predicate<JsonNode> match, Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      for (JsonNode e : events(type)) {
        if (match.test(e)) {
          return e;
        }
      }
      if (!process.isAlive() && events(type).stream().noneMatch(match)) {
        throw new AssertionError("slixmpp client " + jid + " exited; events: " + events);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new AssertionError(ie);
      }
    }
    throw new AssertionError("no " + type + " event for " + jid + " within " + timeout + "; events: " + events);
  }

  private synchronized void command(Map<String, ?> cmd) throws IOException {
    stdin.write((JSON.writeValueAsString(cmd) + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /** Sends a chat message; returns its stanza id. */
  public String send(String to, String body) throws IOException {
    int before = events("ok").size();
    command(Map.of("cmd", "send", "to", to, "body", body));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      List<JsonNode> oks = events("ok");
      for (int i = before; i < oks.size(); i++) {
        if (oks.get(i).path("cmd").asText().equals("send")) {
          return oks.get(i).path("id").asText();
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("send not acknowledged by the slixmpp client");
  }

  public void subscribe(String to) throws IOException {
    command(Map.of("cmd", "subscribe", "to", to));
  }

  public void presence(String show, String status) throws IOException {
    command(Map.of("cmd", "presence", "show", show, "status", status));
  }

  @Override
  public void close() throws Exception {
    try {
      command(Map.of("cmd", "stop"));
    } catch (IOException e) {
      // already gone
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
