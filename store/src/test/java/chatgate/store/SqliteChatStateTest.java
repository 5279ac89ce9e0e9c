package chatgate.store;

import chatgate.core.contract.HistoryContract;
import chatgate.core.contract.ReadMarkersContract;
import chatgate.core.contract.UserTimeZoneContract;
import chatgate.core.port.MessageStore;
import chatgate.core.port.ReadMarkers;
import chatgate.core.port.UserDirectory;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The read-marker, time-zone and history contracts (issue 18) on SQLite: a fresh database file per test. */
class SqliteChatStateTest implements ReadMarkersContract, UserTimeZoneContract, HistoryContract {
  @TempDir
  Path dir;

  JdbcStore store;

  @BeforeEach
  void open() {
    store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("chatgate.db"), "", "");
  }

  @AfterEach
  void close() {
    store.close();
  }

  @org.junit.jupiter.api.Test
  void v13CountsWhatWasStoredBeforeAsRead() throws Exception {
    ReadMarkerMigration.check("jdbc:sqlite:" + dir.resolve("v12.db"), "", "sqlite");
  }

  @Override
  public UserDirectory users() {
    return store.users();
  }

  @Override
  public ReadMarkers markers() {
    return store.readMarkers();
  }

  @Override
  public MessageStore store() {
    return store.messages();
  }
}
