package chatgate.sms.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SmsCodecTest {
  static final HexFormat HEX = HexFormat.of();

  @Test
  void gsmTextIsUnpackedSeptetsWithEscapesForTheExtensionTable() {
    // Kannel's bytes for this text on the same kind of link (notes/sms.md): "price: 5€ [ok] {x}".
    assertThat(HEX.formatHex(SmsCodec.gsm7("price: 5€ [ok] {x}")))
        .isEqualTo("70726963653a2035" + "1b65" + "20" + "1b3c" + "6f6b" + "1b3e" + "20" + "1b28" + "78" + "1b29");
    assertThat(HEX.formatHex(SmsCodec.gsm7("@£$¥"))).isEqualTo("00010203");
  }

  @Test
  void singleSmsInGsmAndUcs2() {
    List<SmsCodec.Segment> gsm = SmsCodec.encode("Hello", 0);
    assertThat(gsm).singleElement().satisfies(s -> {
      assertThat(s.dataCoding()).isZero();
      assertThat(s.esmClass()).isZero();
      assertThat(HEX.formatHex(s.shortMessage())).isEqualTo("48656c6c6f");
    });
    List<SmsCodec.Segment> zh = SmsCodec.encode("你好", 0);
    assertThat(zh).singleElement().satisfies(s -> {
      assertThat(s.dataCoding()).isEqualTo(8);
      assertThat(HEX.formatHex(s.shortMessage())).isEqualTo("4f60597d");
    });
  }

  @Test
  void longGsmTextIs153SeptetsPerPartWithAConcatenationHeader() {
    List<SmsCodec.Segment> parts = SmsCodec.encode("A".repeat(200), 0x2A);
    assertThat(parts).hasSize(2);
    assertThat(HEX.formatHex(parts.get(0).shortMessage(), 0, 6)).isEqualTo("0500032a0201");
    assertThat(HEX.formatHex(parts.get(1).shortMessage(), 0, 6)).isEqualTo("0500032a0202");
    assertThat(parts.get(0).shortMessage()).hasSize(6 + 153);
    assertThat(parts.get(1).shortMessage()).hasSize(6 + 47);
    assertThat(parts).allSatisfy(p -> assertThat(p.esmClass() & 0x40).isEqualTo(0x40));
  }

  @Test
  void anEscapePairIsNeverSplitAcrossParts() {
    String text = "a".repeat(152) + "€" + "b".repeat(10);
    List<SmsCodec.Segment> parts = SmsCodec.encode(text, 1);
    assertThat(parts.get(0).shortMessage()).hasSize(6 + 152);
    assertThat(HEX.formatHex(parts.get(1).shortMessage(), 6, 8)).isEqualTo("1b65");
  }

  @Test
  void aSurrogatePairIsNeverSplitAcrossParts() {
    String text = "中".repeat(66) + "😀" + "文".repeat(10);
    List<SmsCodec.Segment> parts = SmsCodec.encode(text, 1);
    assertThat(parts.get(0).shortMessage()).hasSize(6 + 66 * 2);
    String second = SmsCodec.decode(8, parts.get(1).shortMessage(), 6, parts.get(1).shortMessage().length);
    assertThat(second).startsWith("😀");
  }

  @Test
  void udhWithEightAndSixteenBitReferencesAndPorts() {
    UserData u8 = UserData.parse(0x40, HEX.parseHex("0500032a0301414243"));
    assertThat(u8.concat()).contains(new UserData.Concat(0x2A, 3, 1));
    assertThat(u8.bodyOffset()).isEqualTo(6);
    UserData u16 = UserData.parse(0x40, HEX.parseHex("06080412340201" + "41"));
    assertThat(u16.concat()).contains(new UserData.Concat(0x1234, 2, 1));
    assertThat(u16.bodyOffset()).isEqualTo(7);
    UserData push = UserData.parse(0x40, HEX.parseHex("0b0504" + "0b8423f0" + "0003" + "070201" + "00"));
    assertThat(push.destinationPort()).contains(2948);
    assertThat(push.concat()).contains(new UserData.Concat(7, 2, 1));
    assertThat(UserData.parse(0x00, HEX.parseHex("0500032a0301")).concat()).isEmpty();
  }

  @Test
  void aMalformedHeaderIsRefusedWithAClearError() {
    assertThatThrownBy(() -> UserData.parse(0x40, HEX.parseHex("0900030102")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
    assertThatThrownBy(() -> UserData.parse(0x40, HEX.parseHex("0400050102")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs past");
  }

  @Test
  void moDecodingCoversTheUsualDataCodings() {
    assertThat(SmsCodec.decode(0x00, HEX.parseHex("1b65"), 0, 2)).isEqualTo("€");
    assertThat(SmsCodec.decode(0x01, "Hi".getBytes(), 0, 2)).isEqualTo("Hi");
    assertThat(SmsCodec.decode(0x03, HEX.parseHex("e9"), 0, 1)).isEqualTo("é");
    assertThat(SmsCodec.decode(0x08, HEX.parseHex("4f60597d"), 0, 4)).isEqualTo("你好");
    assertThat(SmsCodec.decode(0x18, HEX.parseHex("4f60"), 0, 2)).isEqualTo("你"); // UCS-2 with a message class
    assertThat(SmsCodec.decode(0xF0, HEX.parseHex("41"), 0, 1)).isEqualTo("A"); // flash, GSM
    assertThatThrownBy(() -> SmsCodec.decode(0x04, new byte[] {1}, 0, 1)).hasMessageContaining("not text");
  }

  @Property(tries = 300)
  void everyTextSurvivesEncodingAndDecodingPartByPart(@ForAll("texts") String text) {
    List<SmsCodec.Segment> parts = SmsCodec.encode(text, 99);
    StringBuilder back = new StringBuilder();
    for (SmsCodec.Segment s : parts) {
      UserData ud = UserData.parse(s.esmClass(), s.shortMessage());
      // 140 octets on the air: GSM septets are packed by the SMSC (UDH octets + 7 bits per septet, ≤ 1120 bits).
      int body = s.shortMessage().length - ud.bodyOffset();
      int bits = s.dataCoding() == 0 ? ud.bodyOffset() * 8 + body * 7 : s.shortMessage().length * 8;
      assertThat(bits).isLessThanOrEqualTo(1120);
      back.append(SmsCodec.decode(s.dataCoding(), s.shortMessage(), ud.bodyOffset(), s.shortMessage().length));
    }
    assertThat(back.toString()).isEqualTo(text);
  }

  @Property(tries = 500)
  void arbitraryOctetsNeverEscapeAsAnythingButAClearError(@ForAll byte[] sm, @ForAll int esm, @ForAll int dc) {
    try {
      UserData ud = UserData.parse(esm, sm);
      SmsCodec.decode(dc, sm, ud.bodyOffset(), sm.length);
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> gsm = Arbitraries.strings().withChars("abcXYZ 0123@£€[]{}^~|\\\n").ofMaxLength(400);
    // Whole code points only: a lone surrogate is not text (the web and MO decoders never produce one).
    Arbitrary<String> any = Arbitraries.oneOf(Arbitraries.strings().withCharRange('\u0020', '\u04FF').ofLength(1),
            Arbitraries.of("你", "好", "😀", "🙂", "€", "a"))
        .list().ofMaxSize(200).map(l -> String.join("", l));
    return Arbitraries.oneOf(gsm, any);
  }
}
