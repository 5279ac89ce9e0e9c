package chatgate.cluster;

import chatgate.core.model.GroupId;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.SentReport;
import chatgate.core.model.SentState;
import chatgate.core.model.Target;
import chatgate.core.port.LivePush;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live push across nodes (P2.4): a node that holds a user's open event stream subscribes to
 * {@code chatgate.push.<digits>}; a node delivering to that user pushes to its own streams
 * first and otherwise sends the item as a request on the subject, so no sender looks up where
 * the recipient is. The holder answers only when one of its streams took the item; with no
 * holder NATS says "no responders" at once, and the delivery stage falls back (SMS or keep).
 * States of messages a user sent (issue 16) take the same subject, marked by a header, published
 * with no answer expected.
 */
public final class NatsLivePush implements LivePush, NatsPresence.StreamWatcher {
  private static final Logger log = LoggerFactory.getLogger(NatsLivePush.class);
  static final String SUBJECT = "chatgate.push.";
  private static final byte[] TAKEN = {'1'};
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection nc;
  private final LivePush local;
  private final Duration timeout;
  private final Dispatcher dispatcher;
  private final Map<Msisdn, Subscription> subscriptions = new ConcurrentHashMap<>();

  /** The wire form of a push item: plain fields, no Optional, so any node version reads it. */
  record Wire(long deliveryId, long messageId, String sender, String senderLabel, String group, String body,
      String replyToken, long at, String recipient) {}

  public NatsLivePush(NatsCluster cluster, LivePush local, Duration timeout) {
    this.nc = cluster.connection();
    this.local = local;
    this.timeout = timeout;
    this.dispatcher = nc.createDispatcher();
  }

  @Override
  public boolean push(Msisdn recipient, PushItem item) {
    if (local.push(recipient, item)) {
      return true;
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(new Wire(item.deliveryId(), item.messageId().value(),
          item.sender().map(Msisdn::e164).orElse(null), item.senderLabel(), item.group().map(GroupId::value).orElse(null),
          item.body(), item.replyToken(), item.at().toEpochMilli(), recipient.e164()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    try {
      Message reply = nc.requestWithTimeout(subject(recipient), body, timeout).get(timeout.toMillis() + 500,
          TimeUnit.MILLISECONDS);
      return reply != null && reply.getData() != null && reply.getData().length == 1 && reply.getData()[0] == '1';
    } catch (ExecutionException | TimeoutException | CancellationException e) {
      return false; // nobody holds a stream (no responders) or the holder did not answer in time
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException e) {
      log.debug("live push over NATS to {} failed: {}", recipient.masked(), e.toString());
      return false;
    }
  }

  /** The header that marks a state of a sent message on a push subject (issue 16). */
  static final String KIND = "Chatgate-Kind";
  private static final Headers STATE = new Headers().put(KIND, "state");

  /** The wire form of a sent message's state: plain fields, as {@link Wire}. */
  record StateWire(String sender, long messageId, String target, long acceptedAt, List<CopyWire> copies) {}

  record CopyWire(String recipient, String label, String phase, String reason, long at) {}

  /**
   * A state of a message the sender sent (issue 16): to this node's streams of the sender, else
   * published on the sender's subject for the node that holds them. Nobody answers: a state
   * nobody takes is shown on the page's next load.
   */
  @Override
  public void pushState(Msisdn sender, SentReport report) {
    if (subscriptions.containsKey(sender)) {
      local.pushState(sender, report);
      return;
    }
    try {
      List<CopyWire> copies = report.copies().stream().map(c -> new CopyWire(c.recipient().e164(), c.label(),
          c.state().phase().name(), c.state().reason().name(), c.at().toEpochMilli())).toList();
      nc.publish(subject(sender), STATE, JSON.writeValueAsBytes(new StateWire(sender.e164(),
          report.messageId().value(), report.target().id(), report.acceptedAt().toEpochMilli(), copies)));
    } catch (IOException | RuntimeException e) {
      log.debug("state push over NATS to {} failed: {}", sender.masked(), e.toString());
    }
  }

  private void onState(Message msg) throws IOException {
    StateWire w = JSON.readValue(msg.getData(), StateWire.class);
    List<SentReport.Copy> copies = w.copies().stream().map(c -> new SentReport.Copy(Msisdn.of(c.recipient()), c.label(),
        new SentState(SentState.Phase.valueOf(c.phase()), SentState.Reason.valueOf(c.reason())),
        Instant.ofEpochMilli(c.at()))).toList();
    Target target = w.target().startsWith("+") ? Msisdn.of(w.target()) : GroupId.of(w.target());
    local.pushState(Msisdn.of(w.sender()), new SentReport(new MessageId(w.messageId()), target,
        Instant.ofEpochMilli(w.acceptedAt()), copies));
  }

  private void onRequest(Message msg) {
    try {
      if (msg.hasHeaders() && "state".equals(msg.getHeaders().getFirst(KIND))) {
        onState(msg);
        return;
      }
      Wire w = JSON.readValue(msg.getData(), Wire.class);
      Msisdn to = Msisdn.of(w.recipient());
      PushItem item = new PushItem(w.deliveryId(), new MessageId(w.messageId()),
          Optional.ofNullable(w.sender()).map(Msisdn::of), w.senderLabel(), Optional.ofNullable(w.group()).map(GroupId::new),
          w.body(), w.replyToken(), Instant.ofEpochMilli(w.at()));
      if (local.push(to, item) && msg.getReplyTo() != null) {
        nc.publish(msg.getReplyTo(), TAKEN);
      }
      // Not taken here: stay silent, so a node whose stream did take it is the one that answers.
    } catch (IOException | RuntimeException e) {
      log.warn("live push request on {} unreadable: {}", Msisdn.maskAll(msg.getSubject()), Msisdn.maskAll(e.toString()));
    }
  }

  private static String subject(Msisdn m) {
    return SUBJECT + m.e164().substring(1);
  }

  @Override
  public void firstOpened(Msisdn m) {
    subscriptions.computeIfAbsent(m, k -> dispatcher.subscribe(subject(k), this::onRequest));
  }

  @Override
  public void lastClosed(Msisdn m) {
    Subscription s = subscriptions.remove(m);
    if (s != null) {
      try {
        dispatcher.unsubscribe(s);
      } catch (IllegalStateException closed) {
        // the connection is gone: so is the subscription
      }
    }
  }

  /** Users whose push subject this node listens on (tests). */
  public int subscribed() {
    return subscriptions.size();
  }
}
