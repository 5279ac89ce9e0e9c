package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.model.Presence;
import chatgate.core.port.PresenceRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PresenceRegistry} does (P2.8, P2.13). Implementations are made with
 * {@code wap_idle} = {@link #WAP_IDLE} and an online idle time of {@link #ONLINE_IDLE}.
 */
public interface PresenceRegistryContract {
  PresenceRegistry presence();

  Duration WAP_IDLE = Duration.ofSeconds(60);
  Duration ONLINE_IDLE = Duration.ofMinutes(15);
  Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  Msisdn A = Msisdn.of("+8613800000001");
  Msisdn B = Msisdn.of("+8613800000002");

  @Test
  default void unknownIsOffline() {
    assertThat(presence().presence(A, NOW)).isEqualTo(Presence.OFFLINE);
  }

  @Test
  default void p2_8_openingTheBrowserRecordsOnlineBeforeAnyChatRequest() {
    presence().online(A, NOW);
    assertThat(presence().presence(A, NOW)).isEqualTo(new Presence(true, false, false));
    assertThat(presence().onlineUsers(NOW)).containsExactly(A);
  }

  @Test
  default void aPageFetchMeansBrowsingForWapIdle() {
    presence().pageFetched(A, NOW);
    assertThat(presence().presence(A, NOW.plusSeconds(59))).isEqualTo(new Presence(true, true, false));
    assertThat(presence().presence(A, NOW.plusSeconds(61))).isEqualTo(new Presence(true, false, false));
    assertThat(presence().presence(A, NOW.plus(ONLINE_IDLE).plusSeconds(1))).isEqualTo(Presence.OFFLINE);
  }

  @Test
  default void anOpenStreamIsBrowsingUntilItCloses() {
    presence().streamOpened(A, NOW);
    presence().streamOpened(A, NOW);
    assertThat(presence().presence(A, NOW.plus(Duration.ofHours(1)))).isEqualTo(new Presence(true, true, true));
    presence().streamClosed(A, NOW.plusSeconds(10));
    assertThat(presence().presence(A, NOW.plusSeconds(11)).streaming()).isTrue();
    presence().streamClosed(A, NOW.plusSeconds(20));
    assertThat(presence().presence(A, NOW.plusSeconds(21))).isEqualTo(new Presence(true, true, false));
    assertThat(presence().presence(A, NOW.plusSeconds(81)).browsing()).isFalse();
  }

  @Test
  default void logoutIsOfflineAtOnce() {
    presence().pageFetched(A, NOW);
    presence().online(B, NOW);
    presence().offline(A);
    assertThat(presence().presence(A, NOW)).isEqualTo(Presence.OFFLINE);
    assertThat(presence().onlineUsers(NOW)).containsExactly(B);
  }
}
