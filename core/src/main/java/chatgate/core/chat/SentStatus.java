package chatgate.core.chat;

import chatgate.core.model.Delivery;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.SentReport;
import chatgate.core.model.SentState;
import chatgate.core.model.Target;
import chatgate.core.port.MessageStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The state of each message a phone sent, as its sender sees it (issue 16, ADR 0021): for the
 * lines of the chat page, the sender's event stream and the {@code STATUS} SMS. It only reads:
 * a state is derived from the deliveries the delivery stage already writes, so showing it costs
 * no write, and a page without script shows the current state on each load.
 */
public final class SentStatus {
  private final MessageStore store;
  private final Function<Msisdn, String> labels;

  /** @param labels the name a phone is shown by (its display name, or the number as dialled) */
  public SentStatus(MessageStore store, Function<Msisdn, String> labels) {
    this.store = store;
    this.labels = labels;
  }

  /** The phone's newest messages, to {@code to} if given, newest first, at most {@code limit}. */
  public List<SentReport> recent(Msisdn sender, Optional<Target> to, int limit) {
    Function<Msisdn, String> once = memo();
    List<SentReport> out = new ArrayList<>();
    for (MessageStore.Outgoing o : store.outgoing(sender, to, limit)) {
      out.add(report(o.message(), o.deliveries(), once));
    }
    return out;
  }

  /** The states of the phone's messages to one partner or group, by message, for a page's lines. */
  public Map<MessageId, SentReport> byMessage(Msisdn sender, Target to, int limit) {
    Map<MessageId, SentReport> out = new LinkedHashMap<>();
    for (SentReport r : recent(sender, Optional.of(to), limit)) {
      out.put(r.messageId(), r);
    }
    return out;
  }

  /** One message with its deliveries as its sender sees it. */
  public SentReport report(Message m, List<Delivery> deliveries) {
    return report(m, deliveries, memo());
  }

  private static SentReport report(Message m, List<Delivery> deliveries, Function<Msisdn, String> label) {
    List<SentReport.Copy> copies = new ArrayList<>(deliveries.size());
    for (Delivery d : deliveries) {
      copies.add(new SentReport.Copy(d.recipient(), label.apply(d.recipient()), SentState.of(d), d.updatedAt()));
    }
    return new SentReport(m.id(), m.target(), m.acceptedAt(), copies);
  }

  /** Labels looked up once per call: a group's members recur on every line. */
  private Function<Msisdn, String> memo() {
    Map<Msisdn, String> seen = new HashMap<>();
    return m -> seen.computeIfAbsent(m, labels);
  }
}
