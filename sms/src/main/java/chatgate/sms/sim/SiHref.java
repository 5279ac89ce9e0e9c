package chatgate.sms.sim;

import java.nio.charset.StandardCharsets;

/**
 * Reads the href of a WAP Push SI (WSP push + WBXML) for the simulator's inbox. It knows the
 * forms an SI encoder writes for a link (prefix token + inline string); the tests check pushes
 * with libwbxml, not with this.
 */
final class SiHref {
  private SiHref() {}

  static String of(byte[] wsp) {
    // WSP: TID, PDU type, headers length (uintvar, short here), headers; then WBXML.
    int headersLen = wsp[2] & 0xFF;
    int i = 3 + headersLen;
    // WBXML: version, public id, charset, string table length (0).
    i += 4;
    for (; i < wsp.length; i++) {
      int t = wsp[i] & 0xFF;
      if (t >= 0x0B && t <= 0x0F && i + 1 < wsp.length && (wsp[i + 1] & 0xFF) == 0x03) {
        String prefix = switch (t) {
          case 0x0C -> "http://";
          case 0x0D -> "http://www.";
          case 0x0E -> "https://";
          case 0x0F -> "https://www.";
          default -> "";
        };
        int start = i + 2;
        int end = start;
        while (end < wsp.length && wsp[end] != 0) {
          end++;
        }
        return prefix + new String(wsp, start, end - start, StandardCharsets.UTF_8);
      }
    }
    return "";
  }
}
