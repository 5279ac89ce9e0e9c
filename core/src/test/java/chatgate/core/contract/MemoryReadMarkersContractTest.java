package chatgate.core.contract;

import chatgate.core.memory.MemoryMessageStore;
import chatgate.core.memory.MemoryReadMarkers;
import chatgate.core.port.MessageStore;
import chatgate.core.port.ReadMarkers;

/** The read-marker contract on the memory reference. */
class MemoryReadMarkersContractTest implements ReadMarkersContract {
  private final MemoryMessageStore store = new MemoryMessageStore();
  private final MemoryReadMarkers markers = new MemoryReadMarkers(store);

  @Override
  public ReadMarkers markers() {
    return markers;
  }

  @Override
  public MessageStore store() {
    return store;
  }
}
