package chatgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 15, High (SMS pumping), the benchmark's bound with smaller numbers and no timing: code
 * requests from 200 distinct loopback addresses to 200 numbers, through the real server, send
 * exactly the configured budget of code SMS, no more.
 */
class PumpingBenchTest {
  @Test
  void codeRequestsFromManyAddressesSendNoMoreSmsThanTheBudget() throws Exception {
    PumpingBench.Result r = PumpingBench.run(200, 1000, 20, 32);
    assertThat(r.budget()).isEqualTo(20);
    assertThat(r.byStatus()).containsEntry(200, 20).containsEntry(429, 180);
    assertThat(r.smsSubmitted()).isEqualTo(20);
  }
}
