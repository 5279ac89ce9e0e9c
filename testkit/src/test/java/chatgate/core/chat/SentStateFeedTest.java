package chatgate.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.memory.MemoryMessageStore;
import chatgate.core.model.Delivery;
import chatgate.core.model.Message;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.SentState.Phase;
import chatgate.core.port.MessageStore;
import chatgate.core.port.SmsInbound.DeliveryReport;
import chatgate.core.testing.CoreFixture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the sender's view of each state (issue 16) costs no read of the message for an SMS
 * from the gateway itself (a sendsms MT), and the sender watching still sees every state.
 */
class SentStateFeedTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  final AtomicInteger messageReads = new AtomicInteger();
  final CoreFixture f = new CoreFixture(counting(new MemoryMessageStore())).started();

  private MessageStore counting(MessageStore inner) {
    return (MessageStore) Proxy.newProxyInstance(MessageStore.class.getClassLoader(), new Class<?>[] {MessageStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("message")) {
            messageReads.incrementAndGet();
          }
          try {
            return method.invoke(inner, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @AfterEach
  void close() {
    f.close();
  }

  private void receipt(SendResult.Sent s) {
    String smscId = f.store.item(s.deliveries().getFirst().id()).orElseThrow().delivery().smscIds().orElseThrow();
    f.stage.onDeliveryReport(new DeliveryReport(smscId, true, "DELIVRD", f.clock.instant()));
  }

  @Test
  @DisplayName("issue 17: an MT from the gateway itself is sent and delivered without one read of its message")
  void anMtWithoutSenderCostsNoRead() {
    SendResult.Sent s = (SendResult.Sent) f.chat.plainSms(Msisdn.of("+8613900000001"), "hello", null,
        (Message m, List<Delivery> ds) -> {});
    f.settle();
    receipt(s);
    assertThat(f.store.item(s.deliveries().getFirst().id()).orElseThrow().delivery().state().name())
        .isEqualTo("DELIVERED");
    assertThat(messageReads).hasValue(0);
  }

  @Test
  @DisplayName("issue 17: a sender watching sees SENT, then DELIVERED from the receipt, with at most one read")
  void aWatchingSenderStillSeesEachState() {
    f.presence.streamOpened(A, f.clock.instant());
    f.live.open(A);
    SendResult.Sent s = (SendResult.Sent) f.chat.send(A, "13800000002", "follow me", Origin.WEB, null);
    f.settle();
    receipt(s);
    assertThat(f.live.statesTo(A)).extracting(r -> r.overall().phase()).containsExactly(Phase.SENT, Phase.DELIVERED);
    assertThat(messageReads.get()).isLessThanOrEqualTo(1);
  }
}
