package chatgate.store;

import chatgate.core.contract.HistoryContract;
import chatgate.core.contract.ReadMarkersContract;
import chatgate.core.contract.UserTimeZoneContract;
import chatgate.core.port.MessageStore;
import chatgate.core.port.ReadMarkers;
import chatgate.core.port.UserDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The read-marker, time-zone and history contracts (issue 18) on PostgreSQL (127.0.0.1:5432), a throw-away database per test. */
class PostgresChatStateIT implements ReadMarkersContract, UserTimeZoneContract, HistoryContract {
  static final TestDatabases DBS = new TestDatabases();
  JdbcStore store;
  String db;

  @BeforeAll
  static void server() {
    DBS.check();
  }

  @AfterAll
  static void cleanup() {
    DBS.dropAll();
  }

  @BeforeEach
  void open() {
    db = DBS.create();
    store = JdbcStore.open(TestDatabases.url(db), TestDatabases.USER, "");
  }

  @AfterEach
  void close() {
    store.close();
    DBS.drop(db);
  }

  @org.junit.jupiter.api.Test
  void v13CountsWhatWasStoredBeforeAsRead() throws Exception {
    ReadMarkerMigration.check(TestDatabases.url(DBS.create()), TestDatabases.USER, "postgresql");
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
