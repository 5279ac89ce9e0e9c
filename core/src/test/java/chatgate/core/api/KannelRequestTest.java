package chatgate.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.SmsPort.MtOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kannel 1.4.5's answers to sendsms parameters, as its smsbox gave them (KannelParityIT compares the two). */
class KannelRequestTest {
  static final NumberPlan CN = new NumberPlan("CN");
  static final Instant NOW = Instant.parse("2026-12-07T17:00:00Z");

  static KannelRequest.Parsed parse(String query) {
    return parse(query, false);
  }

  /** A query as a client writes it ("a=1&b=%E4"), first value of each name wins. */
  static KannelRequest.Parsed parse(String query, boolean post) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      values.putIfAbsent(eq < 0 ? pair : pair.substring(0, eq), decode(eq < 0 ? "" : pair.substring(eq + 1)));
    }
    return KannelRequest.parse(n -> Optional.ofNullable(values.get(n)), post, "rapidpro", CN, 4, NOW);
  }

  static byte[] decode(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c == '+' ? ' ' : c);
      }
    }
    return out.toByteArray();
  }

  static SendsmsRequest ok(String query) {
    KannelRequest.Parsed p = parse(query);
    assertThat(p).as(query).isInstanceOf(KannelRequest.Ok.class);
    return ((KannelRequest.Ok) p).request();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      text=hi                                   | Missing receiver number, rejected
      to=&text=hi                               | Empty receiver number not allowed, rejected
      to=abc&text=hi                            | Number(s) has/have been denied by white- and/or black-lists.
      to=%2B8613800000071;%2B8613800000072&text=hi | Number(s) has/have been denied by white- and/or black-lists.
      to=%2B8613800000071&text=hi&udh=%06%05    | UDH is not supported, rejected
      to=%2B8613800000071&text=hi&account=a%5Bb | Account field misformed or too long, rejected
      to=%2B8613800000071&text=hi&dlr-url=ftp%3A%2F%2Fx | DLR-URL field misformed, rejected
      to=%2B8613800000071&text=hi&dlr-url=http  | DLR-URL field misformed, rejected
      to=%2B8613800000071&text=hi&dlr-mask=67   | DLR-Mask field misformed, rejected
      to=%2B8613800000071&text=hi&dlr-mask=-2   | DLR-Mask field misformed, rejected
      to=%2B8613800000071&text=hi&mclass=4      | MClass field misformed, rejected
      to=%2B8613800000071&text=hi&pid=256       | PID field misformed, rejected
      to=%2B8613800000071&text=hi&rpi=3         | RPI field misformed, rejected
      to=%2B8613800000071&text=hi&alt-dcs=2     | Alt-DCS field misformed, rejected
      to=%2B8613800000071&text=hi&mwi=8         | MWI field misformed, rejected
      to=%2B8613800000071&text=hi&coding=3      | Coding field misformed, rejected
      to=%2B8613800000071&text=hi&compress=2    | Compress field misformed, rejected
      to=%2B8613800000071&text=hi&validity=-5   | Validity field misformed, rejected
      to=%2B8613800000071&text=hi&deferred=-3   | Deferred field misformed, rejected
      to=%2B8613800000071&text=hi&priority=4    | Priority field misformed, rejected
      to=%2B8613800000071&text=hi&priority=-2   | Priority field misformed, rejected
      to=%2B8613800000071&text=hi&charset=NOPE  | Charset or body misformed, rejected
      to=%2B8613800000071&text=hi&coding=1      | 8-bit (coding=1) messages are not supported, rejected
      to=%2B8613800000071&text=a%00b            | Text contains control characters
      to=%2B8613800000071&text=hi&mclass=9&dlr-mask=99 | DLR-Mask field misformed, rejected
      """)
  void refusedAsKannelRefuses(String query, String answer) {
    assertThat(parse(query)).isEqualTo(new KannelRequest.Refused(400, answer));
  }

  @Test
  void aPostWithoutToIsWordedAsKannelsPost() {
    assertThat(parse("text=hi", true)).isEqualTo(new KannelRequest.Refused(400, "Missing receiver(s) number(s), rejected"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      to=%2B8613800000071&dlr-mask=abc&dlr-url=http%3A%2F%2Fh | ''
      to=%2B8613800000071&text=&dlr-mask=66                   | ''
      to=%2B8613800000071&text=%FF%FEhi&charset=UTF-8         | ??hi
      to=%2B8613800000071&text=%FFhi                          | ?hi
      to=%2B8613800000071&text=%FFhi%C3                       | ?hi
      to=%2B8613800000071&text=%00%41%00&coding=2             | A
      to=%2B8613800000071&text=%E4%BD%A0%E5%A5%BD+ok&coding=0 | ?? ok
      to=%2B8613800000071&text=%F0%9F%98%80&coding=0          | ?
      to=%2B8613800000071&text=%E9t%E9&charset=ISO-8859-1     | été
      to=%2B8613800000071&text=%4F%60%59%7D&coding=2          | 你好
      to=%2B8613800000071&text=hi&coding=2                    | 桩
      to=%2B8613800000071&text=first&text=second              | first
      to=%2B8613800000071&text=%E4%BD%A0&coding=2&charset=utf8 | 你
      to=%2B8613800000071&text=%4F%60&coding=2&charset=UCS-2  | 你
      """)
  void theTextIsWhatKannelSends(String query, String text) {
    assertThat(ok(query).text()).isEqualTo(text);
  }

  @Test
  void aTextOfMoreThanMaxPartsIsCutToThem() {
    assertThat(ok("to=%2B8613800000071&text=" + "x".repeat(700)).text()).hasSize(4 * 153);
    assertThat(ok("to=%2B8613800000071&coding=2&charset=UTF-8&text=" + "%E9%95%BF".repeat(300)).text()).hasSize(4 * 67);
    assertThat(ok("to=%2B8613800000071&text=" + "x".repeat(612)).text()).hasSize(612);
  }

  @Test
  void numbersAreKeptAsWrittenEachOnceAndTheRestDropped() {
    SendsmsRequest r = ok("to=%2B8613800000071+abc+13800000072+008613800000071+%2B86-138-0000-0073&text=hi");
    assertThat(r.to()).extracting(SendsmsRequest.Recipient::asWritten)
        .containsExactly("+8613800000071", "13800000072", "+86-138-0000-0073");
    assertThat(r.to()).extracting(SendsmsRequest.Recipient::msisdn).containsExactly(Msisdn.of("+8613800000071"),
        Msisdn.of("+8613800000072"), Msisdn.of("+8613800000073"));
  }

  @Test
  void theSubmitOptionsAreTheClients() {
    SendsmsRequest r = ok("to=%2B8613800000071&text=hi&from=ACME&coding=2&mclass=1&mwi=2&alt-dcs=1&pid=65&rpi=1"
        + "&priority=3&validity=60&deferred=10&dlr-mask=31&dlr-url=http%3A%2F%2Fh%2Fd%3Fx%3D%25d&account=a&binfo=b"
        + "&smsc=any&compress=1");
    assertThat(r.mt()).isEqualTo(new MtOptions("ACME", true, 1, 2, 1, 65, 1, 3, NOW.getEpochSecond() + 3600,
        NOW.getEpochSecond() + 600));
    assertThat(r.sender()).isEqualTo("ACME");
    assertThat(r.service()).isEqualTo("rapidpro");
    assertThat(r.dlrUrl()).contains("http://h/d?x=%d");
    assertThat(r.dlrMask()).isEqualTo(31);
    assertThat(ok("to=%2B8613800000071&text=hi&mclass=-1&priority=-1&validity=abc").mt()).isEqualTo(MtOptions.NONE);
    assertThat(ok("to=%2B8613800000071&text=hi&dlrmask=8&dlrurl=http%3A%2F%2Fh").dlrMask()).isEqualTo(8);
    assertThat(MtOptions.decode(r.mt().encode())).isEqualTo(r.mt());
    assertThat(MtOptions.decode(new MtOptions("a;b=c%", false, -1, -1, -1, -1, -1, -1, 0, 0).encode()).source())
        .isEqualTo("a;b=c%");
  }

  @Test
  void numbersReadAsCsScanfReadsThem() {
    for (String[] v : new String[][] {{" 12", "12"}, {"+3", "3"}, {"-1", "-1"}, {"7abc", "7"}}) {
      assertThat(KannelRequest.number(n -> Optional.of(v[0].getBytes(StandardCharsets.UTF_8)), "x"))
          .contains(Integer.parseInt(v[1]));
    }
    assertThat(KannelRequest.number(n -> Optional.of("abc".getBytes(StandardCharsets.UTF_8)), "x")).isEmpty();
  }
}
