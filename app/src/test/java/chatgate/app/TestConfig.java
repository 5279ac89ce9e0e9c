package chatgate.app;

import chatgate.app.config.Config;
import chatgate.app.config.ConfigLoader;
import chatgate.sms.peer.NodeSmsc;
import chatgate.xmpp.peer.XmppServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The TOML an integration test runs the gateway with, built instead of written by hand (issue 19):
 * HTTP on loopback, a store, and the sections the test names. Values are written as TOML
 * literals: strings quoted, numbers and booleans bare, lists as arrays.
 *
 * <pre>{@code
 * Config c = TestConfig.sqlite(dir.resolve("gw.db")).simulator().set("http", "public_url", "http://gw.example").load();
 * }</pre>
 */
final class TestConfig {
  private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
  private final List<Map.Entry<String, Map<String, Object>>> tables = new ArrayList<>();

  private TestConfig(String storeUrl) {
    set("http", "listen", "127.0.0.1:0");
    set("store", "url", storeUrl);
  }

  /** SQLite in this file; HTTP on any free loopback port. */
  static TestConfig sqlite(Path db) {
    return new TestConfig("jdbc:sqlite:" + db);
  }

  /** PostgreSQL at this JDBC URL as user postgres (the test machine's trust login). */
  static TestConfig postgres(String url) {
    return new TestConfig(url).set("store", "user", "postgres");
  }

  /** PostgreSQL on 127.0.0.1:5432, this database. */
  static TestConfig postgresDb(String db) {
    return postgres("jdbc:postgresql://127.0.0.1:5432/" + db);
  }

  /** One key; a later call for the same key replaces the value. */
  TestConfig set(String section, String key, Object value) {
    sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
    return this;
  }

  /** HTTP on this loopback port (a test that must know it before start, or keep it over a restart). */
  TestConfig httpPort(int port) {
    return set("http", "listen", "127.0.0.1:" + port);
  }

  /** The built-in SMSC simulator on any free loopback port. */
  TestConfig simulator() {
    return set("simulator", "listen", "127.0.0.1:0");
  }

  /** SMPP to the npm SMSC peer, reconnecting after 1 s. */
  TestConfig smsc(NodeSmsc smsc) {
    return set("smpp", "host", NodeSmsc.HOST).set("smpp", "port", smsc.port())
        .set("smpp", "system_id", NodeSmsc.SYSTEM_ID).set("smpp", "password", NodeSmsc.PASSWORD)
        .set("smpp", "reconnect_delay", "1s");
  }

  /** P1's sessions on this XMPP server, in plain (the test servers offer no certificate). */
  TestConfig xmpp(XmppServer server) {
    return set("xmpp", "host", server.host()).set("xmpp", "port", server.port())
        .set("xmpp", "domain", XmppServer.DOMAIN).set("xmpp", "tls", "disabled");
  }

  /** Load, not people: the per-phone quotas (issue 15) stay out of the way. */
  TestConfig noQuotas() {
    return set("chat", "messages_per_minute", 100_000).set("chat", "daily_messages", 10_000_000)
        .set("chat", "daily_sms_segments", 10_000_000);
  }

  TestConfig logLevel(String level) {
    return set("log", "level", level);
  }

  /** A {@code [[sendsms_users]]} entry; {@code more} holds its other keys (allow_ip, dlr_url_allow ...). */
  TestConfig sendsmsUser(String username, String password, Map<String, Object> more) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("username", username);
    t.put("password", password);
    t.putAll(more);
    tables.add(Map.entry("sendsms_users", t));
    return this;
  }

  String toml() {
    StringBuilder b = new StringBuilder();
    sections.forEach((name, keys) -> section(b, "[" + name + "]", keys));
    tables.forEach(t -> section(b, "[[" + t.getKey() + "]]", t.getValue()));
    return b.toString();
  }

  Path write(Path file) throws IOException {
    Files.writeString(file, toml());
    return file;
  }

  /** Parsed as the gateway parses a file, without the environment. */
  Config load() {
    return new ConfigLoader(Map.of()).parse(toml());
  }

  private static void section(StringBuilder b, String header, Map<String, Object> keys) {
    b.append(header).append('\n');
    keys.forEach((k, v) -> b.append(k).append(" = ").append(literal(v)).append('\n'));
  }

  private static String literal(Object v) {
    return switch (v) {
      case Number n -> n.toString();
      case Boolean x -> x.toString();
      case List<?> l -> l.stream().map(TestConfig::literal).collect(Collectors.joining(", ", "[", "]"));
      default -> "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    };
  }
}
