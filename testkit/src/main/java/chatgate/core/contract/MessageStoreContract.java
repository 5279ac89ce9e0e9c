package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.GroupId;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.Route;
import chatgate.core.model.Target;
import chatgate.core.port.MessageStore;
import chatgate.core.port.MessageStore.Item;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What every {@link MessageStore} does. Times are whole milliseconds, as stores keep them. */
public interface MessageStoreContract {
  MessageStore store();

  Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  Msisdn A = Msisdn.of("+8613800000001");
  Msisdn B = Msisdn.of("+8613800000002");
  Msisdn C = Msisdn.of("+8613800000003");
  GroupId FAMILY = GroupId.of("family");
  AtomicLong IDS = new AtomicLong(1_000);

  private static long id() {
    return IDS.incrementAndGet();
  }

  private static Message msg(Msisdn from, Target to, String body, Instant at, String ref) {
    return new Message(new MessageId(id()), Optional.ofNullable(from), to, body, Origin.WEB, Optional.ofNullable(ref),
        false, at);
  }

  private static Delivery pending(Message m, Msisdn to) {
    return Delivery.pending(id(), m.id(), to, "tok" + IDS.incrementAndGet(), m.acceptedAt());
  }

  private MessageStore.Accepted send(Msisdn from, Target to, String body, Instant at, Msisdn... recipients) {
    Message m = msg(from, to, body, at, null);
    List<Delivery> ds = new ArrayList<>();
    for (Msisdn r : recipients) {
      ds.add(pending(m, r));
    }
    return store().accept(m, ds);
  }

  @Test
  default void acceptStoresTheMessageAndEachDeliveryAsGiven() {
    Message m = new Message(new MessageId(id()), Optional.of(A), FAMILY, "晚上八点见 <b>&amp;</b> 😀", Origin.SMS,
        Optional.of("mo:x1"), false, NOW);
    Delivery d1 = pending(m, B);
    Delivery d2 = pending(m, C);
    MessageStore.Accepted a = store().accept(m, List.of(d1, d2));
    assertThat(a.duplicate()).isFalse();
    assertThat(store().message(m.id())).contains(m);
    assertThat(store().deliveriesOf(m.id())).containsExactlyInAnyOrder(d1, d2);
    assertThat(store().item(d1.id())).contains(new Item(d1, m));
    assertThat(store().itemByReplyHash(d2.replyHash())).contains(new Item(d2, m));
  }

  @Test
  default void aReplyLinkIsClaimedByOneBrowserOnly() throws Exception {
    Delivery d = send(A, B, "hi", NOW, B).deliveries().getFirst();
    assertThat(store().claimReplyLink("no-such-hash", "c1")).isFalse();
    // Many browsers at once: exactly one wins, and only it keeps winning.
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String claim = "claim-" + i;
        tries.add(pool.submit(() -> store().claimReplyLink(d.replyHash(), claim)));
      }
      List<Integer> winners = new ArrayList<>();
      for (int i = 0; i < tries.size(); i++) {
        if (tries.get(i).get()) {
          winners.add(i);
        }
      }
      assertThat(winners).hasSize(1);
      assertThat(store().claimReplyLink(d.replyHash(), "claim-" + winners.getFirst())).isTrue();
      assertThat(store().claimReplyLink(d.replyHash(), "someone-else")).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void aSystemMessageHasNoSenderAndMayBeSecret() {
    Message m = new Message(new MessageId(id()), Optional.empty(), A, "code 123456", Origin.SYSTEM, Optional.empty(),
        true, NOW);
    store().accept(m, List.of(pending(m, A)));
    assertThat(store().message(m.id())).contains(m);
  }

  @Test
  default void theSameOriginRefIsOneMessage() {
    Message first = msg(A, B, "hello", NOW, "mo:dup");
    Delivery d = pending(first, B);
    store().accept(first, List.of(d));
    Message again = msg(A, B, "hello", NOW.plusSeconds(1), "mo:dup");
    MessageStore.Accepted a = store().accept(again, List.of(pending(again, B)));
    assertThat(a.duplicate()).isTrue();
    assertThat(a.message()).isEqualTo(first);
    assertThat(a.deliveries()).containsExactly(d);
    assertThat(store().message(again.id())).isEmpty();
    assertThat(store().conversation(A, B, 10)).containsExactly(first);
  }

  @Test
  default void dueIsWhatIsNotDoneAndDueOldestFirst() {
    Delivery late = send(A, B, "1", NOW, B).deliveries().get(0).withNextAttemptAt(NOW.plusSeconds(60));
    Delivery early = send(A, C, "2", NOW.minusSeconds(5), C).deliveries().get(0);
    Delivery done = send(B, A, "3", NOW.minusSeconds(10), A).deliveries().get(0)
        .withState(DeliveryState.PUSHED, NOW);
    Delivery waiting = send(C, A, "4", NOW.minusSeconds(1), A).deliveries().get(0)
        .withState(DeliveryState.AWAITING_FETCH, NOW).withNextAttemptAt(NOW);
    store().update(List.of(late, done, waiting));
    assertThat(store().due(NOW, 10)).extracting(i -> i.delivery().id()).containsExactly(early.id(), waiting.id());
    assertThat(store().due(NOW, 1)).extracting(i -> i.delivery().id()).containsExactly(early.id());
    assertThat(store().due(NOW.plusSeconds(60), 10)).extracting(i -> i.delivery().id())
        .containsExactly(early.id(), waiting.id(), late.id());
  }

  @Test
  default void updateWritesEveryMutableField() {
    Delivery d = send(A, B, "x", NOW, B).deliveries().get(0);
    Delivery changed = d.withRoute(Route.SMS)
        .withState(DeliveryState.SENT, NOW.plusSeconds(3))
        .withAttempt(NOW.plusSeconds(30), "ESME_RTHROTTLED")
        .withKeepUntil(NOW.plusSeconds(3600))
        .withSeenAt(NOW.plusSeconds(4))
        .withSmscIds("a1,a2");
    store().update(List.of(changed));
    assertThat(store().item(d.id()).orElseThrow().delivery()).isEqualTo(changed);
    Delivery cleared = changed.withError(null).withKeepUntil(null);
    store().update(List.of(cleared));
    assertThat(store().item(d.id()).orElseThrow().delivery()).isEqualTo(cleared);
  }

  @Test
  default void everyReadSeesTheLatestWriteHoweverOftenTheSameQueryRuns() {
    // The SQL stores keep prepared statements per connection: a kept statement must not keep an
    // old snapshot, nor an old result, from one execution to the next.
    Delivery d = send(A, B, "x", NOW, B).deliveries().get(0);
    for (int i = 0; i < 50; i++) {
      Delivery next = d.withRoute(Route.SMS).withState(DeliveryState.SENT, NOW.plusSeconds(i)).withSmscIds("r" + i);
      store().update(List.of(next));
      assertThat(store().item(d.id()).orElseThrow().delivery()).isEqualTo(next);
      assertThat(store().deliveryBySmscId("r" + i)).contains(next);
    }
  }

  @Test
  default void aDeliveryIsFoundByAnyOfItsSegmentsSmscIds() {
    Delivery d = send(A, B, "x", NOW, B).deliveries().get(0).withSmscIds("ff01,ff02,ff03");
    store().update(List.of(d));
    assertThat(store().deliveryBySmscId("ff02")).contains(d);
    assertThat(store().deliveryBySmscId("ff0")).isEmpty();
  }

  @Test
  default void conversationIsBothWaysNewestFirstAndGroupsApart() {
    Message m1 = send(A, B, "a->b", NOW, B).message();
    Message m2 = send(B, A, "b->a", NOW.plusSeconds(1), A).message();
    send(A, C, "a->c", NOW.plusSeconds(2), C);
    send(C, B, "c->b", NOW.plusSeconds(3), B);
    Message g = send(C, FAMILY, "c->family", NOW.plusSeconds(4), A, B).message();
    assertThat(store().conversation(A, B, 10)).containsExactly(m2, m1);
    assertThat(store().conversation(B, A, 1)).containsExactly(m2);
    assertThat(store().conversation(A, FAMILY, 10)).containsExactly(g);
  }

  @Test
  default void unseenIsWhatIsKeptAndNotSeen() {
    Delivery kept = send(B, A, "kept", NOW, A).deliveries().get(0)
        .withState(DeliveryState.SENT, NOW).withKeepUntil(NOW.plusSeconds(3600));
    Delivery expired = send(C, A, "old", NOW, A).deliveries().get(0)
        .withState(DeliveryState.SENT, NOW).withKeepUntil(NOW.minusSeconds(1));
    Delivery notKept = send(C, A, "sms only", NOW, A).deliveries().get(0).withState(DeliveryState.SENT, NOW);
    store().update(List.of(kept, expired, notKept));
    assertThat(store().unseen(A, NOW, 10)).extracting(i -> i.delivery().id()).containsExactly(kept.id());
    store().markSeen(List.of(kept.id()), NOW.plusSeconds(5));
    assertThat(store().unseen(A, NOW, 10)).isEmpty();
    assertThat(store().item(kept.id()).orElseThrow().delivery().seenAt()).contains(NOW.plusSeconds(5));
  }

  @Test
  default void unseenBeyondTheLimitAreTheNewestOldestFirst() {
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Delivery kept = send(B, A, "kept " + i, NOW.plusSeconds(i), A).deliveries().get(0)
          .withState(DeliveryState.SENT, NOW).withKeepUntil(NOW.plusSeconds(3600));
      store().update(List.of(kept));
      ids.add(kept.id());
    }
    // What a page or stream must show now is the newest (a live item waits for it): not cut off by older ones.
    assertThat(store().unseen(A, NOW, 2)).extracting(i -> i.delivery().id()).containsExactly(ids.get(3), ids.get(4));
    assertThat(store().unseen(A, NOW, 10)).extracting(i -> i.delivery().id()).containsExactlyElementsOf(ids);
  }

  @Test
  default void partnersAreMostRecentFirstAndIncludeGroupsButNotTheGateway() {
    send(A, B, "1", NOW, B);
    send(C, A, "2", NOW.plusSeconds(1), A);
    send(B, FAMILY, "3", NOW.plusSeconds(2), A, C);
    Message sys = new Message(new MessageId(id()), Optional.empty(), A, "help", Origin.SYSTEM, Optional.empty(),
        false, NOW.plusSeconds(3));
    store().accept(sys, List.of(pending(sys, A)));
    assertThat(store().partners(A, 10)).extracting(MessageStore.Partner::target).containsExactly(FAMILY, C, B);
    assertThat(store().partners(A, 1)).extracting(MessageStore.Partner::target).containsExactly(FAMILY);
    assertThat(store().partners(A, 10).get(0).lastAt()).isEqualTo(NOW.plusSeconds(2));
  }

  @Test
  default void countByState() {
    Delivery d = send(A, B, "x", NOW, B, C).deliveries().get(0).withState(DeliveryState.SENT, NOW);
    store().update(List.of(d));
    assertThat(store().count(DeliveryState.SENT)).isEqualTo(1);
    assertThat(store().count(DeliveryState.PENDING)).isEqualTo(1);
  }

  @Test
  default void olderPendingIsTheOldestUnfinishedPendingDeliveryToThatPhone() {
    Delivery b1 = send(A, B, "1", NOW, B).deliveries().get(0);
    Delivery b2 = send(A, B, "2", NOW, B).deliveries().get(0);
    Delivery c1 = send(A, C, "3", NOW, C).deliveries().get(0);
    Delivery b3 = send(A, B, "4", NOW, B).deliveries().get(0);
    assertThat(store().olderPending(B, b3.id())).map(Delivery::id).contains(b1.id());
    assertThat(store().olderPending(B, b1.id())).isEmpty();
    assertThat(store().olderPending(C, c1.id())).isEmpty();
    store().update(List.of(b1.withState(DeliveryState.SENT, NOW)));
    assertThat(store().olderPending(B, b3.id())).map(Delivery::id).contains(b2.id());
    store().update(List.of(b2.withState(DeliveryState.AWAITING_FETCH, NOW)));
    assertThat(store().olderPending(B, b3.id())).isEmpty();
  }

  @Test
  default void submittingToListsTheSubmitsUnderWayToThatPhoneOldestFirst() {
    Msisdn d = Msisdn.of("+8613800000077");
    Delivery d1 = send(A, d, "first", NOW, d).deliveries().get(0);
    Delivery d2 = send(A, d, "second", NOW, d).deliveries().get(0);
    Delivery d3 = send(A, d, "third", NOW, d).deliveries().get(0);
    Delivery other = send(A, C, "other", NOW, C).deliveries().get(0);
    assertThat(store().submittingTo(d, 10)).isEmpty();
    store().update(List.of(
        d3.withRoute(Route.SMS).withState(DeliveryState.SUBMITTING, NOW),
        d1.withRoute(Route.SMS).withState(DeliveryState.SUBMITTING, NOW),
        other.withRoute(Route.SMS).withState(DeliveryState.SUBMITTING, NOW)));
    assertThat(store().submittingTo(d, 10)).extracting(i -> i.delivery().id()).containsExactly(d1.id(), d3.id());
    assertThat(store().submittingTo(d, 10).get(0).message().body()).isEqualTo("first");
    assertThat(store().submittingTo(d, 1)).hasSize(1);
    store().update(List.of(d1.withRoute(Route.SMS).withState(DeliveryState.SENT, NOW).withSmscIds("a1")));
    assertThat(store().submittingTo(d, 10)).extracting(i -> i.delivery().id()).containsExactly(d3.id());
    assertThat(d2.state()).isEqualTo(DeliveryState.PENDING);
  }

  @Test
  default void inStateListsOneStateOldestFirst() {
    MessageStore.Accepted a = send(A, B, "a", NOW, B);
    MessageStore.Accepted b = send(A, C, "b", NOW.plusSeconds(1), C);
    send(A, C, "c", NOW.plusSeconds(2), C);
    store().update(List.of(b.deliveries().get(0).withState(DeliveryState.FAILED, NOW).withError("smsc status 0xb"),
        a.deliveries().get(0).withState(DeliveryState.FAILED, NOW)));
    assertThat(store().inState(DeliveryState.FAILED, 10)).extracting(i -> i.delivery().id())
        .containsExactly(a.deliveries().get(0).id(), b.deliveries().get(0).id());
    assertThat(store().inState(DeliveryState.FAILED, 1)).hasSize(1);
    assertThat(store().inState(DeliveryState.FAILED, 10).get(1).delivery().lastError()).contains("smsc status 0xb");
    assertThat(store().inState(DeliveryState.FAILED, 10).get(1).message().body()).isEqualTo("b");
    assertThat(store().inState(DeliveryState.PENDING, 10)).hasSize(1);
  }

  @Test
  default void queueStatsCountWorkNotDoneAndItsOldestMessage() {
    assertThat(store().queueStats()).isEqualTo(new MessageStore.QueueStats(0, Optional.empty()));
    MessageStore.Accepted old = send(A, B, "old", NOW.minusSeconds(60), B, C);
    send(A, B, "new", NOW, B);
    assertThat(store().queueStats()).isEqualTo(new MessageStore.QueueStats(3, Optional.of(NOW.minusSeconds(60))));
    store().update(old.deliveries().stream().map(d -> d.withState(DeliveryState.SENT, NOW)).toList());
    assertThat(store().queueStats()).isEqualTo(new MessageStore.QueueStats(1, Optional.of(NOW)));
  }

  @Test
  default void purgeDeletesOldFinishedMessagesAndWipesSecrets() {
    MessageStore.Accepted old = send(A, B, "old", NOW.minusSeconds(7200), B);
    store().update(List.of(old.deliveries().get(0).withState(DeliveryState.DELIVERED, NOW)));
    MessageStore.Accepted oldPending = send(A, B, "old but pending", NOW.minusSeconds(7200), B);
    Message secret = new Message(new MessageId(id()), Optional.empty(), A, "code 123456", Origin.SYSTEM,
        Optional.empty(), true, NOW);
    Delivery sd = pending(secret, A);
    store().accept(secret, List.of(sd));
    store().update(List.of(sd.withState(DeliveryState.SENT, NOW)));
    int n = store().purge(NOW.minusSeconds(3600));
    assertThat(n).isEqualTo(1);
    assertThat(store().message(old.message().id())).isEmpty();
    assertThat(store().item(old.deliveries().get(0).id())).isEmpty();
    assertThat(store().message(oldPending.message().id())).isPresent();
    assertThat(store().message(secret.id()).orElseThrow().body()).isEmpty();
  }

  @Test
  default void concurrentAcceptsAreAllStored() throws Exception {
    int n = 400;
    List<Future<MessageStore.Accepted>> fs = new ArrayList<>();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int k = i;
        fs.add(ex.submit(() -> send(A, B, "m" + k, NOW.plusMillis(k), B)));
      }
    }
    for (Future<MessageStore.Accepted> f : fs) {
      MessageStore.Accepted a = f.get();
      assertThat(store().message(a.message().id())).contains(a.message());
    }
    assertThat(store().conversation(A, B, 1000)).hasSize(n);
    assertThat(store().count(DeliveryState.PENDING)).isEqualTo(n);
  }

  @Test
  default void aSendersMessagesSinceAnInstantCountTheirSmsDeliveries() {
    send(A, B, "yesterday", NOW.minusSeconds(3600), B);
    MessageStore.Accepted one = send(A, FAMILY, "to the family", NOW.plusSeconds(1), B, C);
    send(B, A, "not A's", NOW.plusSeconds(2), A);
    send(A, C, "third", NOW.plusSeconds(3), C);
    // One of the family's copies went to a page: it costs no SMS.
    Delivery toB = one.deliveries().stream().filter(d -> d.recipient().equals(B)).findFirst().orElseThrow();
    Delivery toC = one.deliveries().stream().filter(d -> d.recipient().equals(C)).findFirst().orElseThrow();
    store().update(List.of(toB.withRoute(Route.LIVE_STREAM).withState(DeliveryState.PUSHED, NOW.plusSeconds(1)),
        toC.withRoute(Route.SMS).withState(DeliveryState.SENT, NOW.plusSeconds(1))));
    List<MessageStore.SentBy> sent = store().sentBy(A, NOW, 10);
    assertThat(sent).extracting(MessageStore.SentBy::body).containsExactly("third", "to the family");
    assertThat(sent).extracting(MessageStore.SentBy::smsDeliveries).containsExactly(1, 1);
    assertThat(sent.get(0).acceptedAt()).isEqualTo(NOW.plusSeconds(3));
    assertThat(store().sentBy(A, NOW, 1)).hasSize(1);
    assertThat(store().sentBy(C, NOW, 10)).isEmpty();
  }

  @Test
  default void outgoingIsWhatAPhoneSentNewestFirstWithEachDeliverysLatestState() {
    MessageStore.Accepted one = send(A, B, "one", NOW, B);
    MessageStore.Accepted two = send(A, FAMILY, "two", NOW.plusSeconds(1), B, C);
    send(B, A, "not A's", NOW.plusSeconds(2), A);
    send(A, C, "three", NOW.plusSeconds(3), C);
    send(A, FAMILY, "nobody else in the group", NOW.plusSeconds(4));
    store().accept(new Message(new MessageId(id()), Optional.empty(), A, "from the gateway", Origin.SYSTEM,
        Optional.empty(), false, NOW.plusSeconds(5)), List.of());
    Delivery delivered = one.deliveries().getFirst().withRoute(Route.SMS).withSmscIds("s1")
        .withState(DeliveryState.DELIVERED, NOW.plusSeconds(9));
    Delivery failed = two.deliveries().get(1).withRoute(Route.KEEP).withError("recipient sent STOP")
        .withState(DeliveryState.FAILED, NOW.plusSeconds(9));
    store().update(List.of(delivered, failed));

    List<MessageStore.Outgoing> all = store().outgoing(A, Optional.empty(), 10);
    assertThat(all).extracting(o -> o.message().body())
        .containsExactly("nobody else in the group", "three", "two", "one");
    assertThat(all.get(0).deliveries()).isEmpty();
    assertThat(all.get(2).deliveries()).containsExactly(two.deliveries().get(0), failed);
    assertThat(all.get(3)).isEqualTo(new MessageStore.Outgoing(one.message(), List.of(delivered)));

    assertThat(store().outgoing(A, Optional.empty(), 2)).extracting(o -> o.message().body())
        .containsExactly("nobody else in the group", "three");
    assertThat(store().outgoing(A, Optional.of(B), 10)).extracting(o -> o.message().body()).containsExactly("one");
    assertThat(store().outgoing(A, Optional.of(FAMILY), 10)).extracting(o -> o.message().body())
        .containsExactly("nobody else in the group", "two");
    assertThat(store().outgoing(B, Optional.of(A), 10)).extracting(o -> o.message().body()).containsExactly("not A's");
    assertThat(store().outgoing(C, Optional.empty(), 10)).isEmpty();
  }

  @Test
  default void aPhonesTextToAnImContactIsStoredApartFromChatAndSms() {
    chatgate.core.model.ImContact bob = new chatgate.core.model.ImContact("alice@localhost", "bob@localhost");
    Message m = new Message(new MessageId(id()), Optional.of(A), bob, "hi bob", Origin.SMS, Optional.of("mo:im1"),
        false, NOW);
    Delivery d = pending(m, A);
    store().accept(m, List.of(d));
    assertThat(store().message(m.id())).contains(m);
    assertThat(store().message(m.id()).orElseThrow().target()).isEqualTo(bob);
    assertThat(store().accept(m, List.of(pending(m, A))).duplicate()).isTrue();
    // Not a chat partner, costs no SMS, but counts as a message the phone sent.
    assertThat(store().partners(A, 10)).isEmpty();
    assertThat(store().sentBy(A, NOW, 10)).extracting(MessageStore.SentBy::smsDeliveries).containsExactly(0);
    Delivery handed = d.withRoute(Route.IM).withSmscIds("chatgate-d" + d.id()).withAttempt(NOW.plusSeconds(30), "x");
    store().update(List.of(handed));
    assertThat(store().deliveryBySmscId("chatgate-d" + d.id())).contains(handed);
    assertThat(store().undoneTo(A, 10)).containsExactly(new Item(handed, m));
    assertThat(store().undoneTo(B, 10)).isEmpty();
    // It never holds an SMS to the phone back, nor is it taken for an SMS a receipt may settle.
    Delivery sms = send(B, A, "an SMS to A", NOW.plusSeconds(1), A).deliveries().getFirst();
    assertThat(store().olderPending(A, sms.id())).isEmpty();
    store().update(List.of(handed.withState(DeliveryState.SUBMITTING, NOW)));
    assertThat(store().submittingTo(A, 10)).isEmpty();
    store().update(List.of(handed.withState(DeliveryState.SENT, NOW)));
    assertThat(store().undoneTo(A, 10)).extracting(i -> i.delivery().id()).containsExactly(sms.id());
  }
}
