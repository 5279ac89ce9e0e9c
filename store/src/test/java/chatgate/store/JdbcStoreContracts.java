package chatgate.store;

import chatgate.core.contract.StoreContracts;
import chatgate.core.port.AuthStore;
import chatgate.core.port.DlrCallbacks;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.ImAccounts;
import chatgate.core.port.MessageStore;
import chatgate.core.port.MoPartStore;
import chatgate.core.port.ReadMarkers;
import chatgate.core.port.UserDirectory;

/** The store contracts on one {@link JdbcStore}, which each engine's test opens fresh before each test. */
abstract class JdbcStoreContracts extends StoreContracts {
  JdbcStore store;

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

  @Override
  protected ReadMarkers readMarkers() {
    return store.readMarkers();
  }
}
