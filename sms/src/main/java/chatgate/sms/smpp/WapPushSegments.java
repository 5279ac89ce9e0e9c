package chatgate.sms.smpp;

import chatgate.core.port.SmsPort.OutboundSms;
import chatgate.sms.codec.SmsCodec;
import chatgate.sms.wap.WapPushSi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An MT that is a WAP Push SI (8-bit, port-addressed UDH) carrying the reply link as its href. */
final class WapPushSegments {
  /** SI text beyond this costs another SMS on most pushes; the page has the rest. */
  static final int MAX_TEXT = 60;

  private WapPushSegments() {}

  static List<SmsCodec.Segment> of(OutboundSms sms, int ref, Instant now) {
    String text = sms.text();
    if (text.codePointCount(0, text.length()) > MAX_TEXT) {
      text = text.substring(0, text.offsetByCodePoints(0, MAX_TEXT - 1)) + "…";
    }
    byte[] wsp = WapPushSi.wspPush(sms.wapPushUrl().orElseThrow(), text, sms.ref(), now);
    List<SmsCodec.Segment> out = new ArrayList<>();
    for (WapPushSi.Part p : WapPushSi.smsParts(wsp, ref)) {
      out.add(new SmsCodec.Segment(SmsCodec.DC_BINARY, SmsCodec.ESM_UDHI, p.userData()));
    }
    return out;
  }
}
