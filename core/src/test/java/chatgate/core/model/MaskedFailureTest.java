package chatgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** An unexpected failure is logged with its stack trace, and no whole number reaches the log (issue 19). */
class MaskedFailureTest {

  @Test
  void keepsTheStackTraceAndTheCausesWithEveryNumberMasked() {
    IOException cause = new IOException("no route to smsc for +8613800000052");
    IllegalStateException failure = new IllegalStateException("insert for 8613800000052 failed", cause);
    failure.addSuppressed(new RuntimeException("close of 13800000053"));

    MaskedFailure masked = MaskedFailure.of(failure);
    StringWriter out = new StringWriter();
    masked.printStackTrace(new PrintWriter(out));
    String printed = out.toString();

    assertThat(masked.getStackTrace()).isEqualTo(failure.getStackTrace());
    assertThat(masked.toString()).isEqualTo("java.lang.IllegalStateException: insert for *******00052 failed"
        .replace("*******00052", "*".repeat("8613800000052".length() - 4) + "0052"));
    assertThat(printed).contains("java.io.IOException: no route to smsc for +", "MaskedFailureTest.java",
        "Caused by", "Suppressed", "0052", "0053");
    assertThat(printed).doesNotContain("13800000052", "13800000053");
  }

  @Test
  void aCycleOfCausesEnds() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(MaskedFailure.of(a).toString()).isEqualTo("java.lang.RuntimeException: a");
  }
}
