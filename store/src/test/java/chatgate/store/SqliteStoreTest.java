package chatgate.store;

import chatgate.core.contract.StoreContracts;
import chatgate.core.port.AuthStore;
import chatgate.core.port.DlrCallbacks;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.ImAccounts;
import chatgate.core.port.MessageStore;
import chatgate.core.port.MoPartStore;
import chatgate.core.port.UserDirectory;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contracts on SQLite: a fresh database file per test. */
class SqliteStoreTest extends StoreContracts {
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

  @Test
  void v8KeepsOnlyTheHashesOfReplyTokensStoredBefore() throws Exception {
    ReplyHashMigration.check("jdbc:sqlite:" + dir.resolve("v7.db"), "", "sqlite");
  }

  @Override
  protected UserDirectory userDirectory() {
    return store.users();
  }

  @Override
  protected GroupDirectory groupDirectory() {
    return store.groups();
  }

  @Override
  protected MessageStore messageStore() {
    return store.messages();
  }

  @Override
  protected AuthStore authStore() {
    return store.auth();
  }

  @Override
  protected MoPartStore moPartStore() {
    return store.moParts();
  }

  @Override
  protected ImAccounts imAccounts() {
    return store.imAccounts();
  }

  @Override
  protected DlrCallbacks dlrCallbacks() {
    return store.dlrCallbacks();
  }
}
