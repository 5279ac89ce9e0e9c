package chatgate.sms.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.port.SmsPort.MtOptions;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The submit_sm fields of a sendsms client's options, as Kannel 1.4.5's SMPP link sent them to the npm peer. */
class ClientFieldsTest {
  static MtOptions options(int mclass, int mwi, int altDcs) {
    return new MtOptions("", false, mclass, mwi, altDcs, -1, -1, -1, 0, 0);
  }

  @ParameterizedTest(name = "base {0} mclass {1} mwi {2} alt-dcs {3} -> {4}")
  @CsvSource(textBlock = """
      0, -1, -1, -1, 0
      0,  1, -1, -1, 241
      0,  0,  -1, 0, 240
      0,  2, -1,  0, 242
      0, -1, -1,  1, 241
      8, -1, -1, -1, 8
      8,  1, -1, -1, 25
      8,  3, -1, -1, 27
      0, -1,  1, -1, 217
      0, -1,  5, -1, 193
      8, -1,  2, -1, 234
      """)
  void dataCodingIsKannels(int base, int mclass, int mwi, int altDcs, int dcs) {
    assertThat(ClientFields.dataCoding(base, options(mclass, mwi, altDcs), false)).isEqualTo(dcs);
  }

  @Test
  void theSenderIsReadFromItsForm() {
    assertThat(ClientFields.source("+8613912345678")).isEqualTo("8613912345678");
    assertThat(ClientFields.ton("+8613912345678", TypeOfNumber.NATIONAL)).isEqualTo(TypeOfNumber.INTERNATIONAL);
    assertThat(ClientFields.ton("ACME", TypeOfNumber.NATIONAL)).isEqualTo(TypeOfNumber.ALPHANUMERIC);
    assertThat(ClientFields.npi("ACME", NumberingPlanIndicator.ISDN)).isEqualTo(NumberingPlanIndicator.UNKNOWN);
    assertThat(ClientFields.source("+ABC")).isEqualTo("+ABC");
    assertThat(ClientFields.ton("+ABC", TypeOfNumber.NATIONAL)).isEqualTo(TypeOfNumber.ALPHANUMERIC);
    assertThat(ClientFields.ton("10658123", TypeOfNumber.NATIONAL)).isEqualTo(TypeOfNumber.NATIONAL);
    assertThat(ClientFields.npi("10658123", NumberingPlanIndicator.ISDN)).isEqualTo(NumberingPlanIndicator.ISDN);
  }

  @Test
  void timesAreAbsoluteInUtc() {
    assertThat(ClientFields.time(1_796_666_632L)).isEqualTo("261207180352000+");
    assertThat(ClientFields.time(0)).isNull();
  }
}
