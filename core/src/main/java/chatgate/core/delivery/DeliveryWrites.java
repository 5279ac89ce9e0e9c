package chatgate.core.delivery;

import chatgate.core.model.Delivery;
import chatgate.core.port.MessageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delivery stage's writes of delivery states, coalesced (ADR 0035): whatever markers, outcomes
 * and receipts concurrent workers hand in while one store write is under way go together in the
 * next one, so the store commits one write (one statement batch) for many SMS instead of one per
 * SMS per state. Each caller still learns only once its own state is durable, so what it does
 * next (a submit_sm after its marker, the next SMS to the phone after its outcome, the
 * deliver_sm_resp after a receipt) waits for the same durability as before: ADR 0011 is kept.
 */
final class DeliveryWrites {
  /** The most states in one write: one store transaction stays short. */
  static final int MAX_BATCH = 512;

  private record Pending(Delivery delivery, CompletableFuture<Void> done) {}

  private final MessageStore store;
  private final Executor executor;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  /**
   * Writes under way, at most {@link #IN_FLIGHT}: one in the store's transaction being committed,
   * one waiting for the next, so a state never waits for a whole commit before it is even handed
   * on; whatever arrives while both are under way is the next batch.
   */
  private final AtomicInteger writing = new AtomicInteger();
  static final int IN_FLIGHT = 2;

  DeliveryWrites(MessageStore store, Executor executor) {
    this.store = store;
    this.executor = executor;
  }

  /** Writes this state durably and returns once it is (with whatever else was waiting). */
  void write(Delivery d) {
    try {
      submit(d).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /** Writes this state durably; the returned stage completes once it is. */
  CompletableFuture<Void> submit(Delivery d) {
    Pending p = new Pending(d, new CompletableFuture<>());
    queue.add(p);
    startWriter();
    return p.done();
  }

  private void startWriter() {
    int n = writing.get();
    while (n < IN_FLIGHT) {
      if (writing.compareAndSet(n, n + 1)) {
        try {
          executor.execute(this::drain);
        } catch (RuntimeException e) {
          drain(); // closing: write it here
        }
        return;
      }
      n = writing.get();
    }
  }

  private void drain() {
    while (true) {
      List<Pending> batch = new ArrayList<>();
      for (Pending p = batch.size() < MAX_BATCH ? queue.poll() : null; p != null;
          p = batch.size() < MAX_BATCH ? queue.poll() : null) {
        batch.add(p);
      }
      if (!batch.isEmpty()) {
        write(batch);
        continue;
      }
      writing.decrementAndGet();
      // Something added after the last poll but before the count went down must not wait forever.
      if (queue.isEmpty()) {
        return;
      }
      int n = writing.get();
      if (n >= IN_FLIGHT || !writing.compareAndSet(n, n + 1)) {
        return; // another writer has it
      }
    }
  }

  private void write(List<Pending> batch) {
    try {
      store.update(batch.stream().map(Pending::delivery).toList());
      batch.forEach(p -> p.done().complete(null));
    } catch (RuntimeException e) {
      // An update by id fails for the store, not for one row (down, restarting): each caller
      // hears of it, as it did when it wrote alone, and its delivery is found again by the poller.
      batch.forEach(p -> p.done().completeExceptionally(e));
    }
  }
}
