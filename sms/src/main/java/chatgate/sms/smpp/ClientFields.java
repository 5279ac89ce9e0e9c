package chatgate.sms.smpp;

import chatgate.core.port.SmsPort.MtOptions;
import chatgate.sms.codec.SmsCodec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;

/**
 * The submit_sm fields a Kannel sendsms client's options set, made as Kannel 1.4.5's SMPP link
 * makes them (checked against it by KannelParityIT): the sender address with its TON/NPI found
 * from its form, the data_coding of the message class and waiting indication, the reply path bit,
 * and absolute times in UTC.
 */
final class ClientFields {
  private ClientFields() {}

  private static final DateTimeFormatter SMPP_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss")
      .withZone(ZoneOffset.UTC);

  /** esm_class bit: a reply path is set (Kannel's rpi). */
  static final int ESM_REPLY_PATH = 0x80;

  /** The source address: a "+" number without its '+' (international), else as written. */
  static String source(String from) {
    return international(from) ? from.substring(1) : from;
  }

  /** TON of a client's from: international for "+digits", alphanumeric for any other non-digit, else {@code digits}. */
  static TypeOfNumber ton(String from, TypeOfNumber digits) {
    if (international(from)) {
      return TypeOfNumber.INTERNATIONAL;
    }
    return allDigits(from) ? digits : TypeOfNumber.ALPHANUMERIC;
  }

  static NumberingPlanIndicator npi(String from, NumberingPlanIndicator digits) {
    return international(from) || allDigits(from) ? digits : NumberingPlanIndicator.UNKNOWN;
  }

  private static boolean international(String from) {
    return from.length() > 1 && from.charAt(0) == '+' && allDigits(from.substring(1));
  }

  private static boolean allDigits(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /**
   * The data_coding of a segment (its alphabet's {@code base}: 0 or UCS-2) with the client's
   * message class, waiting indication and alt-dcs, as Kannel's fields_to_dcs gives it: a waiting
   * indication takes groups 0xC0–0xEF; a message class (or alt-dcs=1) on a 7-bit text takes
   * 0xF0–0xF3; else 0x00–0x1F.
   */
  static int dataCoding(int base, MtOptions o, boolean emptyText) {
    boolean ucs2 = base == SmsCodec.DC_UCS2;
    if (o.mwi() >= 0) {
      if ((o.mwi() & 0x04) != 0) {
        return (o.mwi() & 0x03) | 0xC0; // indication off
      }
      int dcs = (o.mwi() & 0x03) | 0x08;
      return dcs | (emptyText ? 0xC0 : ucs2 ? 0xE0 : 0xD0);
    }
    if (ucs2 || (o.altDcs() != 1 && o.mclass() < 0)) {
      return (o.mclass() >= 0 ? 0x10 | o.mclass() : 0) | (ucs2 ? SmsCodec.DC_UCS2 : 0);
    }
    return 0xF0 | (o.mclass() >= 0 ? o.mclass() : 1);
  }

  /** An SMPP absolute time (§7.1.1) in UTC: YYMMDDhhmmss, tenths 0, offset 00, '+'; null for none. */
  static String time(long epochSeconds) {
    return epochSeconds == 0 ? null : SMPP_TIME.format(Instant.ofEpochSecond(epochSeconds)) + "000+";
  }
}
