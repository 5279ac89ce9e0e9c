package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.ImContact;
import chatgate.core.model.Msisdn;
import chatgate.core.port.ImSessionOwners;
import chatgate.core.port.ImSubmitter;
import chatgate.core.port.SmsInbound.MobileOriginated;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ImSessionOwners} does as seen from one node (issue 7, ADR 0022): what this
 * node holds, or nobody holds, is never handed over, and a text for a phone nobody else holds
 * answers {@link ImSubmitter.Outcome.NoSession}. Handing over between nodes is the clustered
 * implementation's own test, since a single node has nobody to hand to.
 */
public interface ImSessionOwnersContract {
  /** This node's view; a fresh cluster (or none) per test. */
  ImSessionOwners owners();

  Msisdn PHONE = Msisdn.of("+8613800000001");

  static MobileOriginated mo(String text) {
    return new MobileOriginated("ref-" + text, PHONE, "10658", text, Instant.parse("2026-11-25T10:00:00Z"),
        Optional.empty());
  }

  static ImSubmitter.Outcome submit(ImSessionOwners owners) throws Exception {
    return owners.submit(new ImSubmitter.Submission(7L, PHONE, new ImContact("alice@example.org", "bob@example.org"),
        "hi", "st-7", false, Instant.parse("2026-11-25T10:00:00Z"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  default void anMoOfAPhoneNobodyHoldsIsHandledHere() {
    assertThat(owners().handOver(mo("hello"))).isFalse();
  }

  @Test
  default void aTextOfAPhoneNobodyHoldsHasNoSession() throws Exception {
    assertThat(submit(owners())).isInstanceOf(ImSubmitter.Outcome.NoSession.class);
  }

  @Test
  default void anMoOfAPhoneThisNodeHoldsIsHandledHere() {
    owners().holding(PHONE);
    assertThat(owners().handOver(mo("hello"))).isFalse();
  }

  @Test
  default void aReleasedPhoneIsHeldNowhereAndNotHandedOver() throws Exception {
    owners().holding(PHONE);
    owners().released(PHONE);
    assertThat(owners().heldAnywhere(PHONE)).isFalse();
    assertThat(owners().handOver(mo("after"))).isFalse();
    assertThat(submit(owners())).isInstanceOf(ImSubmitter.Outcome.NoSession.class);
  }

  @Test
  default void releasingWhatWasNeverHeldChangesNothing() {
    owners().released(PHONE);
    assertThat(owners().heldAnywhere(PHONE)).isFalse();
    assertThat(owners().handOver(mo("x"))).isFalse();
  }

}
