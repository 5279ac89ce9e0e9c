package chatgate.app.config;

import static chatgate.app.config.ConfigTypes.duration;
import static chatgate.app.config.ConfigTypes.intIn;
import static chatgate.app.config.ConfigTypes.item;
import static chatgate.app.config.ConfigTypes.listen;
import static chatgate.app.config.ConfigTypes.matching;
import static chatgate.app.config.ConfigTypes.oneOf;
import static chatgate.app.config.ConfigTypes.positiveDuration;
import static chatgate.app.config.ConfigTypes.region;
import static chatgate.app.config.ConfigTypes.text;
import static chatgate.app.config.ConfigTypes.zone;

import chatgate.app.config.ConfigTypes.Bad;
import chatgate.app.config.ConfigTypes.HostPort;
import chatgate.app.config.ConfigTypes.Type;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every configuration key: its section, name, type (which parses and validates its value) and
 * default. This table is the one place defaults live; the README's reference is checked against
 * it ({@code ConfigDocTest}).
 */
final class ConfigKeys {
  private ConfigKeys() {}

  /** A key of the table, typed by what its value becomes. */
  record Key<T>(String section, String name, Type<T> type, String def) {
    String path() {
      return "[" + section + "] " + name;
    }

    String env() {
      return ("CHATGATE_" + section + "_" + name).toUpperCase(Locale.ROOT);
    }
  }

  // ---- the keys ----

  static final List<Key<?>> ALL = new ArrayList<>();

  private static <T> Key<T> key(String section, String name, Type<T> type, String def) {
    Key<T> k = new Key<>(section, name, type, def);
    ALL.add(k);
    return k;
  }

  static final Key<HostPort> HTTP_LISTEN = key("http", "listen", listen(), "127.0.0.1:8080");
  static final Key<String> HTTP_PUBLIC_URL = key("http", "public_url",
      matching("|https?://[^\\s/]+(/[^\\s]*)?", "is not an http(s) URL"), "");
  static final Key<String> HTTP_TRUSTED_PROXIES = key("http", "trusted_proxies",
      item(ConfigTypes::validCidr, "is not an address or CIDR"), "");
  static final Key<String> HTTP_MSISDN_HEADER = key("http", "msisdn_header",
      matching("[A-Za-z0-9-]{1,64}", "is not a header name"), "X-MSISDN");
  static final Key<String> HTTP_REAL_IP_FROM = key("http", "real_ip_from",
      item(ConfigTypes::validCidr, "is not an address or CIDR"), "");

  static final Key<String> STORE_URL = key("store", "url",
      matching("jdbc:(sqlite|postgresql):.*", "must start with jdbc:sqlite: or jdbc:postgresql:"),
      "jdbc:sqlite:data/chatgate.db");
  static final Key<String> STORE_USER = key("store", "user", text(), "");
  static final Key<String> STORE_PASSWORD = key("store", "password", text(), "");
  static final Key<String> STORE_SYNC = key("store", "sync", oneOf("full", "normal"), "full");

  static final Key<String> SMS_SERVICE_NUMBER = key("sms", "service_number",
      matching("\\+?[0-9]{3,15}", "must be 3 to 15 digits"), "10658");
  static final Key<String> SMS_DEFAULT_REGION = key("sms", "default_region", raw -> {
    String r = raw.toUpperCase(Locale.ROOT);
    if (!region(r)) {
      throw new Bad("\"" + r + "\" is not a region code such as CN or GB");
    }
    return r;
  }, "CN");
  static final Key<Duration> SMS_RETENTION = key("sms", "retention", positiveDuration(), "72h");
  static final Key<Integer> SMS_MAX_SEGMENTS = key("sms", "max_segments", intIn(1, 10), "4");
  static final Key<String> SMS_ALLOWED_DESTINATIONS = key("sms", "allowed_destinations",
      item(d -> d.equals("*") || d.matches("\\+[0-9]{1,15}") || region(d),
          "must be a region code (CN), a +prefix (+8613) or *"), "");

  static final Key<String> SMPP_HOST = key("smpp", "host", text(), "");
  static final Key<Integer> SMPP_PORT = key("smpp", "port", intIn(1, 65535), "2775");
  static final Key<String> SMPP_SYSTEM_ID = key("smpp", "system_id", text(), "");
  static final Key<String> SMPP_PASSWORD = key("smpp", "password", text(), "");
  static final Key<String> SMPP_SYSTEM_TYPE = key("smpp", "system_type", text(), "");
  static final Key<String> SMPP_BIND = key("smpp", "bind", oneOf("transceiver", "transmitter+receiver"),
      "transceiver");
  static final Key<Integer> SMPP_THROUGHPUT = key("smpp", "throughput", intIn(1, 100_000), "50");
  static final Key<Integer> SMPP_WINDOW = key("smpp", "window", intIn(1, 1000), "10");
  static final Key<Duration> SMPP_ENQUIRE_LINK = key("smpp", "enquire_link", positiveDuration(), "30s");
  static final Key<Duration> SMPP_RECONNECT_DELAY = key("smpp", "reconnect_delay", positiveDuration(), "10s");
  static final Key<String> SMPP_MSG_ID_TYPE = key("smpp", "msg_id_type", oneOf("hex", "dec", "hex-dec", "dec-hex"),
      "hex");
  static final Key<Integer> SMPP_SOURCE_TON = key("smpp", "source_ton", intIn(-1, 255), "-1");
  static final Key<Integer> SMPP_SOURCE_NPI = key("smpp", "source_npi", intIn(-1, 255), "-1");
  static final Key<Integer> SMPP_DEST_TON = key("smpp", "dest_ton", intIn(0, 255), "1");
  static final Key<Integer> SMPP_DEST_NPI = key("smpp", "dest_npi", intIn(0, 255), "1");
  static final Key<Integer> SMPP_IMSI_TLV = key("smpp", "imsi_tlv", intIn(0, 65535), "0");
  static final Key<Duration> SMPP_IN_DOUBT_WAIT = key("smpp", "in_doubt_wait", duration(), "60s");
  static final Key<String> SMPP_SMSC_ID = key("smpp", "smsc_id", text(), "");

  static final Key<HostPort> SIMULATOR_LISTEN = key("simulator", "listen", listen(), "127.0.0.1:2775");
  static final Key<String> SIMULATOR_PASSWORD = key("simulator", "password", text(), "");

  static final Key<String> XMPP_HOST = key("xmpp", "host", text(), "");
  static final Key<Integer> XMPP_PORT = key("xmpp", "port", intIn(1, 65535), "5222");
  static final Key<String> XMPP_DOMAIN = key("xmpp", "domain", text(), "");
  static final Key<String> XMPP_TLS = key("xmpp", "tls", oneOf("required", "opportunistic", "disabled"), "required");
  static final Key<Integer> XMPP_MAX_SESSIONS = key("xmpp", "max_sessions", intIn(1, 1_000_000), "10000");
  static final Key<Integer> XMPP_LOGINS_PER_SECOND = key("xmpp", "logins_per_second", intIn(1, 1_000), "20");
  static final Key<String> XMPP_CA_FILE = key("xmpp", "ca_file", text(), "");
  static final Key<String> XMPP_CERT_PINS = key("xmpp", "cert_pins",
      item(p -> p.matches("sha256/[A-Za-z0-9+/]{43}="), "must be sha256/ and the base64 SHA-256 of the"
          + " certificate's public key (SubjectPublicKeyInfo), as HPKP writes pins"), "");

  static final Key<Duration> CHAT_WAP_IDLE = key("chat", "wap_idle", positiveDuration(), "60s");
  static final Key<Integer> CHAT_MAX_CHARS = key("chat", "max_chars", intIn(1, 100_000), "1000");
  static final Key<Duration> CHAT_ONLINE_IDLE = key("chat", "online_idle", positiveDuration(), "15m");
  static final Key<Duration> CHAT_REFRESH = key("chat", "refresh", positiveDuration(), "20s");
  static final Key<Optional<ZoneId>> CHAT_TIME_ZONE = key("chat", "time_zone", zone(), "");
  static final Key<Duration> CHAT_PUSH_ACK_WAIT = key("chat", "push_ack_wait", positiveDuration(), "10s");
  static final Key<Integer> CHAT_DAILY_MESSAGES = key("chat", "daily_messages", intIn(1, 10_000_000), "1000");
  static final Key<Integer> CHAT_DAILY_SMS_SEGMENTS = key("chat", "daily_sms_segments", intIn(0, 10_000_000), "200");
  static final Key<Integer> CHAT_MESSAGES_PER_MINUTE = key("chat", "messages_per_minute", intIn(1, 100_000), "20");

  static final Key<Integer> LOGIN_CODES_PER_MINUTE = key("login", "codes_per_minute", intIn(1, 1_000_000), "30");
  static final Key<Integer> LOGIN_CODES_PER_BLOCK_PER_HOUR = key("login", "codes_per_block_per_hour",
      intIn(1, 1_000_000), "10");
  static final Key<Integer> LOGIN_DAILY_CODES = key("login", "daily_codes", intIn(1, 100_000_000), "1000");

  static final Key<String> SECURITY_KEY_FILE = key("security", "key_file",
      matching(".*\\S.*", "must name a file (created with a new key if missing)"), "data/chatgate.key");

  static final Key<String> CLUSTER_NATS_URL = key("cluster", "nats_url",
      matching("|(nats|tls)://[^\\s]+", "must look like nats://host:4222"), "");
  static final Key<String> CLUSTER_NODE_ID = key("cluster", "node_id",
      matching("|[A-Za-z0-9_-]{1,32}", "must be 1 to 32 letters, digits, - or _ (each node its own)"), "");
  static final Key<Duration> CLUSTER_CLAIM_HOLD = key("cluster", "claim_hold", positiveDuration(), "30s");
  static final Key<Integer> CLUSTER_SMPP_BINDS = key("cluster", "smpp_binds", intIn(0, 1000), "0");

  static final Key<String> LOG_FORMAT = key("log", "format", oneOf("text", "json"), "text");
  /** Compared in lower case, so "INFO" is "info". */
  static final Key<String> LOG_LEVEL = key("log", "level",
      raw -> oneOf("error", "warn", "info", "debug", "trace").parse(raw.toLowerCase(Locale.ROOT)), "info");

  static Optional<Key<?>> find(String section, String name) {
    return ALL.stream().filter(k -> k.section().equals(section) && k.name().equals(name)).findFirst();
  }

  static boolean section(String section) {
    return ALL.stream().anyMatch(k -> k.section().equals(section));
  }
}
