package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.port.MoPartStore;
import chatgate.core.port.MoPartStore.MoPart;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link MoPartStore} does. */
public interface MoPartStoreContract {
  MoPartStore parts();

  Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  Msisdn FROM = Msisdn.of("+8613900000001");

  private static MoPart part(String key, int seq, int total, String text, Instant at) {
    return new MoPart(key, seq, total, FROM, "10658", text, seq == 1 ? Optional.of("460001234567890") : Optional.empty(), at);
  }

  @Test
  default void partsComeBackInOrderWhateverOrderTheyArrivedIn() {
    assertThat(parts().add(part("k1", 3, 3, "c", T0))).extracting(MoPart::seq).containsExactly(3);
    assertThat(parts().add(part("k1", 1, 3, "a", T0.plusSeconds(1)))).extracting(MoPart::seq).containsExactly(1, 3);
    var all = parts().add(part("k1", 2, 3, "b", T0.plusSeconds(2)));
    assertThat(all).extracting(MoPart::text).containsExactly("a", "b", "c");
    assertThat(all.getFirst().imsi()).contains("460001234567890");
    assertThat(all.getFirst().from()).isEqualTo(FROM);
    assertThat(all.getFirst().to()).isEqualTo("10658");
    assertThat(all.get(2).receivedAt()).isEqualTo(T0);
  }

  @Test
  default void aRepeatedPartChangesNothing() {
    parts().add(part("k2", 1, 2, "first", T0));
    assertThat(parts().add(part("k2", 1, 2, "other", T0.plusSeconds(5)))).extracting(MoPart::text).containsExactly("first");
    assertThat(parts().parts("k2")).hasSize(1);
  }

  @Test
  default void aCompletedKeyIgnoresLateRepeatsUntilForgotten() {
    parts().add(part("k3", 1, 2, "a", T0));
    parts().add(part("k3", 2, 2, "b", T0));
    parts().complete("k3", T0.plusSeconds(1));
    assertThat(parts().parts("k3")).isEmpty();
    assertThat(parts().add(part("k3", 2, 2, "b", T0.plusSeconds(2)))).isEmpty();
    parts().forgetCompleted(T0.plusSeconds(60));
    assertThat(parts().add(part("k3", 1, 2, "new", T0.plusSeconds(70)))).extracting(MoPart::text).containsExactly("new");
  }

  @Test
  default void waitingKeysAreFoundByTheirFirstPart() {
    parts().add(part("old", 2, 2, "x", T0));
    parts().add(part("new", 1, 2, "y", T0.plusSeconds(100)));
    assertThat(parts().waitingSince(T0.plusSeconds(50))).containsExactly("old");
    assertThat(parts().waitingSince(T0.plusSeconds(200))).containsExactlyInAnyOrder("old", "new");
    parts().complete("old", T0.plusSeconds(300));
    assertThat(parts().waitingSince(T0.plusSeconds(200))).containsExactly("new");
  }
}
