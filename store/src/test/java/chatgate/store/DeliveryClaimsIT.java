package chatgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Delivery;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.port.MessageStore;
import chatgate.core.port.MessageStore.Item;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries shared by several nodes on one PostgreSQL store (issue 7, ADR 0010): each due
 * delivery is claimed by one node at a time, a dead node's claims are taken over when they run
 * out, and a node whose claim was taken over may no longer send.
 */
class DeliveryClaimsIT {
  static final TestDatabases DBS = new TestDatabases();
  static final Duration HOLD = Duration.ofSeconds(30);
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  static final Msisdn BOB = Msisdn.of("+8613800000002");
  String db;
  JdbcStore nodeA;
  JdbcStore nodeB;

  @BeforeAll
  static void server() {
    DBS.check();
  }

  @AfterAll
  static void cleanup() {
    DBS.dropAll();
  }

  @BeforeEach
  void open() {
    db = DBS.create();
    nodeA = JdbcStore.open(TestDatabases.url(db), TestDatabases.USER, "").shareDeliveries("a", HOLD);
    nodeB = JdbcStore.open(TestDatabases.url(db), TestDatabases.USER, "").shareDeliveries("b", HOLD);
  }

  @AfterEach
  void close() {
    nodeA.close();
    nodeB.close();
    DBS.drop(db);
  }

  private static long seq = 1_000;

  private static long accept(MessageStore store, Instant at) {
    long id = ++seq;
    Message m = new Message(new MessageId(id), Optional.of(Msisdn.of("+8613800000001")), BOB, "hi " + id, Origin.WEB,
        Optional.empty(), false, at);
    Delivery d = Delivery.pending(id * 10, new MessageId(id), BOB, "tok" + id, at);
    store.accept(m, List.of(d));
    return d.id();
  }

  private static Set<Long> ids(List<Item> items) {
    Set<Long> s = new HashSet<>();
    items.forEach(i -> s.add(i.delivery().id()));
    return s;
  }

  @Test
  void theAcceptingNodeHoldsItsDeliveriesUntilItsClaimRunsOut() {
    long d = accept(nodeA.messages(), T0);
    assertThat(ids(nodeB.messages().due(T0.plusSeconds(1), 100))).isEmpty();
    assertThat(ids(nodeA.messages().due(T0.plusSeconds(1), 100))).containsExactly(d);
    assertThat(nodeA.messages().holdForSend(d, T0.plusSeconds(2))).isTrue();
    // a dies: nothing renews its claim; b takes the delivery over once it runs out.
    Instant later = T0.plusSeconds(2).plus(HOLD).plusSeconds(1);
    assertThat(ids(nodeB.messages().due(later, 100))).containsExactly(d);
    assertThat(ids(nodeA.messages().due(later, 100))).isEmpty();
    // a comes back from a long pause: fenced out, it must not send what b now holds.
    assertThat(nodeA.messages().holdForSend(d, later)).isFalse();
    assertThat(nodeB.messages().holdForSend(d, later)).isTrue();
  }

  @Test
  void holdingForSendKeepsOthersOffWhileTheSubmitIsOut() {
    long d = accept(nodeA.messages(), T0);
    assertThat(nodeA.messages().holdForSend(d, T0.plus(HOLD).minusSeconds(1))).isTrue();
    assertThat(ids(nodeB.messages().due(T0.plus(HOLD).plusSeconds(1), 100))).isEmpty();
  }

  @Test
  void nodesPollingTogetherNeverGetTheSameDelivery() throws Exception {
    // 600 deliveries left by a node that died: claims long run out.
    JdbcStore dead = JdbcStore.open(TestDatabases.url(db), TestDatabases.USER, "").shareDeliveries("dead", HOLD);
    Set<Long> all = new HashSet<>();
    for (int i = 0; i < 600; i++) {
      all.add(accept(dead.messages(), T0));
    }
    dead.close();
    Instant now = T0.plus(HOLD).plusSeconds(5);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<Set<Long>>> polls = new ArrayList<>();
      for (JdbcStore node : List.of(nodeA, nodeB)) {
        polls.add(() -> {
          // Like the delivery stage: take a batch, finish it, take the next, until nothing is left.
          Set<Long> got = new HashSet<>();
          List<Item> batch;
          while (!(batch = node.messages().due(now, 50)).isEmpty()) {
            got.addAll(ids(batch));
            node.messages().update(batch.stream()
                .map(i -> i.delivery().withState(chatgate.core.model.DeliveryState.SENT, now)).toList());
          }
          return got;
        });
      }
      List<Future<Set<Long>>> done = pool.invokeAll(polls);
      Set<Long> a = done.get(0).get();
      Set<Long> b = done.get(1).get();
      assertThat(a).doesNotContainAnyElementsOf(b);
      assertThat(a.size() + b.size()).isEqualTo(600);
      Set<Long> union = new HashSet<>(a);
      union.addAll(b);
      assertThat(union).isEqualTo(all);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSingleNodeStoreNeedsNoClaims() {
    JdbcStore single = JdbcStore.open(TestDatabases.url(db), TestDatabases.USER, "");
    try {
      long d = accept(single.messages(), T0);
      assertThat(ids(single.messages().due(T0, 100))).containsExactly(d);
      assertThat(single.messages().holdForSend(d, T0)).isTrue();
    } finally {
      single.close();
    }
  }
}
