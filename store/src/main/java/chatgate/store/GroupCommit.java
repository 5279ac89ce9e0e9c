package chatgate.store;

import chatgate.core.model.MaskedFailure;
import chatgate.core.model.Msisdn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer thread that runs the writes of many concurrent callers in one transaction: one
 * commit (and, on SQLite with {@code synchronous=FULL}, one fsync) for a whole batch. A caller
 * returns only after the batch holding its write committed. A write must touch nothing but the
 * handle, so that it can be run again: when one fails, the batch is rolled back and re-run with
 * a savepoint per write, so only the failing caller sees the error.
 */
final class GroupCommit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  private static final int MAX_BATCH = 512;

  private record Task(Function<Handle, Object> work, CompletableFuture<Object> done) {}

  private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(16_384);
  // Written by the writer thread only; read by metrics scrapes and the load harness.
  private final LongAdder writes = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder busyNanos = new LongAdder();
  private final LongAdder commitNanos = new LongAdder();
  private final Jdbi jdbi;
  private final Thread writer;
  private volatile boolean open = true;

  GroupCommit(Jdbi jdbi, String name) {
    this.jdbi = jdbi;
    this.writer = Thread.ofPlatform().name(name).daemon().start(this::loop);
  }

  /** Runs the write in the next batch and waits for that batch's commit. */
  @SuppressWarnings("unchecked")
  <T> T write(Function<Handle, T> work) {
    if (!open) {
      throw new IllegalStateException("store closed");
    }
    CompletableFuture<Object> done = new CompletableFuture<>();
    try {
      queue.put(new Task((Function<Handle, Object>) work, done));
      return (T) done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void loop() {
    List<Task> batch = new ArrayList<>(MAX_BATCH);
    while (open || !queue.isEmpty()) {
      try {
        Task first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        // A connection per batch from the pool: a database restart costs the batches it hits, not the writer.
        long started = System.nanoTime();
        Runnable answer = null;
        try (Handle h = jdbi.open()) {
          answer = runBatch(h, batch);
        } catch (RuntimeException e) {
          if (answer == null) {
            throw e; // the batch did not run: its callers hear of the failure below
          }
          // It ran (committed, or rolled back and answered per write); only giving the connection back failed.
          log.warn("store connection not closed cleanly after a batch: {}", Msisdn.maskAll(e.toString()));
        } finally {
          // Counted before the callers hear back, so a caller that reads the figures sees its own write.
          busyNanos.add(System.nanoTime() - started);
          batches.increment();
          writes.add(batch.size());
        }
        answer.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        if (StoreFailures.connectionLost(e)) {
          log.warn("store write batch failed, database not reachable: {}", Msisdn.maskAll(e.toString()));
        } else {
          log.warn("store write batch failed", MaskedFailure.of(e));
        }
        failAll(batch, e);
      }
      batch.clear();
    }
    Task t;
    while ((t = queue.poll()) != null) {
      t.done().completeExceptionally(new IllegalStateException("store closed"));
    }
  }

  /** Runs the batch and returns how to answer its callers (done after the batch is counted). */
  private Runnable runBatch(Handle h, List<Task> batch) {
    // Fast path: every write of the batch straight into one transaction. Savepoints cost two
    // statements per write, so they are only used to isolate a failure once one has happened.
    Object[] results = new Object[batch.size()];
    try {
      h.begin();
      for (int i = 0; i < batch.size(); i++) {
        results[i] = batch.get(i).work().apply(h);
      }
      commit(h);
    } catch (RuntimeException e) {
      rollbackQuietly(h);
      return runIsolated(h, batch);
    }
    return () -> {
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).done().complete(results[i]);
      }
    };
  }

  /** Slow path after a failure: each write under its own savepoint, so only the failing caller hears of it. */
  private Runnable runIsolated(Handle h, List<Task> batch) {
    Object[] results = new Object[batch.size()];
    RuntimeException[] errors = new RuntimeException[batch.size()];
    try {
      h.begin();
      for (int i = 0; i < batch.size(); i++) {
        // Plain SQL: the same on SQLite and PostgreSQL, and a savepoint rolled back to must still be released.
        h.execute("SAVEPOINT w");
        try {
          results[i] = batch.get(i).work().apply(h);
        } catch (RuntimeException e) {
          h.execute("ROLLBACK TO SAVEPOINT w");
          errors[i] = e;
        }
        h.execute("RELEASE SAVEPOINT w");
      }
      commit(h);
    } catch (RuntimeException e) {
      rollbackQuietly(h);
      return () -> failAll(batch, e);
    }
    return () -> {
      for (int i = 0; i < batch.size(); i++) {
        if (errors[i] != null) {
          batch.get(i).done().completeExceptionally(errors[i]);
        } else {
          batch.get(i).done().complete(results[i]);
        }
      }
    };
  }

  private void commit(Handle h) {
    long started = System.nanoTime();
    try {
      h.commit();
    } finally {
      commitNanos.add(System.nanoTime() - started);
    }
  }

  /**
   * What the writer has done so far: writes, the batches (transactions) they went in, and the time
   * spent on batches and within that on commits. Busy time near the wall clock means the single
   * writer is the limit; writes per batch say how well one commit (one fsync on SQLite) is shared.
   */
  record Stats(long writes, long batches, long busyNanos, long commitNanos) {}

  Stats stats() {
    return new Stats(writes.sum(), batches.sum(), busyNanos.sum(), commitNanos.sum());
  }

  private static void rollbackQuietly(Handle h) {
    try {
      h.rollback();
    } catch (RuntimeException ignored) {
      // the original failure is what the callers need to hear about
    }
  }

  private static void failAll(List<Task> batch, RuntimeException e) {
    for (Task t : batch) {
      t.done().completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    open = false;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
