package chatgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The group commit: many callers' writes in one transaction, a failing write isolated to its caller. */
class GroupCommitTest {
  @TempDir
  Path dir;

  Jdbi jdbi;
  GroupCommit writes;

  /** The engine under test; PostgresGroupCommitIT runs the same tests on PostgreSQL. */
  Jdbi engine() {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("gc.db"));
    return Jdbi.create(ds);
  }

  @BeforeEach
  void open() {
    jdbi = engine();
    jdbi.useHandle(h -> h.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)"));
    writes = new GroupCommit(jdbi, "gc-test");
  }

  @AfterEach
  void close() {
    writes.close();
    dropEngine();
  }

  void dropEngine() {}

  @Test
  void concurrentWritesAllCommitAndReturnTheirOwnResults() throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> done = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        int k = i;
        done.add(pool.submit(() -> writes.write(h -> h.createUpdate("INSERT INTO t (k, v) VALUES (:k, 'x')")
            .bind("k", k).execute() * 1000 + k)));
      }
      for (int i = 0; i < done.size(); i++) {
        assertThat(done.get(i).get()).isEqualTo(1000 + i);
      }
    }
    assertThat(count()).isEqualTo(500);
    // Counted for the metrics: every write once, fewer transactions than writes when callers overlap.
    GroupCommit.Stats stats = writes.stats();
    assertThat(stats.writes()).isEqualTo(500);
    assertThat(stats.batches()).isBetween(1L, 499L);
    assertThat(stats.commitNanos()).isPositive().isLessThanOrEqualTo(stats.busyNanos());
  }

  @Test
  void aFailingWriteFailsOnlyItsCallerAndLeavesNoPartialRows() throws Exception {
    writes.write(h -> h.execute("INSERT INTO t (k, v) VALUES (1, 'first')"));
    CountDownLatch hold = new CountDownLatch(1);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      // Block the writer so that the following writes land in one batch together.
      Future<?> blocker = pool.submit(() -> writes.write(h -> {
        await(hold);
        return h.execute("INSERT INTO t (k, v) VALUES (2, 'b')");
      }));
      Thread.sleep(100);
      List<Future<Integer>> good = new ArrayList<>();
      for (int k = 10; k < 20; k++) {
        int key = k;
        good.add(pool.submit(() -> writes.write(h -> h.execute("INSERT INTO t (k, v) VALUES (?, 'ok')", key))));
      }
      // Two statements: the first succeeds, the second breaks the primary key; neither may stay.
      Future<Integer> bad = pool.submit(() -> writes.write(h -> {
        h.execute("INSERT INTO t (k, v) VALUES (99, 'partial')");
        return h.execute("INSERT INTO t (k, v) VALUES (1, 'duplicate')");
      }));
      Thread.sleep(100);
      hold.countDown();
      blocker.get();
      for (Future<Integer> f : good) {
        assertThat(f.get()).isEqualTo(1);
      }
      assertThatThrownBy(bad::get).hasRootCauseMessage(rootMessageOfDuplicate());
    }
    assertThat(count()).isEqualTo(12);
    int partial = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t WHERE k = 99").mapTo(Integer.class).one());
    assertThat(partial).isZero();
    String first = jdbi.withHandle(h -> h.createQuery("SELECT v FROM t WHERE k = 1").mapTo(String.class).one());
    assertThat(first).isEqualTo("first");
  }

  private String rootMessageOfDuplicate() {
    try {
      jdbi.useHandle(h -> h.execute("INSERT INTO t (k, v) VALUES (1, 'again')"));
    } catch (RuntimeException e) {
      Throwable t = e;
      while (t.getCause() != null) {
        t = t.getCause();
      }
      return t.getMessage();
    }
    throw new AssertionError("duplicate key accepted");
  }

  private int count() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t").mapTo(Integer.class).one());
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
