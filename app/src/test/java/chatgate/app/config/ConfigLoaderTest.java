package chatgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private static Config parse(String toml) {
    return new ConfigLoader(Map.of()).parse(toml);
  }

  private static ConfigException problems(Map<String, String> env, String toml) {
    try {
      new ConfigLoader(env).parse(toml);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a configuration error");
  }

  @Test
  void noFileIsTheContractsEmbeddedDefaults() {
    Config c = parse("");
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.http().publicUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(c.http().msisdnHeader()).isEqualTo("X-MSISDN");
    assertThat(c.http().trustedProxies()).isEmpty();
    assertThat(c.store().url()).isEqualTo("jdbc:sqlite:data/chatgate.db");
    assertThat(c.sms().serviceNumber()).isEqualTo("10658");
    assertThat(c.sms().defaultRegion()).isEqualTo("CN");
    assertThat(c.sms().retention()).isEqualTo(Duration.ofHours(72));
    assertThat(c.smpp().simulated()).isTrue();
    assertThat(c.smpp().bind()).isEqualTo("transceiver");
    assertThat(c.smpp().throughput()).isEqualTo(50);
    assertThat(c.smpp().window()).isEqualTo(10);
    assertThat(c.smpp().enquireLink()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.smpp().reconnectDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.simulator().port()).isEqualTo(2775);
    assertThat(c.xmpp().host()).isEmpty();
    assertThat(c.xmpp().tls()).isEqualTo("required");
    assertThat(c.chat().wapIdle()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.chat().maxChars()).isEqualTo(1000);
    assertThat(c.sendsmsUsers()).isEmpty();
  }

  @Test
  void theContractsExampleFileParses() {
    Config c = parse("""
        [http]
        listen = "127.0.0.1:8080"
        public_url = "http://127.0.0.1:8080"   # base of reply links sent by SMS
        trusted_proxies = []
        msisdn_header = "X-MSISDN"
        [store]
        url = "jdbc:sqlite:data/chatgate.db"
        user = ""
        password = ""
        [sms]
        service_number = "10658"
        default_region = "CN"
        retention = "72h"
        [smpp]
        host = ""
        port = 2775
        system_id = ""
        password = ""
        system_type = ""
        bind = "transceiver"
        throughput = 50
        window = 10
        enquire_link = "30s"
        reconnect_delay = "10s"
        [simulator]
        listen = "127.0.0.1:2775"
        [xmpp]
        host = ""
        port = 5222
        domain = ""
        tls = "required"
        [chat]
        wap_idle = "60s"
        max_chars = 1000
        [[sendsms_users]]
        username = ""
        password = ""
        """);
    assertThat(c.smpp().simulated()).isTrue();
    assertThat(c.sendsmsUsers()).isEmpty();
  }

  @Test
  void theExampleProductionConfigInDeployIsValid() {
    Config c = new ConfigLoader(Map.of("CHATGATE_SMPP_PASSWORD", "from-env"))
        .load(java.util.Optional.of(java.nio.file.Path.of("..", "deploy", "chatgate.production.toml")));
    assertThat(c.store().url()).startsWith("jdbc:postgresql:");
    assertThat(c.smpp().simulated()).isFalse();
    assertThat(c.smpp().password()).isEqualTo("from-env");
    assertThat(c.smpp().msgIdType()).isEqualTo("hex-dec");
    assertThat(c.xmpp().host()).isEqualTo("xmpp.example.org");
    assertThat(c.log().format()).isEqualTo("json");
  }

  @Test
  void valuesAndEnvironmentOverrides() {
    Config c = new ConfigLoader(Map.of(
        "CHATGATE_HTTP_LISTEN", "0.0.0.0:9090",
        "CHATGATE_HTTP_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1",
        "CHATGATE_SMPP_PASSWORD", "secret",
        "PATH", "/usr/bin")).parse("""
        [http]
        public_url = "https://chat.example.org/"
        [smpp]
        host = "smsc.example.org"
        system_id = "chatgate"
        bind = "transmitter+receiver"
        [[sendsms_users]]
        username = "rapidpro"
        password = "pw"
        """);
    assertThat(c.http().host()).isEqualTo("0.0.0.0");
    assertThat(c.http().port()).isEqualTo(9090);
    assertThat(c.http().publicUrl()).isEqualTo("https://chat.example.org");
    assertThat(c.http().trustedProxies()).containsExactly("10.0.0.0/8", "192.168.1.1");
    assertThat(c.smpp().password()).isEqualTo("secret");
    assertThat(c.smpp().toString()).doesNotContain("secret");
    assertThat(c.smpp().simulated()).isFalse();
    assertThat(c.sendsmsUsers()).extracting(Config.SendsmsUser::username).containsExactly("rapidpro");
    assertThat(c.sendsmsUsers().toString()).doesNotContain("pw");
  }

  @Test
  void storeSyncIsFullUnlessSetAndOnlyFullOrNormal() {
    assertThat(parse("").store().sync()).isEqualTo("full");
    assertThat(parse("[store]\nsync = \"normal\"").store().sync()).isEqualTo("normal");
    assertThat(new ConfigLoader(Map.of("CHATGATE_STORE_SYNC", "normal")).parse("").store().sync()).isEqualTo("normal");
    assertThat(problems(Map.of(), "[store]\nsync = \"off\"").problems())
        .containsExactly("[store] sync: \"off\" must be full or normal");
  }

  @Test
  void publicUrlFollowsTheListenAddressWhenNotSet() {
    assertThat(parse("[http]\nlisten = \"192.168.0.5:8181\"").http().publicUrl()).isEqualTo("http://192.168.0.5:8181");
  }

  @Test
  void unknownKeysAndBadValuesEachNameTheirKey() {
    ConfigException e = problems(Map.of("CHATGATE_CHAT_WAPIDLE", "1s"), """
        [http]
        listen = "nowhere"
        trusted_proxies = ["10.0.0.0/99", "fe80::/64"]
        [chat]
        wap_idle = "soon"
        max_chars = -3
        colour = "blue"
        [smpp]
        host = "smsc"
        bind = "both"
        [wat]
        x = 1
        """);
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "[http] listen: \"nowhere\" must be host:port",
        "[http] trusted_proxies: \"10.0.0.0/99\" is not an address or CIDR",
        "[chat] wap_idle: \"soon\" is not a duration such as 30s, 10m or 72h",
        "[chat] max_chars: -3 is out of range 1..100000",
        "[chat] colour: unknown key",
        "[smpp] bind: \"both\" must be transceiver or transmitter+receiver",
        "[smpp] system_id: required when [smpp] host is set",
        "[wat]: unknown section",
        "CHATGATE_CHAT_WAPIDLE: unknown environment variable");
    assertThat(e.getMessage()).startsWith("configuration errors:");
  }

  @Test
  void brokenTomlIsReported() {
    assertThatThrownBy(() -> parse("[http\nlisten=")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid TOML");
  }

  @Test
  void durations() {
    assertThat(ConfigLoader.parseDuration("500ms")).contains(Duration.ofMillis(500));
    assertThat(ConfigLoader.parseDuration("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(ConfigLoader.parseDuration("2d")).contains(Duration.ofDays(2));
    assertThat(ConfigLoader.parseDuration("PT30S")).contains(Duration.ofSeconds(30));
    assertThat(ConfigLoader.parseDuration("30")).isEmpty();
    assertThat(ConfigLoader.parseDuration("s")).isEmpty();
    assertThat(ConfigLoader.parseDuration("3x")).isEmpty();
  }

  @Test
  void refreshMustBeShorterThanWapIdle() {
    assertThat(problems(Map.of(), "[chat]\nwap_idle = \"10s\"\nrefresh = \"20s\"").problems())
        .anySatisfy(p -> assertThat(p).startsWith("[chat] refresh:"));
  }

  @Test
  void withoutAClusterSectionANodeRunsAlone() {
    assertThat(parse("").cluster().enabled()).isFalse();
  }

  @Test
  void aClusterNodeNamesNatsItsIdAndASharedPostgresStore() {
    Config c = parse("""
        [store]
        url = "jdbc:postgresql://db/chatgate"
        [cluster]
        nats_url = "nats://127.0.0.1:4222"
        node_id = "gw-2"
        claim_hold = "45s"
        """);
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.cluster().nodeId()).isEqualTo("gw-2");
    assertThat(c.cluster().claimHold()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void aClusterOnAFileStoreOrWithoutANodeIdIsRefusedWithTheReason() {
    ConfigException e = problems(Map.of(), """
        [cluster]
        nats_url = "nats://127.0.0.1:4222"
        node_id = "bad id!"
        """);
    assertThat(e.problems()).anyMatch(p -> p.startsWith("[cluster] node_id:"))
        .anyMatch(p -> p.startsWith("[store] url: a cluster shares one PostgreSQL store"));
    assertThat(problems(Map.of(), "[cluster]\nnode_id = \"a\"\n").problems())
        .anyMatch(p -> p.startsWith("[cluster] node_id: set only with [cluster] nats_url"));
  }
}
