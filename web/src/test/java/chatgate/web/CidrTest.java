package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one address-block parser of config and web (issue 19): what it takes, what it refuses, what it matches. */
class CidrTest {

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/8", "192.0.2.7", "0.0.0.0/0", "fd00::/8", "::1", "2001:db8::/64", " 127.0.0.1/32 "})
  void takesAddressesAndBlocks(String block) {
    assertThat(Cidr.valid(block)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"300.1.1.1", "10.0.0.0/33", "fd00::/129", "1:2:3", ":::::", "example.org", "localhost",
      "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "", "10.0.0", "1.2.3.4.5"})
  void refusesWhatIsNotALiteralBlock(String block) {
    assertThat(Cidr.valid(block)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "10.0.0.0/8, 10.200.3.4, true",
      "10.0.0.0/8, 11.0.0.1, false",
      "192.0.2.0/25, 192.0.2.127, true",
      "192.0.2.0/25, 192.0.2.128, false",
      "2001:db8::/64, 2001:db8::42, true",
      "2001:db8::/64, [2001:db8::42], true",
      "2001:db8::/64, 2001:db8:0:1::42, false",
      "10.0.0.0/8, ::ffff:10.0.0.1, true",
      "10.0.0.0/8, 300.0.0.1, false",
      "10.0.0.0/8, example.org, false"})
  void matchesOnlyLiteralAddressesInsideTheBlock(String block, String address, boolean inside) {
    assertThat(Cidr.parse(block).contains(address)).isEqualTo(inside);
  }

  @ParameterizedTest
  @ValueSource(strings = {"300.1.1.1", "999.999.999.999"})
  void anOutOfRangeDottedQuadIsNotALiteralSoNeverLookedUp(String header) {
    assertThat(Cidr.literal(header)).isFalse();
  }
}
