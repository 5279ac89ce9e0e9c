package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Delivery;
import chatgate.core.model.GroupId;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.Target;
import chatgate.core.port.MessageStore;
import chatgate.core.port.ReadMarkers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What every {@link ReadMarkers} does, over the message store it reads. */
public interface ReadMarkersContract {
  ReadMarkers markers();

  MessageStore store();

  Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  Msisdn A = Msisdn.of("+8613800000001");
  Msisdn B = Msisdn.of("+8613800000002");
  Msisdn C = Msisdn.of("+8613800000003");
  GroupId FAMILY = GroupId.of("family");
  AtomicLong IDS = new AtomicLong(5_000);

  private Message send(Optional<Msisdn> from, Target to, Origin origin, Msisdn... recipients) {
    Message m = new Message(new MessageId(IDS.incrementAndGet()), from, to, "hi " + IDS.get(), origin,
        Optional.empty(), false, NOW);
    List<Delivery> ds = new ArrayList<>();
    for (Msisdn r : recipients) {
      ds.add(Delivery.pending(IDS.incrementAndGet(), m.id(), r, "rh" + IDS.get(), NOW));
    }
    store().accept(m, ds);
    return m;
  }

  private Message send(Msisdn from, Target to, Msisdn... recipients) {
    return send(Optional.of(from), to, Origin.WEB, recipients);
  }

  private List<Long> unread(Msisdn reader) {
    return markers().unread(reader, 100).stream().map(i -> i.message().id().value()).toList();
  }

  @Test
  default void aMessageToMeIsUnreadUntilItsConversationIsReadUpToIt() {
    Message m1 = send(B, A, A);
    Message m2 = send(B, A, A);
    assertThat(unread(A)).containsExactly(m2.id().value(), m1.id().value());
    assertThat(markers().unread(A, 100).getFirst().delivery().recipient()).isEqualTo(A);

    markers().markRead(A, B, m1.id());
    assertThat(unread(A)).containsExactly(m2.id().value());
    markers().markRead(A, B, m2.id());
    assertThat(unread(A)).isEmpty();
    // The marker never goes back: a page that showed less, marking late, undoes nothing.
    markers().markRead(A, B, m1.id());
    assertThat(unread(A)).isEmpty();
    assertThat(unread(B)).as("the sender's own message is not unread for them").isEmpty();
  }

  @Test
  default void eachConversationHasItsOwnMarker() {
    Message fromB = send(B, A, A);
    Message fromC = send(C, A, A);
    Message inGroup = send(C, FAMILY, A, B);
    markers().markRead(A, B, new MessageId(fromC.id().value() + 1_000));
    assertThat(unread(A)).containsExactly(inGroup.id().value(), fromC.id().value());
    assertThat(unread(B)).containsExactly(inGroup.id().value());
    markers().markRead(A, FAMILY, inGroup.id());
    assertThat(unread(A)).containsExactly(fromC.id().value());
    assertThat(fromB.id().value()).isLessThan(fromC.id().value());
  }

  @Test
  default void onlyChatMessagesIGotAreUnread() {
    send(Optional.empty(), A, Origin.SYSTEM, A); // a login code
    send(Optional.empty(), A, Origin.IM, A); // an IM contact's message by the built-in IM
    send(A, B, B); // mine
    send(B, FAMILY, C); // a group message A did not get (A blocked B): no delivery to A
    assertThat(unread(A)).isEmpty();
    assertThat(unread(C)).hasSize(1);
  }

  @Test
  default void theReadLooksAtTheNewestDeliveriesOnly() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(send(B, A, A).id().value());
    }
    assertThat(markers().unread(A, 3).stream().map(i -> i.message().id().value()).toList())
        .containsExactly(ids.get(4), ids.get(3), ids.get(2));
  }
}
