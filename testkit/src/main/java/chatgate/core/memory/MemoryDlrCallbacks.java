package chatgate.core.memory;

import chatgate.core.model.MessageId;
import chatgate.core.port.DlrCallbacks;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** DLR callbacks in memory, for tests. */
public final class MemoryDlrCallbacks implements DlrCallbacks {
  private final Map<MessageId, Callback> all = new ConcurrentHashMap<>();

  @Override
  public void save(Callback callback) {
    all.put(callback.message(), callback);
  }

  @Override
  public Optional<Callback> find(MessageId message) {
    return Optional.ofNullable(all.get(message));
  }

  @Override
  public Optional<Callback> findByDelivery(long deliveryId) {
    return all.values().stream().filter(c -> c.deliveryId() == deliveryId && deliveryId != 0).findFirst();
  }
}
