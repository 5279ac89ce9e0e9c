package chatgate.core.port;

import chatgate.core.model.MessageId;
import java.util.Optional;

/**
 * What a sendsms client asked for one SMS, kept for as long as the SMS may still change state:
 * where to hear of its states (Kannel's dlr-url and dlr-mask) and what a callback and the
 * submit_sm need that the message itself does not hold.
 */
public interface DlrCallbacks {

  /**
   * @param url the dlr-url ("" for none)
   * @param mask the dlr-mask (0 for none)
   * @param sender the client's {@code from}, else the service number ({@code %P})
   * @param deliveryId the SMS's delivery (0 where not known: a callback stored before issue 16)
   * @param clientTo the number as the client wrote it ({@code %p}; "" where not known)
   * @param service the sendsms user ({@code %n})
   * @param mt the client's submit_sm options, {@link SmsPort.MtOptions#encode encoded} ("" for none)
   */
  record Callback(MessageId message, String url, int mask, String sender, long deliveryId, String clientTo,
      String service, String mt) {
    public Callback {
      clientTo = clientTo == null ? "" : clientTo;
      service = service == null ? "" : service;
      mt = mt == null ? "" : mt;
    }

    public Callback(MessageId message, String url, int mask, String sender) {
      this(message, url, mask, sender, 0, "", "", "");
    }

    /** Whether the client asked to hear of any state at all. */
    public boolean wantsDlr() {
      return !url.isEmpty() && mask > 0;
    }
  }

  void save(Callback callback);

  Optional<Callback> find(MessageId message);

  /** The callback of the SMS with this delivery id (one recipient per sendsms message). */
  Optional<Callback> findByDelivery(long deliveryId);
}
