package chatgate.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contracts on SQLite: a fresh database file per test. */
class SqliteStoreTest extends JdbcStoreContracts {
  @TempDir
  Path dir;

  @BeforeEach
  void open() {
    store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("sub/chatgate.db"), "", "");
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void v8KeepsOnlyTheHashesOfReplyTokensStoredBefore() throws Exception {
    ReplyHashMigration.check("jdbc:sqlite:" + dir.resolve("v7.db"), "", "sqlite");
  }

  @Test
  void v13CountsWhatWasStoredBeforeAsRead() throws Exception {
    ReadMarkerMigration.check("jdbc:sqlite:" + dir.resolve("v12.db"), "", "sqlite");
  }
}
