package chatgate.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatgate.core.memory.MemoryMessageStore;
import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.port.MessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delivery states handed in while a store write is under way go together in the next one (ADR 0035). */
class DeliveryWritesTest {
  static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
  final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void close() {
    executor.shutdownNow();
  }

  /** A memory store whose updates can be held, counting how many it was asked for. */
  static final class CountingStore {
    final MemoryMessageStore memory = new MemoryMessageStore();
    final AtomicInteger updates = new AtomicInteger();
    final List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile CountDownLatch hold = new CountDownLatch(0);
    final CountDownLatch firstEntered = new CountDownLatch(1);
    volatile RuntimeException fail;
    final MessageStore store = (MessageStore) java.lang.reflect.Proxy.newProxyInstance(
        MessageStore.class.getClassLoader(), new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("update")) {
            update((Collection<?>) args[0]);
          }
          try {
            return method.invoke(memory, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });

    private void update(Collection<?> deliveries) throws InterruptedException {
      updates.incrementAndGet();
      sizes.add(deliveries.size());
      firstEntered.countDown();
      hold.await(10, TimeUnit.SECONDS);
      if (fail != null) {
        throw fail;
      }
    }

    java.util.Optional<MessageStore.Item> item(long id) {
      return memory.item(id);
    }
  }

  private static List<Delivery> stored(CountingStore store, int n) {
    Message m = new Message(new MessageId(1), Optional.empty(), Msisdn.of("+8613800000001"), "hi", Origin.HTTP_SMS,
        Optional.empty(), false, T);
    List<Delivery> ds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ds.add(Delivery.pending(100 + i, m.id(), Msisdn.of("+86138000001" + String.format("%02d", i)), "h" + i, T));
    }
    store.memory.accept(m, ds);
    return ds;
  }

  @Test
  void statesHandedInDuringWritesGoTogetherInTheNextAndEachCallerReturnsOnceItsOwnIsStored() throws Exception {
    CountingStore store = new CountingStore();
    List<Delivery> ds = stored(store, 22);
    DeliveryWrites writes = new DeliveryWrites(store.store, executor);
    store.hold = new CountDownLatch(1);
    // Two writes under way (held in the store): twenty more states arrive meanwhile.
    CompletableFuture<Void> first = writes.submit(ds.get(0).withState(DeliveryState.SENT, T));
    assertThat(store.firstEntered.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> second = writes.submit(ds.get(1).withState(DeliveryState.SENT, T));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> store.updates.get() == DeliveryWrites.IN_FLIGHT);
    List<CompletableFuture<Void>> rest = new ArrayList<>();
    for (int i = 2; i < ds.size(); i++) {
      rest.add(writes.submit(ds.get(i).withState(DeliveryState.SUBMITTING, T)));
    }
    Thread.sleep(50);
    assertThat(rest).noneMatch(CompletableFuture::isDone); // not durable yet: nobody may go on
    assertThat(store.updates.get()).isEqualTo(DeliveryWrites.IN_FLIGHT);
    store.hold.countDown();
    CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    first.get(5, TimeUnit.SECONDS);
    second.get(5, TimeUnit.SECONDS);
    // The twenty went in one write, or two if both writers came back at once: not twenty.
    assertThat(store.updates.get()).isBetween(DeliveryWrites.IN_FLIGHT + 1, 2 * DeliveryWrites.IN_FLIGHT);
    assertThat(store.sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(22);
    assertThat(store.item(ds.get(21).id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SUBMITTING);
    assertThat(store.item(ds.get(0).id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SENT);
  }

  @Test
  void aFailedWriteIsHeardByEveryCallerInIt() {
    CountingStore store = new CountingStore();
    List<Delivery> ds = stored(store, 1);
    DeliveryWrites writes = new DeliveryWrites(store.store, executor);
    store.fail = new IllegalStateException("store down");
    assertThatThrownBy(() -> writes.write(ds.get(0).withState(DeliveryState.SENT, T)))
        .isInstanceOf(IllegalStateException.class).hasMessage("store down");
    store.fail = null;
    writes.write(ds.get(0).withState(DeliveryState.SENT, T)); // and the next write goes on
    assertThat(store.item(ds.get(0).id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SENT);
  }

  @Test
  void writesStillGoWhenTheExecutorIsClosed() {
    CountingStore store = new CountingStore();
    List<Delivery> ds = stored(store, 1);
    executor.shutdown();
    DeliveryWrites writes = new DeliveryWrites(store.store, executor);
    writes.write(ds.get(0).withState(DeliveryState.SENT, T));
    assertThat(store.item(ds.get(0).id()).orElseThrow().delivery().state()).isEqualTo(DeliveryState.SENT);
  }
}
