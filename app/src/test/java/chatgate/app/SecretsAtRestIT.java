package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, "the data dir and SQLite files are world-readable … the pepper in the same database":
 * the files are the gateway user's alone, and the keys live in the key file, not the store (ADR 0013).
 */
class SecretsAtRestIT {
  @TempDir
  Path dir;

  private Gateway start(Path data, Path keyFile) {
    return Gateway.start(TestConfig.sqlite(data.resolve("chatgate.db")).simulator().set("security", "key_file", keyFile)
        .load());
  }

  private static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void theDataFolderTheDatabaseAndTheKeyFileAreReadableByTheGatewayUserOnly() throws Exception {
    Path data = dir.resolve("data");
    Path key = dir.resolve("keys/chatgate.key");
    Gateway g = start(data, key);
    try {
      new HttpPhone("http://127.0.0.1:" + g.httpPort(), "13800000001").login();
    } finally {
      g.close();
    }
    assertThat(perms(data)).isEqualTo("rwx------");
    assertThat(perms(key)).isEqualTo("rw-------");
    assertThat(perms(key.getParent())).isEqualTo("rwx------");
    try (var files = Files.list(data)) {
      for (Path f : files.toList()) {
        assertThat(perms(f)).as(f.toString()).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void filesLeftWideByAnOlderVersionAreNarrowed() throws Exception {
    Path data = Files.createDirectories(dir.resolve("old"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path db = Files.createFile(data.resolve("chatgate.db"));
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    start(data, data.resolve("chatgate.key")).close();
    assertThat(perms(data)).isEqualTo("rwx------");
    assertThat(perms(db)).isEqualTo("rw-------");
  }

  @Test
  void theStoreHoldsNoKeyAndNoReadableLoginCode() throws Exception {
    Path data = dir.resolve("data");
    Gateway g = start(data, dir.resolve("chatgate.key"));
    try {
      new HttpPhone("http://127.0.0.1:" + g.httpPort(), "13800000001").login();
    } finally {
      g.close();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("chatgate.db"))) {
      List<String> names = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM secrets")) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      assertThat(names).containsExactly("key-check");
      try (ResultSet rs = c.createStatement().executeQuery("SELECT body FROM messages WHERE secret = 1")) {
        while (rs.next()) {
          assertThat(rs.getString(1)).doesNotContainPattern("\\d{6}");
        }
      }
    }
  }

  @Test
  void aNodeWithAnotherKeyFileIsRefusedAtStart() throws Exception {
    Path data = dir.resolve("data");
    start(data, dir.resolve("first.key")).close();
    assertThatThrownBy(() -> start(data, dir.resolve("second.key")))
        .hasMessageContaining("[security] key_file holds another key");
    Files.copy(dir.resolve("first.key"), dir.resolve("copy.key"));
    start(data, dir.resolve("copy.key")).close();
  }

  @Test
  void aKeyFileThatIsNotAKeyStopsStartWithItsName() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.key"), "not base64 at all!\n");
    assertThatThrownBy(() -> start(dir.resolve("data"), bad)).hasMessageContaining("[security] key_file")
        .hasMessageContaining("bad.key");
  }
}
