package chatgate.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the TOML configuration, applies {@code CHATGATE_<SECTION>_<KEY>} environment overrides,
 * and validates every key. Unknown keys and bad values are collected and reported together, each
 * naming its key, so an operator fixes them in one pass.
 */
public final class ConfigLoader {

  private enum Kind { STRING, INT, DURATION, LIST, LISTEN }

  private record Key(String section, String name, Kind kind, String def) {
    String path() {
      return "[" + section + "] " + name;
    }

    String env() {
      return ("CHATGATE_" + section + "_" + name).toUpperCase(Locale.ROOT);
    }
  }

  private static final List<Key> KEYS = List.of(
      new Key("http", "listen", Kind.LISTEN, "127.0.0.1:8080"),
      new Key("http", "public_url", Kind.STRING, ""),
      new Key("http", "trusted_proxies", Kind.LIST, ""),
      new Key("http", "msisdn_header", Kind.STRING, "X-MSISDN"),
      new Key("http", "real_ip_from", Kind.LIST, ""),
      new Key("store", "url", Kind.STRING, "jdbc:sqlite:data/chatgate.db"),
      new Key("store", "user", Kind.STRING, ""),
      new Key("store", "password", Kind.STRING, ""),
      new Key("sms", "service_number", Kind.STRING, "10658"),
      new Key("sms", "default_region", Kind.STRING, "CN"),
      new Key("sms", "retention", Kind.DURATION, "72h"),
      new Key("sms", "max_segments", Kind.INT, "4"),
      new Key("sms", "allowed_destinations", Kind.LIST, ""),
      new Key("smpp", "host", Kind.STRING, ""),
      new Key("smpp", "port", Kind.INT, "2775"),
      new Key("smpp", "system_id", Kind.STRING, ""),
      new Key("smpp", "password", Kind.STRING, ""),
      new Key("smpp", "system_type", Kind.STRING, ""),
      new Key("smpp", "bind", Kind.STRING, "transceiver"),
      new Key("smpp", "throughput", Kind.INT, "50"),
      new Key("smpp", "window", Kind.INT, "10"),
      new Key("smpp", "enquire_link", Kind.DURATION, "30s"),
      new Key("smpp", "reconnect_delay", Kind.DURATION, "10s"),
      new Key("smpp", "msg_id_type", Kind.STRING, "hex"),
      new Key("smpp", "source_ton", Kind.INT, "-1"),
      new Key("smpp", "source_npi", Kind.INT, "-1"),
      new Key("smpp", "dest_ton", Kind.INT, "1"),
      new Key("smpp", "dest_npi", Kind.INT, "1"),
      new Key("smpp", "imsi_tlv", Kind.INT, "0"),
      new Key("smpp", "in_doubt_wait", Kind.DURATION, "60s"),
      new Key("simulator", "listen", Kind.LISTEN, "127.0.0.1:2775"),
      new Key("simulator", "password", Kind.STRING, ""),
      new Key("xmpp", "host", Kind.STRING, ""),
      new Key("xmpp", "port", Kind.INT, "5222"),
      new Key("xmpp", "domain", Kind.STRING, ""),
      new Key("xmpp", "tls", Kind.STRING, "required"),
      new Key("xmpp", "max_sessions", Kind.INT, "10000"),
      new Key("xmpp", "ca_file", Kind.STRING, ""),
      new Key("xmpp", "cert_pins", Kind.LIST, ""),
      new Key("chat", "wap_idle", Kind.DURATION, "60s"),
      new Key("chat", "max_chars", Kind.INT, "1000"),
      new Key("chat", "online_idle", Kind.DURATION, "15m"),
      new Key("chat", "refresh", Kind.DURATION, "20s"),
      new Key("chat", "daily_messages", Kind.INT, "1000"),
      new Key("chat", "daily_sms_segments", Kind.INT, "200"),
      new Key("chat", "messages_per_minute", Kind.INT, "20"),
      new Key("login", "codes_per_minute", Kind.INT, "30"),
      new Key("login", "codes_per_block_per_hour", Kind.INT, "10"),
      new Key("login", "daily_codes", Kind.INT, "1000"),
      new Key("security", "key_file", Kind.STRING, "data/chatgate.key"),
      new Key("cluster", "nats_url", Kind.STRING, ""),
      new Key("cluster", "node_id", Kind.STRING, ""),
      new Key("cluster", "claim_hold", Kind.DURATION, "30s"),
      new Key("cluster", "smpp_binds", Kind.INT, "0"),
      new Key("log", "format", Kind.STRING, "text"),
      new Key("log", "level", Kind.STRING, "info"));

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern CIDR = Pattern.compile(
      "((\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})|[0-9a-fA-F:]+)(/\\d{1,3})?");

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** The configuration from a file (empty: embedded defaults) and the environment. */
  public Config load(Optional<Path> file) {
    String text = "";
    if (file.isPresent()) {
      try {
        text = Files.readString(file.get(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException(List.of("cannot read " + file.get() + ": " + e.getMessage()));
      }
    }
    return parse(text);
  }

  public Config parse(String toml) {
    List<String> problems = new ArrayList<>();
    ObjectNode root;
    try {
      JsonNode n = new TomlMapper().readTree(toml);
      root = n instanceof ObjectNode o ? o : new TomlMapper().createObjectNode();
    } catch (IOException e) {
      throw new ConfigException(List.of("not valid TOML: " + firstLine(e.getMessage())));
    }

    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, List<String>> lists = new LinkedHashMap<>();
    List<Config.SendsmsUser> sendsms = new ArrayList<>();

    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> sec = it.next();
      String section = sec.getKey();
      if (section.equals("sendsms_users")) {
        readSendsmsUsers(sec.getValue(), sendsms, problems);
        continue;
      }
      if (KEYS.stream().noneMatch(k -> k.section().equals(section))) {
        problems.add("[" + section + "]: unknown section");
        continue;
      }
      if (!sec.getValue().isObject()) {
        problems.add("[" + section + "]: must be a table");
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> kv = sec.getValue().fields(); kv.hasNext(); ) {
        Map.Entry<String, JsonNode> e = kv.next();
        Optional<Key> key = find(section, e.getKey());
        if (key.isEmpty()) {
          problems.add("[" + section + "] " + e.getKey() + ": unknown key");
          continue;
        }
        JsonNode v = e.getValue();
        if (key.get().kind() == Kind.LIST) {
          if (!v.isArray()) {
            problems.add(key.get().path() + ": must be a list of strings");
            continue;
          }
          List<String> items = new ArrayList<>();
          v.forEach(x -> items.add(x.asText()));
          lists.put(key.get().path(), items);
        } else if (v.isContainerNode()) {
          problems.add(key.get().path() + ": must be a single value");
        } else {
          raw.put(key.get().path(), v.asText());
        }
      }
    }

    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith("CHATGATE_")) {
        continue;
      }
      Optional<Key> key = KEYS.stream().filter(k -> k.env().equals(e.getKey())).findFirst();
      if (key.isEmpty()) {
        problems.add(e.getKey() + ": unknown environment variable");
        continue;
      }
      if (key.get().kind() == Kind.LIST) {
        List<String> items = new ArrayList<>();
        for (String s : e.getValue().split(",")) {
          if (!s.isBlank()) {
            items.add(s.strip());
          }
        }
        lists.put(key.get().path(), items);
      } else {
        raw.put(key.get().path(), e.getValue());
      }
    }

    Values v = new Values(raw, lists, problems);
    String[] listen = v.listen("http", "listen");
    String publicUrl = v.str("http", "public_url");
    if (publicUrl.isEmpty()) {
      String host = listen[0].equals("0.0.0.0") || listen[0].equals("::") ? "127.0.0.1" : listen[0];
      publicUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + listen[1];
    } else if (!publicUrl.matches("https?://[^\\s/]+(/[^\\s]*)?")) {
      problems.add("[http] public_url: \"" + publicUrl + "\" is not an http(s) URL");
    }
    List<String> proxies = v.list("http", "trusted_proxies");
    for (String p : proxies) {
      if (!validCidr(p)) {
        problems.add("[http] trusted_proxies: \"" + p + "\" is not an address or CIDR");
      }
    }
    String header = v.str("http", "msisdn_header");
    if (!header.matches("[A-Za-z0-9-]{1,64}")) {
      problems.add("[http] msisdn_header: \"" + header + "\" is not a header name");
    }
    List<String> realIpFrom = v.list("http", "real_ip_from");
    for (String p : realIpFrom) {
      if (!validCidr(p)) {
        problems.add("[http] real_ip_from: \"" + p + "\" is not an address or CIDR");
      }
    }
    Config.Http http = new Config.Http(listen[0], Integer.parseInt(listen[1]), stripSlash(publicUrl), proxies, header,
        realIpFrom);

    String url = v.str("store", "url");
    if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
      problems.add("[store] url: \"" + url + "\" must start with jdbc:sqlite: or jdbc:postgresql:");
    }
    Config.Store store = new Config.Store(url, v.str("store", "user"), v.str("store", "password"));

    String serviceNumber = v.str("sms", "service_number");
    if (!serviceNumber.matches("\\+?[0-9]{3,15}")) {
      problems.add("[sms] service_number: \"" + serviceNumber + "\" must be 3 to 15 digits");
    }
    String region = v.str("sms", "default_region").toUpperCase(Locale.ROOT);
    if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
      problems.add("[sms] default_region: \"" + region + "\" is not a region code such as CN or GB");
    }
    List<String> destinations = v.list("sms", "allowed_destinations");
    for (String d : destinations) {
      boolean ok = d.equals("*") || d.matches("\\+[0-9]{1,15}")
          || com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions()
              .contains(d.toUpperCase(Locale.ROOT));
      if (!ok) {
        problems.add("[sms] allowed_destinations: \"" + d + "\" must be a region code (CN), a +prefix (+8613) or *");
      }
    }
    if (destinations.isEmpty()) {
      destinations = List.of(region);
    }
    Config.Sms sms = new Config.Sms(serviceNumber, region, v.positiveDuration("sms", "retention"),
        v.intIn("sms", "max_segments", 1, 10),
        destinations.stream().map(d -> d.startsWith("+") ? d : d.toUpperCase(Locale.ROOT)).toList());

    String bind = v.str("smpp", "bind");
    if (!bind.equals("transceiver") && !bind.equals("transmitter+receiver")) {
      problems.add("[smpp] bind: \"" + bind + "\" must be transceiver or transmitter+receiver");
    }
    String msgIdType = v.str("smpp", "msg_id_type");
    if (!List.of("hex", "dec", "hex-dec", "dec-hex").contains(msgIdType)) {
      problems.add("[smpp] msg_id_type: \"" + msgIdType + "\" must be hex, dec, hex-dec or dec-hex");
    }
    Config.Smpp smpp = new Config.Smpp(v.str("smpp", "host"), v.intIn("smpp", "port", 1, 65535),
        v.str("smpp", "system_id"), v.str("smpp", "password"), v.str("smpp", "system_type"), bind,
        v.intIn("smpp", "throughput", 1, 100_000), v.intIn("smpp", "window", 1, 1000),
        v.positiveDuration("smpp", "enquire_link"), v.positiveDuration("smpp", "reconnect_delay"), msgIdType,
        v.intIn("smpp", "source_ton", -1, 255), v.intIn("smpp", "source_npi", -1, 255),
        v.intIn("smpp", "dest_ton", 0, 255), v.intIn("smpp", "dest_npi", 0, 255), v.intIn("smpp", "imsi_tlv", 0, 65535),
        v.duration("smpp", "in_doubt_wait"));
    if (!smpp.host().isEmpty() && smpp.systemId().isEmpty()) {
      problems.add("[smpp] system_id: required when [smpp] host is set");
    }
    String[] sim = v.listen("simulator", "listen");
    Config.Simulator simulator = new Config.Simulator(sim[0], Integer.parseInt(sim[1]), v.str("simulator", "password"));

    String tls = v.str("xmpp", "tls");
    if (!List.of("required", "opportunistic", "disabled").contains(tls)) {
      problems.add("[xmpp] tls: \"" + tls + "\" must be required, opportunistic or disabled");
    }
    List<String> pins = v.list("xmpp", "cert_pins");
    for (String pin : pins) {
      if (!pin.matches("sha256/[A-Za-z0-9+/]{43}=")) {
        problems.add("[xmpp] cert_pins: \"" + pin + "\" must be sha256/ and the base64 SHA-256 of the certificate's"
            + " public key (SubjectPublicKeyInfo), as HPKP writes pins");
      }
    }
    Config.Xmpp xmpp = new Config.Xmpp(v.str("xmpp", "host"), v.intIn("xmpp", "port", 1, 65535),
        v.str("xmpp", "domain"), tls, v.intIn("xmpp", "max_sessions", 1, 1_000_000), v.str("xmpp", "ca_file"), pins);

    Config.Chat chat = new Config.Chat(v.positiveDuration("chat", "wap_idle"), v.intIn("chat", "max_chars", 1, 100_000),
        v.positiveDuration("chat", "online_idle"), v.positiveDuration("chat", "refresh"),
        v.intIn("chat", "daily_messages", 1, 10_000_000), v.intIn("chat", "daily_sms_segments", 0, 10_000_000),
        v.intIn("chat", "messages_per_minute", 1, 100_000));
    Config.Login login = new Config.Login(v.intIn("login", "codes_per_minute", 1, 1_000_000),
        v.intIn("login", "codes_per_block_per_hour", 1, 1_000_000), v.intIn("login", "daily_codes", 1, 100_000_000));
    String keyFile = v.str("security", "key_file");
    if (keyFile.isEmpty()) {
      problems.add("[security] key_file: must name a file (created with a new key if missing)");
    }
    Config.Security security = new Config.Security(keyFile);
    if (chat.refresh().compareTo(chat.wapIdle()) >= 0 && !chat.wapIdle().isZero()) {
      problems.add("[chat] refresh: must be shorter than [chat] wap_idle, or refreshing pages would not count as browsing");
    }
    if (chat.onlineIdle().compareTo(chat.wapIdle()) < 0) {
      problems.add("[chat] online_idle: must not be shorter than [chat] wap_idle");
    }

    String format = v.str("log", "format");
    if (!format.equals("text") && !format.equals("json")) {
      problems.add("[log] format: \"" + format + "\" must be text or json");
    }
    String level = v.str("log", "level").toLowerCase(Locale.ROOT);
    if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
      problems.add("[log] level: \"" + level + "\" must be error, warn, info, debug or trace");
    }

    String natsUrl = v.str("cluster", "nats_url");
    String nodeId = v.str("cluster", "node_id");
    Config.Cluster cluster = new Config.Cluster(natsUrl, nodeId, v.positiveDuration("cluster", "claim_hold"),
        v.intIn("cluster", "smpp_binds", 0, 1000));
    if (!natsUrl.isEmpty()) {
      if (!natsUrl.matches("(nats|tls)://[^\\s]+")) {
        problems.add("[cluster] nats_url: \"" + natsUrl + "\" must look like nats://host:4222");
      }
      if (!nodeId.matches("[A-Za-z0-9_-]{1,32}")) {
        problems.add("[cluster] node_id: \"" + nodeId + "\" must be 1 to 32 letters, digits, - or _ (each node its own)");
      }
      if (!url.startsWith("jdbc:postgresql:")) {
        problems.add("[store] url: a cluster shares one PostgreSQL store (jdbc:postgresql:…), not a file per node");
      }
    } else if (!nodeId.isEmpty()) {
      problems.add("[cluster] node_id: set only with [cluster] nats_url");
    }

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Config(http, store, sms, smpp, simulator, xmpp, chat, new Config.Log(format, level), List.copyOf(sendsms),
        cluster, login, security);
  }

  private static void readSendsmsUsers(JsonNode node, List<Config.SendsmsUser> out, List<String> problems) {
    if (!node.isArray()) {
      problems.add("[[sendsms_users]]: must be an array of tables");
      return;
    }
    int i = 0;
    for (JsonNode u : node) {
      i++;
      String where = "[[sendsms_users]] #" + i;
      if (!u.isObject()) {
        problems.add(where + ": must be a table");
        continue;
      }
      for (Iterator<String> names = u.fieldNames(); names.hasNext(); ) {
        String n = names.next();
        if (!List.of("username", "password", "allow_ip", "dlr_url_allow").contains(n)) {
          problems.add(where + " " + n + ": unknown key");
        }
      }
      String name = u.path("username").asText("");
      String pass = u.path("password").asText("");
      if (name.isEmpty() && pass.isEmpty()) {
        continue; // the contract's example entry, left empty: no user
      }
      if (name.isEmpty() || pass.isEmpty()) {
        problems.add(where + ": username and password are both required");
        continue;
      }
      List<String> allowIp = strings(u.path("allow_ip"), where + " allow_ip", problems);
      for (String p : allowIp) {
        if (!validCidr(p)) {
          problems.add(where + " allow_ip: \"" + p + "\" is not an address or CIDR");
        }
      }
      List<String> dlrAllow = strings(u.path("dlr_url_allow"), where + " dlr_url_allow", problems);
      for (String p : dlrAllow) {
        if (!p.matches("(?i)https?://[^\\s/]+(/\\S*)?")) {
          problems.add(where + " dlr_url_allow: \"" + p + "\" is not an http(s) URL prefix");
        }
      }
      out.add(new Config.SendsmsUser(name, pass, allowIp, dlrAllow));
    }
  }

  private static List<String> strings(JsonNode node, String where, List<String> problems) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      problems.add(where + ": must be a list of strings");
      return List.of();
    }
    List<String> items = new ArrayList<>();
    node.forEach(x -> items.add(x.asText().strip()));
    return List.copyOf(items);
  }

  private static Optional<Key> find(String section, String name) {
    return KEYS.stream().filter(k -> k.section().equals(section) && k.name().equals(name)).findFirst();
  }

  static boolean validCidr(String s) {
    Matcher m = CIDR.matcher(s.strip());
    if (!m.matches()) {
      return false;
    }
    if (m.group(2) != null) {
      for (int g = 2; g <= 5; g++) {
        if (Integer.parseInt(m.group(g)) > 255) {
          return false;
        }
      }
      if (m.group(6) != null && Integer.parseInt(m.group(6).substring(1)) > 32) {
        return false;
      }
    } else {
      if (!m.group(1).contains(":")) {
        return false;
      }
      if (m.group(6) != null && Integer.parseInt(m.group(6).substring(1)) > 128) {
        return false;
      }
    }
    return true;
  }

  /** "500ms", "30s", "10m", "72h", "2d", or sums such as "1h30m"; also ISO-8601 ("PT30S"). */
  public static Optional<Duration> parseDuration(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    if (t.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    Matcher m = DURATION_PART.matcher(t);
    Duration d = Duration.ZERO;
    int pos = 0;
    while (m.find()) {
      if (m.start() != pos) {
        return Optional.empty();
      }
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      });
      pos = m.end();
    }
    return pos == t.length() && pos > 0 ? Optional.of(d) : Optional.empty();
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  /** Typed access to the merged raw values, recording a problem per bad key. */
  private static final class Values {
    private final Map<String, String> raw;
    private final Map<String, List<String>> lists;
    private final List<String> problems;

    Values(Map<String, String> raw, Map<String, List<String>> lists, List<String> problems) {
      this.raw = raw;
      this.lists = lists;
      this.problems = problems;
    }

    private Key key(String section, String name) {
      return find(section, name).orElseThrow();
    }

    String str(String section, String name) {
      Key k = key(section, name);
      return raw.getOrDefault(k.path(), k.def()).strip();
    }

    List<String> list(String section, String name) {
      Key k = key(section, name);
      return List.copyOf(lists.getOrDefault(k.path(), List.of()));
    }

    int intIn(String section, String name, int min, int max) {
      Key k = key(section, name);
      String s = str(section, name);
      try {
        int n = Integer.parseInt(s);
        if (n < min || n > max) {
          problems.add(k.path() + ": " + n + " is out of range " + min + ".." + max);
          return Integer.parseInt(k.def());
        }
        return n;
      } catch (NumberFormatException e) {
        problems.add(k.path() + ": \"" + s + "\" is not a whole number");
        return Integer.parseInt(k.def());
      }
    }

    /** A duration that may be zero ("0s": off). */
    Duration duration(String section, String name) {
      Key k = key(section, name);
      String s = str(section, name);
      Optional<Duration> d = parseDuration(s);
      if (d.isEmpty() || d.get().isNegative()) {
        problems.add(k.path() + ": \"" + s + "\" is not a duration such as 0s, 30s, 10m or 72h");
        return parseDuration(k.def()).orElseThrow();
      }
      return d.get();
    }

    Duration positiveDuration(String section, String name) {
      Key k = key(section, name);
      String s = str(section, name);
      Optional<Duration> d = parseDuration(s);
      if (d.isEmpty() || d.get().isNegative() || d.get().isZero()) {
        problems.add(k.path() + ": \"" + s + "\" is not a duration such as 30s, 10m or 72h");
        return parseDuration(k.def()).orElseThrow();
      }
      return d.get();
    }

    /** host:port, [v6]:port; port 0 means any free port. */
    String[] listen(String section, String name) {
      Key k = key(section, name);
      String s = str(section, name);
      Matcher m = Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):(\\d{1,5})").matcher(s);
      if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
        problems.add(k.path() + ": \"" + s + "\" must be host:port");
        String[] d = k.def().split(":");
        return new String[] {d[0], d[1]};
      }
      String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
      return new String[] {host, m.group(2)};
    }
  }
}
