package chatgate.core.sms;

/** The two text codings an MT uses: GSM 7-bit when every character fits, else UCS-2. */
public enum SmsEncoding {
  GSM7(160, 153),
  UCS2(70, 67);

  /** Units (septets or UTF-16 code units) in a single SMS. */
  public final int single;

  /** Units per part of a concatenated SMS with an 8-bit reference UDH (6 octets). */
  public final int perPart;

  SmsEncoding(int single, int perPart) {
    this.single = single;
    this.perPart = perPart;
  }

  public static SmsEncoding of(CharSequence text) {
    return Gsm7.canEncode(text) ? GSM7 : UCS2;
  }
}
