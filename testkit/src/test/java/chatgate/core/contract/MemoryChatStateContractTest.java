package chatgate.core.contract;

import chatgate.core.memory.MemoryGroupDirectory;
import chatgate.core.memory.MemoryMessageStore;
import chatgate.core.memory.MemoryReadMarkers;
import chatgate.core.memory.MemoryUserDirectory;
import chatgate.core.port.MessageStore;
import chatgate.core.port.ReadMarkers;
import chatgate.core.port.UserDirectory;

/** The read-marker, time-zone and history contracts (issue 18) on the memory reference. */
class MemoryChatStateContractTest implements ReadMarkersContract, UserTimeZoneContract, HistoryContract {
  private final MemoryMessageStore store = new MemoryMessageStore();
  private final MemoryReadMarkers markers = new MemoryReadMarkers(store);

  private final MemoryUserDirectory users = new MemoryUserDirectory(new MemoryGroupDirectory());

  @Override
  public UserDirectory users() {
    return users;
  }

  @Override
  public ReadMarkers markers() {
    return markers;
  }

  @Override
  public MessageStore store() {
    return store;
  }
}
