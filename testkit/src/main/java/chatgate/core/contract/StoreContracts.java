package chatgate.core.contract;

import chatgate.core.port.AuthStore;
import chatgate.core.port.DlrCallbacks;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.ImAccounts;
import chatgate.core.port.MessageStore;
import chatgate.core.port.MoPartStore;
import chatgate.core.port.ReadMarkers;
import chatgate.core.port.UserDirectory;
import org.junit.jupiter.api.Nested;

/**
 * Every store contract, written once and run once per engine (memory, SQLite, PostgreSQL): an
 * engine's test extends this and hands out its ports, fresh for each test (its own
 * {@code @BeforeEach} opens them; JUnit runs it before each nested test too).
 */
public abstract class StoreContracts {
  protected abstract UserDirectory userDirectory();

  protected abstract GroupDirectory groupDirectory();

  protected abstract MessageStore messageStore();

  protected abstract AuthStore authStore();

  protected abstract MoPartStore moPartStore();

  protected abstract ImAccounts imAccounts();

  protected abstract DlrCallbacks dlrCallbacks();

  /** Over {@link #messageStore()}: what each reader has read of it (issue 18). */
  protected abstract ReadMarkers readMarkers();

  @Nested
  class Users implements UserDirectoryContract {
    @Override
    public UserDirectory users() {
      return userDirectory();
    }

    @Override
    public GroupDirectory groups() {
      return groupDirectory();
    }
  }

  @Nested
  class Groups implements GroupDirectoryContract {
    @Override
    public GroupDirectory groups() {
      return groupDirectory();
    }
  }

  @Nested
  class Messages implements MessageStoreContract {
    @Override
    public MessageStore store() {
      return messageStore();
    }
  }

  @Nested
  class Auth implements AuthStoreContract {
    @Override
    public AuthStore auth() {
      return authStore();
    }
  }

  @Nested
  class MoParts implements MoPartStoreContract {
    @Override
    public MoPartStore parts() {
      return moPartStore();
    }
  }

  @Nested
  class ImAccountsTest implements ImAccountsContract {
    @Override
    public ImAccounts accounts() {
      return imAccounts();
    }
  }

  @Nested
  class DlrCallbacksTest implements DlrCallbacksContract {
    @Override
    public DlrCallbacks callbacks() {
      return dlrCallbacks();
    }
  }

  @Nested
  class ReadMarkersTest implements ReadMarkersContract {
    @Override
    public ReadMarkers markers() {
      return readMarkers();
    }

    @Override
    public MessageStore store() {
      return messageStore();
    }
  }

  @Nested
  class UserTimeZones implements UserTimeZoneContract {
    @Override
    public UserDirectory users() {
      return userDirectory();
    }
  }

  @Nested
  class History implements HistoryContract {
    @Override
    public MessageStore store() {
      return messageStore();
    }
  }
}
