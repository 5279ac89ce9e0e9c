package chatgate.core.memory;

import chatgate.core.contract.AuthStoreContract;
import chatgate.core.contract.GroupDirectoryContract;
import chatgate.core.contract.MessageStoreContract;
import chatgate.core.contract.PresenceRegistryContract;
import chatgate.core.contract.UserDirectoryContract;
import chatgate.core.port.AuthStore;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.MessageStore;
import chatgate.core.port.PresenceRegistry;
import chatgate.core.port.UserDirectory;
import org.junit.jupiter.api.Nested;

/** The in-memory adapters pass the same contracts as the database ones. */
class MemoryAdaptersTest {
  @Nested
  class Users implements UserDirectoryContract {
    final MemoryGroupDirectory groups = new MemoryGroupDirectory();
    final MemoryUserDirectory users = new MemoryUserDirectory(groups);

    @Override
    public UserDirectory users() {
      return users;
    }

    @Override
    public GroupDirectory groups() {
      return groups;
    }
  }

  @Nested
  class Groups implements GroupDirectoryContract {
    final MemoryGroupDirectory groups = new MemoryGroupDirectory();

    @Override
    public GroupDirectory groups() {
      return groups;
    }
  }

  @Nested
  class Messages implements MessageStoreContract {
    final MemoryMessageStore store = new MemoryMessageStore();

    @Override
    public MessageStore store() {
      return store;
    }
  }

  @Nested
  class Auth implements AuthStoreContract {
    final MemoryAuthStore auth = new MemoryAuthStore();

    @Override
    public AuthStore auth() {
      return auth;
    }
  }

  @Nested
  class Presence implements PresenceRegistryContract {
    final LocalPresence presence = new LocalPresence(WAP_IDLE, ONLINE_IDLE);

    @Override
    public PresenceRegistry presence() {
      return presence;
    }
  }

  @Nested
  class MoParts implements chatgate.core.contract.MoPartStoreContract {
    final MemoryMoPartStore parts = new MemoryMoPartStore();

    @Override
    public chatgate.core.port.MoPartStore parts() {
      return parts;
    }
  }

  @Nested
  class ImAccountsTest implements chatgate.core.contract.ImAccountsContract {
    final MemoryImAccounts accounts = new MemoryImAccounts();

    @Override
    public chatgate.core.port.ImAccounts accounts() {
      return accounts;
    }
  }

  @Nested
  class DlrCallbacksTest implements chatgate.core.contract.DlrCallbacksContract {
    final MemoryDlrCallbacks callbacks = new MemoryDlrCallbacks();

    @Override
    public chatgate.core.port.DlrCallbacks callbacks() {
      return callbacks;
    }
  }
}
