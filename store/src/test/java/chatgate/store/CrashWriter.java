package chatgate.store;

import chatgate.core.model.Delivery;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child process of {@link StoreCrashIT}: accepts messages from several threads until killed,
 * printing {@code ACK <message id> <delivery id>} only after {@code accept} returned.
 */
public final class CrashWriter {
  public static void main(String[] args) throws Exception {
    JdbcStore store = JdbcStore.open(args[0], "", "");
    AtomicLong ids = new AtomicLong(Long.parseLong(args[1]));
    Msisdn a = Msisdn.of("+8613800000001");
    Msisdn b = Msisdn.of("+8613800000002");
    System.out.println("READY");
    System.out.flush();
    for (int t = 0; t < 16; t++) {
      Thread.ofVirtual().start(() -> {
        while (true) {
          long mid = ids.incrementAndGet();
          long did = ids.incrementAndGet();
          Message m = new Message(new MessageId(mid), Optional.of(a), b, "crash " + mid, Origin.WEB,
              Optional.of("crash:" + mid), false, Instant.now());
          store.messages().accept(m, List.of(Delivery.pending(did, m.id(), b, "t" + did, m.acceptedAt())));
          synchronized (System.out) {
            System.out.println("ACK " + mid + " " + did);
            System.out.flush();
          }
        }
      });
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
