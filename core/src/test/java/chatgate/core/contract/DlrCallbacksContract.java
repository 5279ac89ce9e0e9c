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
}
