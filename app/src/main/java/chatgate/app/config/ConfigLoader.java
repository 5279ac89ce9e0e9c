package chatgate.app.config;

import chatgate.app.config.ConfigKeys.Key;
import chatgate.app.config.ConfigTypes.Bad;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the TOML configuration in three steps: merge (the file, then {@code CHATGATE_<SECTION>_<KEY>}
 * environment overrides), validate (each key by its type in {@link ConfigKeys}), build (each
 * section by {@link ConfigSections}, which adds the checks that span keys). Unknown keys and bad
 * values are collected and reported together, each naming its key, so an operator fixes them in
 * one pass.
 */
public final class ConfigLoader {
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
    Merged merged = merge(toml, problems);
    Values values = validate(merged, problems);
    Config c = ConfigSections.build(values, merged.sendsms, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return c;
  }

  /** "500ms", "30s", "10m", "72h", "2d", or sums such as "1h30m"; also ISO-8601 ("PT30S"). */
  public static Optional<Duration> parseDuration(String s) {
    return ConfigTypes.parseDuration(s);
  }

  // ---- merge ----

  /** What the file and the environment say, by key, before any value is checked. */
  private record Merged(Map<Key<?>, String> raw, Map<Key<?>, List<String>> lists, List<Config.SendsmsUser> sendsms) {}

  private Merged merge(String toml, List<String> problems) {
    ObjectNode root;
    try {
      JsonNode n = new TomlMapper().readTree(toml);
      root = n instanceof ObjectNode o ? o : new TomlMapper().createObjectNode();
    } catch (IOException e) {
      throw new ConfigException(List.of("not valid TOML: " + firstLine(e.getMessage())));
    }
    Merged m = new Merged(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>());
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> sec = it.next();
      String section = sec.getKey();
      if (section.equals("sendsms_users")) {
        SendsmsUsers.read(sec.getValue(), m.sendsms, problems);
      } else if (!ConfigKeys.section(section)) {
        problems.add("[" + section + "]: unknown section");
      } else if (!sec.getValue().isObject()) {
        problems.add("[" + section + "]: must be a table");
      } else {
        mergeSection(section, sec.getValue(), m, problems);
      }
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith("CHATGATE_")) {
        continue;
      }
      Optional<Key<?>> key = ConfigKeys.ALL.stream().filter(k -> k.env().equals(e.getKey())).findFirst();
      if (key.isEmpty()) {
        problems.add(e.getKey() + ": unknown environment variable");
      } else if (key.get().type().list()) {
        List<String> items = new ArrayList<>();
        for (String s : e.getValue().split(",")) {
          if (!s.isBlank()) {
            items.add(s.strip());
          }
        }
        m.lists.put(key.get(), items);
      } else {
        m.raw.put(key.get(), e.getValue());
      }
    }
    return m;
  }

  private static void mergeSection(String section, JsonNode table, Merged m, List<String> problems) {
    for (Iterator<Map.Entry<String, JsonNode>> kv = table.fields(); kv.hasNext(); ) {
      Map.Entry<String, JsonNode> e = kv.next();
      Optional<Key<?>> key = ConfigKeys.find(section, e.getKey());
      if (key.isEmpty()) {
        problems.add("[" + section + "] " + e.getKey() + ": unknown key");
        continue;
      }
      JsonNode v = e.getValue();
      if (key.get().type().list()) {
        if (!v.isArray()) {
          problems.add(key.get().path() + ": must be a list of strings");
          continue;
        }
        List<String> items = new ArrayList<>();
        v.forEach(x -> items.add(x.asText()));
        m.lists.put(key.get(), items);
      } else if (v.isContainerNode()) {
        problems.add(key.get().path() + ": must be a single value");
      } else {
        m.raw.put(key.get(), v.asText());
      }
    }
  }

  // ---- validate ----

  /** Validated values by key; a key whose value was bad holds its default (its problem is recorded). */
  static final class Values {
    private final Map<Key<?>, Object> values = new HashMap<>();

    @SuppressWarnings("unchecked")
    <T> T get(Key<T> key) {
      return (T) values.get(key);
    }

    @SuppressWarnings("unchecked")
    List<String> list(Key<String> key) {
      return (List<String>) values.get(key);
    }
  }

  private static Values validate(Merged m, List<String> problems) {
    Values v = new Values();
    for (Key<?> k : ConfigKeys.ALL) {
      if (k.type().list()) {
        List<String> items = new ArrayList<>();
        for (String item : m.lists.getOrDefault(k, List.of())) {
          try {
            items.add((String) k.type().parse(item.strip()));
          } catch (Bad e) {
            problems.add(k.path() + ": " + e.getMessage());
          }
        }
        v.values.put(k, List.copyOf(items));
      } else {
        String raw = m.raw.getOrDefault(k, k.def()).strip();
        Object value;
        try {
          value = k.type().parse(raw);
        } catch (Bad e) {
          problems.add(k.path() + ": " + e.getMessage());
          value = defaultOf(k);
        }
        v.values.put(k, value);
      }
    }
    return v;
  }

  private static Object defaultOf(Key<?> k) {
    try {
      return k.type().parse(k.def());
    } catch (Bad e) {
      throw new IllegalStateException("the default of " + k.path() + " is not valid: " + e.getMessage());
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
