package chatgate.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  @Test
  void aReplyTokenHasTheAskedLengthAndOnlyBase62() {
    for (int length : new int[] {1, 12, 16, 43}) {
      String t = Tokens.random(length);
      assertThat(t).hasSize(length);
      assertThat(Tokens.isToken(t, length)).isTrue();
    }
  }

  @Test
  void tokensDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertThat(seen.add(Tokens.random(12))).isTrue();
    }
  }

  /**
   * Every character about equally often: a byte is dropped rather than folded when it would make
   * the first characters of the alphabet likelier (256 is not a multiple of 62). With 620,000
   * characters each is expected 10,000 times (σ ≈ 99); the bounds are ±10 σ, and the folding bias
   * (the first 8 characters 5/4 as likely) would be far outside them.
   */
  @Test
  void everyCharacterIsEquallyLikely() {
    int[] counts = new int[128];
    for (int i = 0; i < 20_000; i++) {
      for (char c : Tokens.random(31).toCharArray()) {
        counts[c]++;
      }
    }
    for (char c : BASE62.toCharArray()) {
      assertThat(counts[c]).as("count of %s", c).isBetween(9_000, 11_000);
    }
  }

  @Test
  void aCodeIsDigitsAndEveryDigitIsEquallyLikely() {
    int[] counts = new int[10];
    for (int i = 0; i < 20_000; i++) {
      String code = Tokens.digits(6);
      assertThat(code).hasSize(6).matches("[0-9]{6}");
      for (char c : code.toCharArray()) {
        counts[c - '0']++;
      }
    }
    // 120,000 digits: 12,000 each expected (σ ≈ 104)
    for (int d = 0; d < 10; d++) {
      assertThat(counts[d]).as("count of %d", d).isBetween(11_000, 13_000);
    }
  }
}
