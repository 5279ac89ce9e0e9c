package chatgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Defaults live in one place, the key table (issue 19): the README's configuration reference
 * names every key and gives the same default.
 */
class ConfigDocTest {
  private static final Pattern ROW = Pattern.compile("^\\| (`\\[[a-z_]+\\] [^|]*)\\| ([^|]*) \\|");
  private static final Pattern NAME = Pattern.compile("`(?:\\[([a-z_]+)\\] )?([a-z_]+)`");
  /** Defaults the README says in words, not as a literal. */
  private static final Map<String, String> IN_WORDS = Map.of("empty", "", "auto", "-1", "from `listen`", "",
      "`[default_region]`", "", "`[]`", "");

  @Test
  void theReadmeGivesEveryKeyWithTheTablesDefault() throws Exception {
    Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : Files.readAllLines(readme)) {
      Matcher row = ROW.matcher(line);
      if (!row.find()) {
        continue;
      }
      String[] defaults = row.group(2).strip().split(", ");
      Matcher name = NAME.matcher(row.group(1));
      String section = null;
      int i = 0;
      while (name.find()) {
        section = name.group(1) != null ? name.group(1) : section;
        String def = defaults[Math.min(i++, defaults.length - 1)].strip();
        documented.put("[" + section + "] " + name.group(2), IN_WORDS.getOrDefault(def, def.replace("`", "")));
      }
    }
    for (ConfigKeys.Key<?> k : ConfigKeys.ALL) {
      assertThat(documented).as("README row for " + k.path()).containsKey(k.path());
      assertThat(documented.get(k.path())).as("README default of " + k.path()).isEqualTo(k.def());
    }
  }
}
