package chatgate.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.MessageId;
import chatgate.core.port.DlrCallbacks;
import chatgate.core.port.DlrCallbacks.Callback;
import org.junit.jupiter.api.Test;

/** What every {@link DlrCallbacks} does. */
public interface DlrCallbacksContract {
  DlrCallbacks callbacks();

  @Test
  default void aCallbackIsFoundByItsMessage() {
    callbacks().save(new Callback(new MessageId(42), "http://client.example/dlr?t=%d&id=%F", 31, "10658"));
    assertThat(callbacks().find(new MessageId(42))).hasValueSatisfying(c -> {
      assertThat(c.url()).isEqualTo("http://client.example/dlr?t=%d&id=%F");
      assertThat(c.mask()).isEqualTo(31);
      assertThat(c.sender()).isEqualTo("10658");
    });
    assertThat(callbacks().find(new MessageId(43))).isEmpty();
  }

  @Test
  default void whatTheClientAskedIsKeptAndFoundByTheDelivery() {
    callbacks().save(new Callback(new MessageId(44), "", 0, "ACME", 4401, "0086138 0000 0071", "rapidpro",
        "src=ACME;mclass=1;vp=1800000000;"));
    assertThat(callbacks().findByDelivery(4401)).hasValueSatisfying(c -> {
      assertThat(c.message()).isEqualTo(new MessageId(44));
      assertThat(c.wantsDlr()).isFalse();
      assertThat(c.sender()).isEqualTo("ACME");
      assertThat(c.clientTo()).isEqualTo("0086138 0000 0071");
      assertThat(c.service()).isEqualTo("rapidpro");
      assertThat(c.mt()).isEqualTo("src=ACME;mclass=1;vp=1800000000;");
    });
    assertThat(callbacks().find(new MessageId(44))).hasValueSatisfying(c -> assertThat(c.deliveryId()).isEqualTo(4401));
    assertThat(callbacks().findByDelivery(4402)).isEmpty();
    assertThat(callbacks().findByDelivery(0)).isEmpty();
  }
}
