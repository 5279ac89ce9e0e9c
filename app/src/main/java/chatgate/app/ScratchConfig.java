package chatgate.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The config of a gateway run on a throw-away folder (the start-up cache's training run, benches):
 * HTTP and the built-in SMSC on free loopback ports, the SQLite store and the key file inside the
 * folder, so that nothing outside it is read or written.
 */
public final class ScratchConfig {
  private ScratchConfig() {
  }

  /** Writes {@code chatgate.toml} into {@code dir}: the scratch sections, then {@code more} (other sections). */
  public static Path write(Path dir, String more) throws IOException {
    Path config = dir.resolve("chatgate.toml");
    Files.writeString(config, """
        [http]
        listen = "127.0.0.1:0"
        [simulator]
        listen = "127.0.0.1:0"
        [store]
        url = "jdbc:sqlite:%s"
        [security]
        key_file = "%s"
        """.formatted(dir.resolve("data/chatgate.db"), dir.resolve("data/chatgate.key")) + more);
    return config;
  }
}
