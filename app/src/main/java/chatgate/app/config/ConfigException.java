package chatgate.app.config;

import java.util.List;

/** The configuration is wrong; the message names every bad key. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("configuration error" + (problems.size() > 1 ? "s" : "") + ":\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
