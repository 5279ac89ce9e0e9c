package chatgate.core.memory;

import chatgate.core.contract.PresenceRegistryContract;
import chatgate.core.contract.StoreContracts;
import chatgate.core.port.AuthStore;
import chatgate.core.port.DlrCallbacks;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.ImAccounts;
import chatgate.core.port.MessageStore;
import chatgate.core.port.MoPartStore;
import chatgate.core.port.PresenceRegistry;
import chatgate.core.port.ReadMarkers;
import chatgate.core.port.UserDirectory;
import org.junit.jupiter.api.Nested;

/** The in-memory adapters pass the same contracts as the database ones (a new instance per test). */
class MemoryAdaptersTest extends StoreContracts {
  final MemoryGroupDirectory groups = new MemoryGroupDirectory();
  final MemoryUserDirectory users = new MemoryUserDirectory(groups);
  final MemoryMessageStore messages = new MemoryMessageStore();
  final MemoryAuthStore auth = new MemoryAuthStore();
  final MemoryMoPartStore parts = new MemoryMoPartStore();
  final MemoryImAccounts accounts = new MemoryImAccounts();
  final MemoryDlrCallbacks callbacks = new MemoryDlrCallbacks();
  final MemoryReadMarkers markers = new MemoryReadMarkers(messages);

  @Override
  protected UserDirectory userDirectory() {
    return users;
  }

  @Override
  protected GroupDirectory groupDirectory() {
    return groups;
  }

  @Override
  protected MessageStore messageStore() {
    return messages;
  }

  @Override
  protected AuthStore authStore() {
    return auth;
  }

  @Override
  protected MoPartStore moPartStore() {
    return parts;
  }

  @Override
  protected ImAccounts imAccounts() {
    return accounts;
  }

  @Override
  protected DlrCallbacks dlrCallbacks() {
    return callbacks;
  }

  @Override
  protected ReadMarkers readMarkers() {
    return markers;
  }

  @Nested
  class Presence implements PresenceRegistryContract {
    final LocalPresence presence = new LocalPresence(WAP_IDLE, ONLINE_IDLE);

    @Override
    public PresenceRegistry presence() {
      return presence;
    }
  }
}
