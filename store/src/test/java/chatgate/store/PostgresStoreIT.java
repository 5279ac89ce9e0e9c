package chatgate.store;

import chatgate.core.contract.AuthStoreContract;
import chatgate.core.contract.GroupDirectoryContract;
import chatgate.core.contract.MessageStoreContract;
import chatgate.core.contract.UserDirectoryContract;
import chatgate.core.port.AuthStore;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.MessageStore;
import chatgate.core.port.UserDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The same store contracts on PostgreSQL (127.0.0.1:5432): each test gets its own throw-away
 * database, dropped afterwards.
 */
class PostgresStoreIT {
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
  void v8KeepsOnlyTheHashesOfReplyTokensStoredBefore() throws Exception {
    String old = DBS.create();
    ReplyHashMigration.check(TestDatabases.url(old), TestDatabases.USER, "postgresql");
  }

  @Nested
  class Users implements UserDirectoryContract {
    @Override
    public UserDirectory users() {
      return store.users();
    }

    @Override
    public GroupDirectory groups() {
      return store.groups();
    }
  }

  @Nested
  class Groups implements GroupDirectoryContract {
    @Override
    public GroupDirectory groups() {
      return store.groups();
    }
  }

  @Nested
  class Messages implements MessageStoreContract {
    @Override
    public MessageStore store() {
      return store.messages();
    }
  }

  @Nested
  class Auth implements AuthStoreContract {
    @Override
    public AuthStore auth() {
      return store.auth();
    }
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

  @Nested
  class MoParts implements chatgate.core.contract.MoPartStoreContract {
    @Override
    public chatgate.core.port.MoPartStore parts() {
      return store.moParts();
    }
  }

  @Nested
  class ImAccountsTest implements chatgate.core.contract.ImAccountsContract {
    @Override
    public chatgate.core.port.ImAccounts accounts() {
      return store.imAccounts();
    }
  }

  @Nested
  class DlrCallbacksTest implements chatgate.core.contract.DlrCallbacksContract {
    @Override
    public chatgate.core.port.DlrCallbacks callbacks() {
      return store.dlrCallbacks();
    }
  }
}
