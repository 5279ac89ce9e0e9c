package chatgate.store;

import chatgate.core.contract.AuthStoreContract;
import chatgate.core.port.AuthStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The same store contracts on PostgreSQL (127.0.0.1:5432): each test gets its own throw-away
 * database, dropped afterwards.
 */
class PostgresStoreIT extends JdbcStoreContracts {
  static final TestDatabases DBS = new TestDatabases();
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

  @Test
  void v8KeepsOnlyTheHashesOfReplyTokensStoredBefore() throws Exception {
    String old = DBS.create();
    ReplyHashMigration.check(TestDatabases.url(old), TestDatabases.USER, "postgresql");
  }

  @Test
  void v13CountsWhatWasStoredBeforeAsRead() throws Exception {
    ReadMarkerMigration.check(TestDatabases.url(DBS.create()), TestDatabases.USER, "postgresql");
  }

  /**
   * The auth contract with two nodes on one database, each call going to one or the other: the
   * limits' takes are atomic across nodes, not only within one node's writer.
   */
  @Nested
  class AuthOnTwoNodes implements AuthStoreContract {
    JdbcStore other;
    AuthStore both;

    @BeforeEach
    void second() {
      other = JdbcStore.open(TestDatabases.url(db), TestDatabases.USER, "");
      AuthStore[] nodes = {store.auth(), other.auth()};
      both = (AuthStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {AuthStore.class}, (proxy, method, args) -> {
            try {
              return method.invoke(nodes[java.util.concurrent.ThreadLocalRandom.current().nextInt(2)], args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    @AfterEach
    void closeSecond() {
      other.close();
    }

    @Override
    public AuthStore auth() {
      return both;
    }
  }
}
