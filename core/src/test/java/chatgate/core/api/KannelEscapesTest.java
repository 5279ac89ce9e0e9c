package chatgate.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every dlr-url escape, as Kannel 1.4.5's smsbox expanded it for these reports (taken from the
 * real smsbox: KannelParityIT compares the two end to end).
 */
class KannelEscapesTest {
  static final Instant AT = Instant.parse("2026-12-07T17:02:53Z");
  static final String RECEIPT = "id:3e8 sub:001 dlvrd:001 submit date:2612071702 done date:2612071702 stat:DELIVRD"
      + " err:000 text:hello *star";

  static KannelEscapes.Dlr report(String which) {
    return switch (which) {
      case "ack" -> new KannelEscapes.Dlr(8, "ACK/", "1000", "peer", "02e018eb-88d7-47ba-bebf-ae7091c2343b",
          "rapidpro", "", "+8613800000071", "10658123", AT, "http://h/dlr?a=%a&d=%d", "?smpp_resp??orig_msg?dlr_mask=31&");
      case "nack" -> new KannelEscapes.Dlr(16, "NACK/0x0000000b/Invalid Destination Address", "", "peer", "u",
          "rapidpro", "", "008613800000079", "ACME", AT, "http://h/", "?smpp_resp??orig_msg?dlr_mask=31&");
      default -> new KannelEscapes.Dlr(1, RECEIPT, "1000", "peer", "u", "rapidpro", "gw", "13800000071", "10658", AT,
          "http://h/", "?orig_msg?dlr_mask=31&?smpp?dlr_err=%03%00%00&");
    };
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      ack     | %d  | 8
      ack     | %A  | ACK%2F
      ack     | %a  | ACK%2F
      ack     | %b  | ACK%2F
      ack     | %k  | ACK%2F
      ack     | %r  | ''
      ack     | %s  | ''
      ack     | %S  | ''
      ack     | %e  | 41434B2F
      ack     | %F  | 1000
      ack     | %i  | peer
      ack     | %I  | 02e018eb-88d7-47ba-bebf-ae7091c2343b
      ack     | %n  | rapidpro
      ack     | %o  | ''
      ack     | %p  | %2B8613800000071
      ack     | %q  | %2B8613800000071
      ack     | %P  | 10658123
      ack     | %Q  | 10658123
      ack     | %t  | 2026-12-07+17:02:53
      ack     | %T  | 1796662973
      ack     | %c  | -1
      ack     | %C  | UTF-8
      ack     | %m  | -1
      ack     | %M  | -1
      ack     | %O  | 00
      ack     | %B%f%u%v%V | ''
      ack     | %D  | %3Fsmpp_resp%3F%3Forig_msg%3Fdlr_mask%3D31%26
      ack     | %R  | http%3A%2F%2Fh%2Fdlr%3Fa%3D%25a%26d%3D%25d
      ack     | %%  | %
      ack     | %%d | %d
      ack     | %x  | %x
      ack     | %Z  | %Z
      ack     | a=% | a=%
      ack     | %1  | %1
      nack    | %A  | NACK%2F0x0000000b%2FInvalid+Destination+Address
      nack    | %k  | NACK%2F0x0000000b%2FInvalid
      nack    | %r  | Destination+Address
      nack    | %s,%S,%s | Destination,Address,
      nack    | %F  | ''
      nack    | %p  | 008613800000079
      nack    | %q  | %2B8613800000079
      nack    | %Q  | ACME
      receipt | %d  | 1
      receipt | %A  | id%3A3e8+sub%3A001+dlvrd%3A001+submit+date%3A2612071702+done+date%3A2612071702+stat%3ADELIVRD+err%3A000+text%3Ahello+*star
      receipt | %k  | id%3A3e8
      receipt | %s  | sub%3A001
      receipt | %S  | sub:001
      receipt | %s%S%s%S%S%S%S%S%S%S | sub%3A001dlvrd:001submitdate:2612071702donedate:2612071702stat:DELIVRDerr:000text:hello~star
      receipt | %r%s | sub%3A001+dlvrd%3A001+submit+date%3A2612071702+done+date%3A2612071702+stat%3ADELIVRD+err%3A000+text%3Ahello+*starsub%3A001
      receipt | %o  | gw
      receipt | %p  | 13800000071
      receipt | %D  | %3Forig_msg%3Fdlr_mask%3D31%26%3Fsmpp%3Fdlr_err%3D%2503%2500%2500%26
      """)
  void escapesExpandAsKannels(String which, String pattern, String expected) {
    assertThat(KannelEscapes.expand(pattern, report(which))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http://h/dlr?d=8&x=%x                 | http://h/dlr?d=8&x=%25x
      http://h/dlr?pct=%&end=%              | http://h/dlr?pct=%25&end=%25
      http://h/dlr?ok=%2B86&t=2026+17:02:53 | http://h/dlr?ok=%2B86&t=2026+17:02:53
      http://h/dlr?s=a b"<>                 | http://h/dlr?s=a%20b%22%3C%3E
      http://h/dlr?z=晚                      | http://h/dlr?z=%E6%99%9A
      http://h/dlr?f=a#b                    | http://h/dlr?f=a%23b
      """)
  void whatKannelSendsRawIsMadeAUrlThatDecodesAlike(String expanded, String sendable) {
    assertThat(KannelEscapes.sendable(expanded)).isEqualTo(sendable);
  }
}
