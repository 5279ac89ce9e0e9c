package chatgate.sms.peer;

import chatgate.testkit.ExternalProcess;
import chatgate.testkit.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An independent SMSC for integration tests: {@code sms/src/test/node/smsc.js}, an SMPP 3.4 server
 * built on node-smpp, run as a child process. Events arrive as JSON lines on the child's stdout and
 * are collected here; commands go as JSON lines to its stdin and are acknowledged. See smsc.js for
 * the formats.
 *
 * <pre>{@code
 * try (NodeSmsc smsc = NodeSmsc.start("--throttle", "2")) {
 *   // bind an SMPP client to 127.0.0.1:smsc.port() as system_id "gw", password "secret"
 *   JsonNode submit = smsc.await("submit_sm", e -> e.path("destination_addr").asText().equals("8613900000001"),
 *       Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class NodeSmsc implements AutoCloseable {
  public static final String SYSTEM_ID = "gw";
  public static final String PASSWORD = "secret";
  public static final String HOST = "127.0.0.1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private final Process process;
  private final OutputStream stdin;
  private final List<JsonNode> events = new ArrayList<>(); // guarded by itself
  private final java.util.Map<String, Integer> counts = new java.util.HashMap<>(); // guarded by events
  private final int port;
  private volatile boolean closed;
  private volatile boolean eof; // the child's stdout ended: no more events
  private long nextCommandId = 1;

  private NodeSmsc(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread out = Thread.ofPlatform().daemon().name("smsc-stdout").unstarted(this::readEvents);
    Thread err = Thread.ofPlatform().daemon().name("smsc-stderr").unstarted(() -> drain(process.getErrorStream()));
    out.start();
    err.start();
    JsonNode listening;
    try {
      listening = await("listening", e -> true, START_TIMEOUT);
    } catch (AssertionError e) {
      process.destroyForcibly();
      throw new AssertionError("node smsc.js did not start listening (see the [smsc] lines on stderr)", e);
    }
    this.port = listening.path("port").asInt();
  }

  /**
   * Starts {@code node smsc.js --port 0 --system-id gw --password secret <extraArgs>} and waits until
   * it listens. Extra arguments: {@code --msg-id hex|dec}, {@code --throttle N}, {@code --no-dlr}.
   */
  public static NodeSmsc start(String... extraArgs) {
    Path dir = scriptDir();
    Path node = node();
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("smpp"))) {
      throw new IllegalStateException("node_modules of the SMSC peer is missing in " + dir
          + ": run scripts/test, which runs npm ci (or run `npm ci` in that directory)");
    }
    List<String> command = new ArrayList<>(List.of(node.toString(), "smsc.js", "--port", "0",
        "--system-id", SYSTEM_ID, "--password", PASSWORD));
    command.addAll(List.of(extraArgs));
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
      return new NodeSmsc(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** The directory holding smsc.js, found from the module Maven runs in. */
  static Path scriptDir() {
    return ExternalProcess.moduleFile("sms", "src/test/node/smsc.js").getParent();
  }

  /** The node executable: the first {@code node} on PATH, else /usr/bin/node. */
  static Path node() {
    String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (d.isEmpty()) continue;
      Path candidate = Path.of(d, "node");
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) return candidate;
    }
    Path fallback = Path.of("/usr/bin/node");
    if (Files.isExecutable(fallback)) return fallback;
    throw new IllegalStateException("node (Node.js) is not installed: it is not on PATH nor at /usr/bin/node;"
        + " run scripts/test, which installs nodejs and npm and runs npm ci");
  }

  /** The TCP port the SMSC listens on at {@link #HOST}. */
  public int port() {
    return port;
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  private void readEvents() {
    try {
      JsonLines.read(process.getInputStream(), event -> {
        synchronized (events) {
          events.add(event);
          counts.merge(event.path("event").asText(), 1, Integer::sum);
          events.notifyAll();
        }
      }, line -> System.err.println("[smsc] (not JSON on stdout) " + line));
    } catch (IOException e) {
      if (!closed) System.err.println("[smsc] stdout: " + e);
    } finally {
      synchronized (events) {
        eof = true;
        events.notifyAll();
      }
    }
  }

  private static void drain(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) System.err.println("[smsc] " + line);
    } catch (IOException ignored) {
      // the child is gone
    }
  }

  /** All events received so far, oldest first. */
  public List<JsonNode> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** How many events of one type were received so far (cheap: load harnesses poll it). */
  public int count(String type) {
    synchronized (events) {
      return counts.getOrDefault(type, 0);
    }
  }

  /** The events of one type ({@code "event"} field) received so far, oldest first. */
  public List<JsonNode> events(String type) {
    synchronized (events) {
      return events.stream().filter(e -> type.equals(e.path("event").asText())).toList();
    }
  }

  /** The first event (oldest) of the type that matches, waiting for it up to the timeout. */
  public JsonNode await(String type, Predicate<JsonNode> match, Duration timeout) {
    return awaitMatching(0, e -> isType(e, type) && match.test(e), timeout, "matching \"" + type + "\" event");
  }

  /** Waits until at least n events of the type were received; returns all of them. */
  public List<JsonNode> awaitCount(String type, int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        List<JsonNode> found = events.stream().filter(e -> isType(e, type)).toList();
        if (found.size() >= n) return found;
        long left = deadline - System.nanoTime();
        if (left <= 0 || eof) {
          throw new AssertionError("expected " + n + " \"" + type + "\" events within " + timeout + ", got "
              + found.size() + exitNote() + "; last events:\n" + lastEvents());
        }
        waitOn(left);
      }
    }
  }

  private static boolean isType(JsonNode event, String type) {
    return type.equals(event.path("event").asText());
  }

  private JsonNode awaitMatching(int from, Predicate<JsonNode> match, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      int scanned = from;
      while (true) {
        for (; scanned < events.size(); scanned++) {
          JsonNode e = events.get(scanned);
          if (match.test(e)) return e;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || eof) {
          throw new AssertionError("no " + what + " from the smsc within " + timeout + exitNote()
              + "; last events:\n" + lastEvents());
        }
        waitOn(left);
      }
    }
  }

  private String exitNote() {
    return eof ? " (its stdout ended" + (process.isAlive() ? "" : ", exit code " + process.exitValue()) + ")" : "";
  }

  private void waitOn(long nanos) {
    try {
      TimeUnit.NANOSECONDS.timedWait(events, Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(200)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for smsc events", e);
    }
  }

  private String lastEvents() {
    synchronized (events) {
      List<JsonNode> tail = events.subList(Math.max(0, events.size() - 20), events.size());
      StringBuilder sb = new StringBuilder();
      for (JsonNode e : tail) sb.append("  ").append(e).append('\n');
      return sb.toString();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  /**
   * Sends one command (a JSON object with at least "cmd") and waits for its acknowledgement.
   *
   * @return the "ok" event (it may carry results, e.g. "session" and "sequence" of a deliver_sm)
   * @throws IllegalStateException if the smsc answered with an "error" event
   */
  public synchronized JsonNode command(Map<String, ?> cmd) {
    long id = nextCommandId++;
    Map<String, Object> line = new LinkedHashMap<>(cmd);
    line.put("id", id);
    int from;
    synchronized (events) {
      from = events.size();
    }
    try {
      stdin.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot send " + line + " to the smsc", e);
    }
    JsonNode ack = awaitMatching(from, e -> (isType(e, "ok") || isType(e, "error")) && e.path("id").asLong() == id,
        COMMAND_TIMEOUT, "acknowledgement of " + line);
    if ("error".equals(ack.path("event").asText())) {
      throw new IllegalStateException("smsc refused " + line + ": " + ack.path("message").asText());
    }
    return ack;
  }

  /**
   * Sends a mobile-originated message: a deliver_sm carrying exactly these short_message octets
   * (node does not re-encode them) to a session bound as receiver or transceiver. Source TON/NPI
   * are 1/1 (international, ISDN), destination TON/NPI 0/0.
   *
   * @return the ack, with "session" and "sequence" of the deliver_sm (to match its deliver_sm_resp)
   */
  public JsonNode mo(String sourceAddr, String destinationAddr, int dataCoding, int esmClass, byte[] shortMessage) {
    return mo(sourceAddr, destinationAddr, dataCoding, esmClass, shortMessage, Map.of());
  }

  /** {@link #mo(String, String, int, int, byte[])} with optional parameters ("tlvs" in smsc.js). */
  public JsonNode mo(String sourceAddr, String destinationAddr, int dataCoding, int esmClass, byte[] shortMessage,
      Map<String, ?> tlvs) {
    return command(fromHandset("mo", sourceAddr, destinationAddr, dataCoding, esmClass, "short_message_hex",
        shortMessage, tlvs));
  }

  /**
   * Sends a delivery receipt (deliver_sm, esm_class 0x04, receipted_message_id and message_state
   * TLVs, text {@code id:.. sub:001 dlvrd:.. submit date:.. done date:.. stat:<stat> err:000 text:}).
   * sourceAddr is the handset the message went to, destinationAddr the original sender.
   *
   * @return the ack, with "session" and "sequence" of the deliver_sm
   */
  public JsonNode dlr(String messageId, String stat, String sourceAddr, String destinationAddr) {
    return command(Map.of("cmd", "dlr", "message_id", messageId, "stat", stat,
        "source_addr", sourceAddr, "source_addr_ton", 1, "source_addr_npi", 1,
        "destination_addr", destinationAddr));
  }

  /**
   * Sends a data_sm (SMPP 3.4 4.7) with no short_message and these octets as message_payload (an
   * MO; esm_class 0x04 with receipt TLVs makes it a delivery receipt). Source TON/NPI 1/1.
   *
   * @return the ack, with "session" and "sequence" of the data_sm (to match its data_sm_resp)
   */
  public JsonNode dataSm(String sourceAddr, String destinationAddr, int dataCoding, int esmClass, byte[] payload,
      Map<String, ?> tlvs) {
    return command(fromHandset("data_sm", sourceAddr, destinationAddr, dataCoding, esmClass, "message_payload_hex",
        payload, tlvs));
  }

  /** A command for a PDU from a handset (source TON/NPI 1/1) carrying these octets in {@code octetsField}. */
  private static Map<String, Object> fromHandset(String name, String sourceAddr, String destinationAddr, int dataCoding,
      int esmClass, String octetsField, byte[] octets, Map<String, ?> tlvs) {
    Map<String, Object> cmd = new LinkedHashMap<>();
    cmd.put("cmd", name);
    cmd.put("source_addr", sourceAddr);
    cmd.put("source_addr_ton", 1);
    cmd.put("source_addr_npi", 1);
    cmd.put("destination_addr", destinationAddr);
    cmd.put("data_coding", dataCoding);
    cmd.put("esm_class", esmClass);
    cmd.put(octetsField, HexFormat.of().formatHex(octets));
    if (!tlvs.isEmpty()) {
      cmd.put("tlvs", tlvs);
    }
    return cmd;
  }

  /** Destroys every client connection abruptly (TCP reset); returns how many there were. */
  public int drop() {
    return command(Map.of("cmd", "drop")).path("count").asInt();
  }

  /**
   * Answers every later submit_sm to this destination_addr with this command_status (an SMSC
   * refusing a number, e.g. 0x0B invalid destination address); 0 accepts it again.
   */
  public void refuse(String destinationAddr, int commandStatus) {
    command(Map.of("cmd", "refuse", "destination", destinationAddr, "status", commandStatus));
  }

  /**
   * The receipts the SMSC sends by itself for later SMS to this destination_addr carry this stat
   * and err (e.g. UNDELIV, 011) instead of DELIVRD, 000.
   */
  public void receipts(String destinationAddr, String stat, String err) {
    command(Map.of("cmd", "receipts", "destination", destinationAddr, "stat", stat, "err", err));
  }

  /** At most n submit_sm accepted per rolling second from now on; 0 removes the limit. */
  public void throttle(int n) {
    command(Map.of("cmd", "throttle", "n", n));
  }

  /** Whether the node process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends "stop", waits up to 5 s for the exit, then kills the process if needed. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      if (process.isAlive()) {
        try {
          stdin.write("{\"cmd\":\"stop\"}\n".getBytes(StandardCharsets.UTF_8));
          stdin.flush();
          stdin.close();
        } catch (IOException ignored) {
          // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Lowercase hex of bytes, as smsc.js writes octets ("short_message_hex", "udh_hex"). */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** The octets of a hex field of an event (null/missing gives empty). */
  public static byte[] octets(JsonNode event, String field) {
    return Optional.ofNullable(event.get(field)).filter(JsonNode::isTextual)
        .map(n -> HexFormat.of().parseHex(n.asText())).orElse(new byte[0]);
  }
}
