package chatgate.sms.wap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import chatgate.sms.wap.WapPushSi.Part;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * The SI push is checked by an independent decoder, libwbxml's {@code wbxml2xml} (Debian
 * libwbxml2-utils), and cross-checked against its compiler {@code xml2wbxml}, so the encoder is
 * not graded only by its own reading of WAP-167. The tools are required: a missing tool fails the
 * test rather than skipping it, so a green run always means the bytes were decoded.
 */
class WapPushSiTest {
  static final String HREF = "http://gw.example/r/AbC123xyz";
  static final String TEXT = "Li: see you at 8";
  static final Instant CREATED = Instant.parse("2026-11-25T06:01:00Z");
  static final HexFormat HEX = HexFormat.of();
  static final byte[] SINGLE_UDH = HEX.parseHex("0605040b8423f0");

  /**
   * siWbxml("https://www.example.org/x", "8点", "a1", 2026-01-02T03:04:05Z), by hand: header
   * (1.2, SI 1.0, UTF-8, no string table), si with content, indication with attributes and
   * content, href "https://www." token 0F + STR_I "example.org/x", si-id 11 + STR_I "a1",
   * action signal-medium 07, created 0A + OPAQUE of 7 BCD octets (no trailing zero to drop),
   * END of attributes, STR_I "8点" (点 = U+70B9 = E7 82 B9), END indication, END si.
   */
  static final String KAT_HEX = "02056a00" + "45" + "c6"
      + "0f" + "03" + "6578616d706c652e6f72672f78" + "00"
      + "11" + "03" + "6131" + "00"
      + "07"
      + "0a" + "c3" + "07" + "20260102030405"
      + "01"
      + "03" + "38e782b9" + "00"
      + "01" + "01";

  /** The test-1 push, whose created date ends in a zero-seconds octet that must be left off. */
  static final String KAT_TRAILING_ZERO_HEX = "02056a00" + "45" + "c6"
      + "0c" + "03" + HEX.formatHex("gw.example/r/AbC123xyz".getBytes(StandardCharsets.US_ASCII)) + "00"
      + "11" + "03" + "3432" + "00"
      + "07"
      + "0a" + "c3" + "06" + "202611250601"
      + "01"
      + "03" + HEX.formatHex(TEXT.getBytes(StandardCharsets.US_ASCII)) + "00"
      + "01" + "01";

  @TempDir Path tmp;

  /** The indication as wbxml2xml prints it: its attributes in order and its text. */
  record Indication(Map<String, String> attributes, String text) {}

  @Test
  void shortPushIsOneSmsThatWbxml2xmlDecodesToTheSameSi() throws Exception {
    List<Part> parts = WapPushSi.smsParts(WapPushSi.wspPush(HREF, TEXT, "42", CREATED), 7);

    assertThat(parts).hasSize(1);
    assertThat(parts.getFirst().udh()).isEqualTo(SINGLE_UDH);
    assertThat(parts.getFirst().userData()).hasSizeLessThanOrEqualTo(140);
    Indication si = decode(siOf(parts));
    assertThat(si.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "href", HREF, "si-id", "42", "action", "signal-medium", "created", "2026-11-25T06:01:00Z"));
    assertThat(si.text()).isEqualTo(TEXT);
  }

  @Test
  void chineseTextAndHttpsWwwHrefDecodeUnchanged() throws Exception {
    String href = "https://www.gw.example/r/李雷?x=1&y=2";
    String text = "李雷：晚上八点见";
    List<Part> parts = WapPushSi.smsParts(WapPushSi.wspPush(href, text, "43", CREATED), 8);

    assertThat(parts).hasSize(1);
    assertThat(parts.getFirst().udh()).isEqualTo(SINGLE_UDH);
    byte[] si = siOf(parts);
    assertThat(si[6]).as("https://www. token").isEqualTo((byte) 0x0F);
    Indication decoded = decode(si);
    assertThat(decoded.attributes()).containsEntry("href", href).containsEntry("si-id", "43");
    assertThat(decoded.text()).isEqualTo(text);
  }

  @Test
  void textNeedingXmlEscapesAndFourByteUtf8DecodesUnchanged() throws Exception {
    String text = "a<b & \"c\" 'd' >e 😀 ü";
    Indication decoded = decode(WapPushSi.siWbxml("https://gw.example/?a=1&b=<2>", text, "x&y", CREATED));
    assertThat(decoded.attributes())
        .containsEntry("href", "https://gw.example/?a=1&b=<2>")
        .containsEntry("si-id", "x&y");
    assertThat(decoded.text()).isEqualTo(text);
  }

  @Test
  void surroundingWhitespaceIsSentAsIs() throws Exception {
    // wbxml2xml drops leading and trailing whitespace of text unless told to keep it (-k).
    String text = "  see you at 8 ";
    byte[] si = WapPushSi.siWbxml(HREF, text, "45", CREATED);
    assertThat(decode(si).text()).isEqualTo("see you at 8");
    assertThat(decode(si, "-k").text()).isEqualTo(text);
  }

  @Test
  void longPushIsConcatenatedAndReassemblesToTheSameSi() throws Exception {
    // Stripped: wbxml2xml drops the trailing space by default (see surroundingWhitespaceIsSentAsIs).
    String text = "Long message ".repeat(20).strip();
    byte[] wsp = WapPushSi.wspPush(HREF, text, "44", CREATED);
    assertThat(wsp.length).isGreaterThan(133);

    List<Part> parts = WapPushSi.smsParts(wsp, 0xA5);

    int total = parts.size();
    assertThat(total).isEqualTo((wsp.length + 127) / 128).isGreaterThanOrEqualTo(3);
    for (int i = 0; i < total; i++) {
      Part p = parts.get(i);
      assertThat(p.udh()).as("UDH of part %d", i + 1)
          .isEqualTo(HEX.parseHex("0b0504" + "0b8423f0" + "0003" + "a5" + "%02x%02x".formatted(total, i + 1)));
      assertThat(p.payload()).hasSizeLessThanOrEqualTo(128);
      assertThat(p.userData()).hasSizeLessThanOrEqualTo(140);
    }
    assertThat(payloads(parts)).isEqualTo(wsp);
    Indication decoded = decode(siOf(parts));
    assertThat(decoded.attributes()).containsEntry("href", HREF).containsEntry("si-id", "44");
    assertThat(decoded.text()).isEqualTo(text);
  }

  @Test
  void siWbxmlMatchesHandDerivedBytes() throws Exception {
    Instant created = Instant.parse("2026-01-02T03:04:05Z");
    byte[] ours = WapPushSi.siWbxml("https://www.example.org/x", "8点", "a1", created);
    assertThat(HEX.formatHex(ours)).isEqualTo(KAT_HEX);
    assertThat(HEX.formatHex(WapPushSi.siWbxml(HREF, TEXT, "42", CREATED))).isEqualTo(KAT_TRAILING_ZERO_HEX);

    // The hand-derived bytes say what we meant; wbxml2xml says they mean that to someone else.
    Indication decoded = decode(HEX.parseHex(KAT_HEX));
    assertThat(decoded.attributes()).containsExactly(
        Map.entry("href", "https://www.example.org/x"), Map.entry("si-id", "a1"),
        Map.entry("action", "signal-medium"), Map.entry("created", "2026-01-02T03:04:05Z"));
    assertThat(decoded.text()).isEqualTo("8点");
    assertThat(decode(HEX.parseHex(KAT_TRAILING_ZERO_HEX)).attributes())
        .containsEntry("created", "2026-11-25T06:01:00Z");
  }

  @Test
  void decodesLikeWhatXml2wbxmlCompilesFromTheEquivalentXml() throws Exception {
    record Case(String href, String text, String siId, String created) {}
    for (Case c : List.of(
        new Case(HREF, TEXT, "42", "2026-11-25T06:01:00Z"),
        new Case("https://www.example.org/x", "8点", "a1", "2026-01-02T03:04:05Z"),
        new Case("http://www.example.com/a.net/b", "李雷：晚上八点见", "7", "2026-12-01T00:00:00Z"))) {
      String xml = """
          <?xml version="1.0" encoding="UTF-8"?>
          <!DOCTYPE si PUBLIC "-//WAPFORUM//DTD SI 1.0//EN" "http://www.wapforum.org/DTD/si.dtd">
          <si><indication href="%s" si-id="%s" action="signal-medium" created="%s">%s</indication></si>
          """.formatted(c.href(), c.siId(), c.created(), c.text());
      Indication theirs = decode(compile(xml));
      Indication ours = decode(WapPushSi.siWbxml(c.href(), c.text(), c.siId(), Instant.parse(c.created())));

      assertThat(ours.attributes()).as("attributes for %s", c)
          .containsExactlyInAnyOrderEntriesOf(theirs.attributes())
          .containsEntry("href", c.href())
          .containsEntry("created", c.created());
      assertThat(ours.text()).isEqualTo(theirs.text()).isEqualTo(c.text());
    }
  }

  @Test
  void rejectsNonHttpHrefAndNul() {
    assertThatThrownBy(() -> WapPushSi.wspPush("ftp://x", TEXT, "1", CREATED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    assertThatThrownBy(() -> WapPushSi.wspPush("gw.example/r/1", TEXT, "1", CREATED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WapPushSi.wspPush(HREF, "see\u0000you", "1", CREATED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    assertThatThrownBy(() -> WapPushSi.siWbxml(HREF, TEXT, "4\u00002", CREATED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WapPushSi.siWbxml(HREF, "half \uD83D pair", "1", CREATED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WapPushSi.siWbxml(HREF, TEXT, "1", Instant.parse("+10000-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wspPushIsTheMinimalConnectionlessPushAroundTheSi() {
    byte[] si = WapPushSi.siWbxml(HREF, TEXT, "42", CREATED);
    byte[] wsp = WapPushSi.wspPush(HREF, TEXT, "42", CREATED);
    assertThat(HEX.formatHex(wsp)).isEqualTo("010601ae" + HEX.formatHex(si));
  }

  @Test
  void splitBoundariesAndLimits() {
    assertThat(WapPushSi.smsParts(new byte[133], 0)).singleElement()
        .satisfies(p -> assertThat(p.userData()).hasSize(140));
    assertThat(WapPushSi.smsParts(new byte[134], 0)).extracting(p -> p.payload().length).containsExactly(128, 6);
    assertThat(WapPushSi.smsParts(new byte[255 * 128], 255)).hasSize(255);
    assertThatThrownBy(() -> WapPushSi.smsParts(new byte[255 * 128 + 1], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
    assertThatThrownBy(() -> WapPushSi.smsParts(new byte[10], -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WapPushSi.smsParts(new byte[10], 256)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void partsAreValuesThatCannotBeChangedFromOutside() {
    byte[] payload = {1, 2, 3};
    Part p = WapPushSi.smsParts(payload, 0).getFirst();
    payload[0] = 9;
    p.payload()[1] = 9;
    assertThat(p.payload()).containsExactly(1, 2, 3);
    assertThat(p).isEqualTo(WapPushSi.smsParts(new byte[] {1, 2, 3}, 0).getFirst()).hasToString(
        "Part[udh=0605040b8423f0, payload=010203]");
  }

  @Property(tries = 200)
  void partsReassembleAndEachFitsOneSms(
      @ForAll @Size(max = 255 * 128) byte[] wsp, @ForAll @IntRange(max = 255) int ref) {
    List<Part> parts = WapPushSi.smsParts(wsp, ref);
    assertThat(payloads(parts)).isEqualTo(wsp);
    assertThat(parts).allSatisfy(p -> assertThat(p.userData()).hasSizeLessThanOrEqualTo(140));
    if (parts.size() > 1) {
      for (int i = 0; i < parts.size(); i++) {
        byte[] udh = parts.get(i).udh();
        assertThat(new int[] {udh[9] & 0xFF, udh[10] & 0xFF, udh[11] & 0xFF})
            .containsExactly(ref, parts.size(), i + 1);
      }
    }
  }

  @Property(tries = 300)
  void textIsTheWholeUtf8BetweenStrIAndTheClosingEnds(@ForAll String text) {
    Assume.that(text.indexOf('\0') < 0 && StandardCharsets.UTF_8.newEncoder().canEncode(text));
    byte[] si = WapPushSi.siWbxml(HREF, text, "1", CREATED);
    String tail = "03" + HEX.formatHex(text.getBytes(StandardCharsets.UTF_8)) + "000101";
    assertThat(HEX.formatHex(si)).endsWith(tail);
  }

  // --- helpers --------------------------------------------------------------------------------

  /** The SI from SMS parts: the payloads in order, minus the 4-octet WSP header (01 06 01 AE). */
  static byte[] siOf(List<Part> parts) {
    byte[] wsp = payloads(parts);
    assertThat(HEX.formatHex(wsp, 0, 4)).as("WSP header").isEqualTo("010601ae");
    return Arrays.copyOfRange(wsp, 4, wsp.length);
  }

  static byte[] payloads(List<Part> parts) {
    var all = new ByteArrayOutputStream();
    parts.forEach(p -> all.writeBytes(p.payload()));
    return all.toByteArray();
  }

  /**
   * Decodes WBXML with wbxml2xml ({@code options} before {@code -o}) and reads the indication out
   * of the XML it prints.
   */
  Indication decode(byte[] wbxml, String... options) throws Exception {
    Path in = Files.createTempFile(tmp, "si", ".wbxml");
    Path out = tmp.resolve(in.getFileName() + ".xml");
    Files.write(in, wbxml);
    var args = new ArrayList<>(List.of(options));
    args.addAll(List.of("-o", out.toString(), in.toString()));
    run("wbxml2xml", args.toArray(String[]::new));
    String xml = Files.readString(out, StandardCharsets.UTF_8);

    var f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    Document doc = f.newDocumentBuilder().parse(out.toFile());
    Element si = doc.getDocumentElement();
    assertThat(si.getTagName()).as(xml).isEqualTo("si");
    List<Element> children = elements(si);
    assertThat(children).as(xml).hasSize(1);
    Element indication = children.getFirst();
    assertThat(indication.getTagName()).as(xml).isEqualTo("indication");
    assertThat(elements(indication)).as(xml).isEmpty();
    Map<String, String> attributes = new LinkedHashMap<>();
    NamedNodeMap attrs = indication.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      attributes.put(a.getName(), a.getValue());
    }
    return new Indication(orderedAsPrinted(xml, attributes), indication.getTextContent());
  }

  /** DOM does not keep attribute order; the order wbxml2xml printed them in is the wire order. */
  static Map<String, String> orderedAsPrinted(String xml, Map<String, String> attributes) {
    Map<String, String> ordered = new LinkedHashMap<>();
    attributes.keySet().stream()
        .sorted(Comparator.comparingInt(name -> xml.indexOf(" " + name + "=\"")))
        .forEach(name -> ordered.put(name, attributes.get(name)));
    return ordered;
  }

  static List<Element> elements(Element parent) {
    var list = new ArrayList<Element>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        list.add(e);
      }
    }
    return list;
  }

  /** Compiles SI XML with xml2wbxml (WBXML 1.2). */
  byte[] compile(String xml) throws Exception {
    Path in = Files.createTempFile(tmp, "si", ".xml");
    Path out = tmp.resolve(in.getFileName() + ".wbxml");
    Files.writeString(in, xml, StandardCharsets.UTF_8);
    run("xml2wbxml", "-v", "1.2", "-o", out.toString(), in.toString());
    return Files.readAllBytes(out);
  }

  /** Runs a libwbxml tool; a missing tool is a failure with the fix in the message. */
  static void run(String tool, String... args) throws Exception {
    Path exe = Path.of("/usr/bin", tool);
    if (!Files.isExecutable(exe)) {
      fail(exe + " is missing: install libwbxml2-utils (scripts/test does)");
    }
    var cmd = new ArrayList<String>(List.of(exe.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as(tool + " finished").isTrue();
    assertThat(p.exitValue()).as(tool + " exit code; output: " + log).isZero();
  }
}
