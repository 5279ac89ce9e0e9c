package chatgate.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ZonesTest {
  @Test
  void hoursFromUtcAndRegionsAsTyped() {
    assertThat(Zones.parse("+8")).contains(ZoneOffset.ofHours(8));
    assertThat(Zones.parse(" -5 ")).contains(ZoneOffset.ofHours(-5));
    assertThat(Zones.parse("+5:30")).contains(ZoneOffset.ofHoursMinutes(5, 30));
    assertThat(Zones.parse("-0330")).contains(ZoneOffset.ofHoursMinutes(-3, -30));
    assertThat(Zones.parse("UTC+8")).contains(ZoneOffset.ofHours(8));
    assertThat(Zones.parse("gmt-3")).contains(ZoneOffset.ofHours(-3));
    assertThat(Zones.parse("+14")).contains(ZoneOffset.ofHours(14));
    assertThat(Zones.parse("0")).contains(ZoneOffset.UTC);
    assertThat(Zones.parse("UTC")).contains(ZoneOffset.UTC);
    assertThat(Zones.parse("asia/shanghai")).contains(ZoneId.of("Asia/Shanghai"));
    assertThat(Zones.parse("America/Argentina/Buenos_Aires")).contains(ZoneId.of("America/Argentina/Buenos_Aires"));
  }

  @Test
  void notAZone() {
    assertThat(Zones.parse("+15")).isEmpty();
    assertThat(Zones.parse("+8:75")).isEmpty();
    assertThat(Zones.parse("8")).isEmpty();
    assertThat(Zones.parse("Mars/Olympus")).isEmpty();
    assertThat(Zones.parse("tomorrow")).isEmpty();
    assertThat(Zones.parse("")).isEmpty();
  }

  @Test
  void shownAsAUserReadsIt() {
    assertThat(Zones.show(ZoneOffset.ofHours(8))).isEqualTo("UTC+8");
    assertThat(Zones.show(ZoneOffset.ofHoursMinutes(-3, -30))).isEqualTo("UTC-3:30");
    assertThat(Zones.show(ZoneOffset.UTC)).isEqualTo("UTC");
    assertThat(Zones.show(ZoneId.of("Asia/Shanghai"))).isEqualTo("Asia/Shanghai");
  }
}
