package chatgate.app;

import chatgate.core.auth.Keys;
import chatgate.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's secret key, in a file of its own ({@code [security] key_file}, 0600) rather than in
 * the database, so that a copy of the database alone opens nothing (ADR 0013). A missing file is
 * created with a new random key; every node of a cluster must be given the same file.
 */
final class KeyFile {
  private static final Logger log = LoggerFactory.getLogger(KeyFile.class);

  private KeyFile() {}

  /** The key in the file, creating the file with a new key when there is none. */
  static Keys load(Path file) {
    Path f = file.toAbsolutePath();
    try {
      if (!Files.exists(f)) {
        create(f);
      } else {
        PrivateFiles.narrowIfPresent(f);
      }
      String text = Files.readString(f, StandardCharsets.US_ASCII).strip();
      byte[] key;
      try {
        key = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("[security] key_file " + f + ": not a base64 key");
      }
      if (key.length < 16) {
        throw new IllegalStateException("[security] key_file " + f + ": the key must hold at least 16 bytes");
      }
      return Keys.of(key);
    } catch (IOException e) {
      throw new UncheckedIOException("[security] key_file " + f + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a new key beside the file, then links it in place: link() fails if the file exists, so
   * two processes starting at once (nodes sharing a folder) end with one key, never a mix or a
   * half-written file.
   */
  private static void create(Path f) throws IOException {
    Path tmp = f.resolveSibling(f.getFileName() + "." + ProcessHandle.current().pid() + ".new");
    PrivateFiles.file(tmp);
    try {
      Files.writeString(tmp, Base64.getEncoder().encodeToString(Keys.newKey()) + "\n", StandardCharsets.US_ASCII,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
      Files.createLink(f, tmp);
      log.info("created a new secret key in {} (keep it with the database; every node needs the same)", f);
    } catch (FileAlreadyExistsException e) {
      // Another process made it first: use theirs.
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
