package chatgate.store;

import chatgate.core.contract.AuthStoreContract;
import chatgate.core.contract.GroupDirectoryContract;
import chatgate.core.contract.MessageStoreContract;
import chatgate.core.contract.UserDirectoryContract;
import chatgate.core.port.AuthStore;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.MessageStore;
import chatgate.core.port.UserDirectory;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The store contracts on SQLite: a fresh database file per test. */
class SqliteStoreTest {
  @TempDir
  Path dir;

  JdbcStore store;

  @BeforeEach
  void open() {
    store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("sub/chatgate.db"), "", "");
  }

  @AfterEach
  void close() {
    store.close();
  }

  @org.junit.jupiter.api.Test
  void v8KeepsOnlyTheHashesOfReplyTokensStoredBefore() throws Exception {
    ReplyHashMigration.check("jdbc:sqlite:" + dir.resolve("v7.db"), "", "sqlite");
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
