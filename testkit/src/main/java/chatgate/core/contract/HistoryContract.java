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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Older history by message id ({@link MessageStore#conversationBefore}, issue 18) in every store. */
public interface HistoryContract {
  MessageStore store();

  AtomicLong HISTORY_IDS = new AtomicLong(90_000);

  private long send(Msisdn from, Target to, Msisdn recipient) {
    Message m = new Message(new MessageId(HISTORY_IDS.incrementAndGet()), Optional.of(from), to, "m", Origin.WEB,
        Optional.empty(), false, Instant.parse("2026-12-07T10:00:00Z"));
    store().accept(m, List.of(Delivery.pending(HISTORY_IDS.incrementAndGet(), m.id(), recipient,
        "hh" + HISTORY_IDS.get(), m.acceptedAt())));
    return m.id().value();
  }

  private static List<Long> ids(List<Message> ms) {
    return ms.stream().map(m -> m.id().value()).toList();
  }

  @Test
  default void olderHistoryIsFoundByIdBothWaysAndInGroups() {
    Msisdn a = Msisdn.of("+8613800000001");
    Msisdn b = Msisdn.of("+8613800000002");
    Msisdn c = Msisdn.of("+8613800000003");
    GroupId g = GroupId.of("family");
    List<Long> ab = new ArrayList<>();
    List<Long> group = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ab.add(send(a, b, b));
      ab.add(send(b, a, a));
      send(c, a, a); // another conversation
      group.add(send(c, g, a));
    }
    List<Long> newestFirst = ab.reversed();
    assertThat(ids(store().conversationBefore(a, b, new MessageId(Long.MAX_VALUE), 3)))
        .containsExactlyElementsOf(newestFirst.subList(0, 3));
    assertThat(ids(store().conversationBefore(a, b, new MessageId(newestFirst.get(2)), 3)))
        .containsExactlyElementsOf(newestFirst.subList(3, 6));
    assertThat(ids(store().conversationBefore(b, a, new MessageId(newestFirst.get(5)), 10)))
        .containsExactlyElementsOf(newestFirst.subList(6, 8));
    assertThat(store().conversationBefore(a, b, new MessageId(newestFirst.get(7)), 10)).isEmpty();
    assertThat(ids(store().conversationBefore(a, g, new MessageId(group.get(2)), 10)))
        .containsExactly(group.get(1), group.get(0));
  }
}
