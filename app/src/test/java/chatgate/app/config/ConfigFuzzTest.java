package chatgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Configuration is outside input too (issue #6): whatever the file or the environment says, the
 * loader returns a configuration or a {@link ConfigException} naming what is wrong, nothing else.
 */
class ConfigFuzzTest {
  static final List<String> SECTIONS = List.of("http", "store", "sms", "smpp", "simulator", "xmpp", "chat", "log", "x");
  static final List<String> KEYS = List.of("listen", "public_url", "trusted_proxies", "msisdn_header", "url",
      "retention", "max_segments", "port", "throughput", "window", "enquire_link", "msg_id_type", "source_ton",
      "imsi_tlv", "tls", "wap_idle", "max_chars", "refresh", "format", "level", "host", "bind", "nope");

  /** A value in TOML syntax, well-typed or not. */
  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.strings().ofMaxLength(30).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
        Arbitraries.of("\"10s\"", "\"0s\"", "\"-5m\"", "\"1x\"", "\"99999999999h\"", "\"127.0.0.1:0\"", "\":99999\"",
            "\"[::1]:80\"", "\"10.0.0.0/33\"", "[\"10.0.0.0/8\", 5]", "[]", "true", "1.5e308", "{ a = 1 }",
            "\"hex-dec\"", "\"json\"", "\"transmitter\"", "\"jdbc:nope:x\""));
  }

  @Provide
  Arbitrary<String> files() {
    Arbitrary<String> line = Combinators.combine(Arbitraries.of(SECTIONS), Arbitraries.of(KEYS), values())
        .as((s, k, v) -> "[" + s + "]\n" + k + " = " + v + "\n");
    Arbitrary<String> structured = line.list().ofMaxSize(4).map(l -> String.join("", l));
    Arbitrary<String> garbage = Arbitraries.strings().ofMaxLength(200);
    return Arbitraries.oneOf(structured, garbage);
  }

  @Property(tries = 1000)
  void anyFileGivesAConfigOrNamedProblems(@ForAll("files") String toml) {
    try {
      assertThat(new ConfigLoader(Map.of()).parse(toml)).isNotNull();
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).isNotBlank());
    }
  }

  @Property(tries = 500)
  void anyEnvironmentOverrideGivesAConfigOrNamesTheKey(
      @ForAll("sections") String section, @ForAll("keys") String key, @ForAll("rawValues") String value) {
    String variable = ("CHATGATE_" + section + "_" + key).toUpperCase(java.util.Locale.ROOT);
    try {
      assertThat(new ConfigLoader(Map.of(variable, value)).parse("")).isNotNull();
    } catch (ConfigException e) {
      // Named by the variable (unknown ones) or by the key it sets ("[smpp] port: …").
      assertThat(e.problems()).anySatisfy(p -> assertThat(p).containsAnyOf(variable, "[" + section + "] " + key));
    }
  }

  @Provide
  Arbitrary<String> sections() {
    return Arbitraries.of(SECTIONS);
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.of(KEYS);
  }

  @Provide
  Arbitrary<String> rawValues() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
        Arbitraries.of("10s", "-1", "0", "65536", "127.0.0.1:8080", "a,b", "10.0.0.0/8, 1.2.3.4/32", "hex"));
  }
}
