package chatgate.core.port;

import chatgate.core.model.MessageId;
import java.util.Optional;

/** Where a sendsms client wants to hear of its message's states (Kannel's dlr-url and dlr-mask). */
public interface DlrCallbacks {

  record Callback(MessageId message, String url, int mask, String sender) {}

  void save(Callback callback);

  Optional<Callback> find(MessageId message);
}
