package chatgate.sms.smpp;

import chatgate.core.auth.Keys;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.MoPartStore.MoPart;
import chatgate.core.port.SmsInbound;
import chatgate.core.sms.MoReassembler;
import chatgate.core.sms.SmsCommandParser;
import chatgate.sms.codec.SmsCodec;
import chatgate.sms.codec.UserData;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jsmpp.bean.AbstractSmCommand;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.MessageRequest;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.TypeOfNumber;

/**
 * Reads what an SMSC delivers (deliver_sm, or data_sm: SMPP 3.4 4.7, its text in message_payload)
 * into the core's terms: a delivery receipt, a single MO with its de-duplication ref
 * ({@link MoRefs}), or one part of a concatenated MO for the reassembler. Throws
 * {@link IllegalArgumentException} for a PDU that cannot be read.
 */
final class DeliverSmReader {
  private final SmppSettings s;
  private final NumberPlan numbers;
  private final Clock clock;
  private final MoRefs refs;
  private final SmsCommandParser parser = new SmsCommandParser();

  DeliverSmReader(SmppSettings s, NumberPlan numbers, Clock clock, Keys keys) {
    this.s = s;
    this.numbers = numbers;
    this.clock = clock;
    this.refs = new MoRefs(keys);
  }

  void read(AbstractSmCommand d, SmsInbound in, MoReassembler reassembler) {
    // esm_class bits 2–5 = 0001: an SMSC delivery receipt, in a deliver_sm or a data_sm alike.
    if (DeliverSm.isSmscDeliveryReceipt(d.getEsmClass())) {
      receipt(in, d);
    } else {
      mobileOriginated(in, reassembler, d);
    }
  }

  private void receipt(SmsInbound in, AbstractSmCommand d) {
    Optional<String> tlvId = tlvString(d, OptionalParameter.Tag.RECEIPTED_MESSAGE_ID.code());
    OptionalParameter state = d.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE.code());
    String text = new String(userData(d), StandardCharsets.ISO_8859_1);
    ReceiptText rt = ReceiptText.parse(text);
    String id = tlvId.map(s.ids()::fromSubmit)
        .or(() -> rt.id().map(s.ids()::fromReceiptText))
        .orElseThrow(() -> new IllegalArgumentException("delivery receipt without a message id"));
    String stat = rt.stat().orElseGet(() -> state instanceof OptionalParameter.Byte b
        ? ReceiptText.statOfMessageState(b.getValue() & 0xFF) : "UNKNOWN");
    if (ReceiptText.intermediate(stat)) {
      return;
    }
    // The receipt comes from the handset's address: with the quoted text it lets the core settle an
    // SMS whose submit a crash left in doubt (ADR 0011).
    Optional<Msisdn> handset = d.getSourceAddr() == null || d.getSourceAddr().isEmpty() ? Optional.empty()
        : numbers.fromSmsc(d.getSourceAddr(), d.getSourceAddrTon() == TypeOfNumber.INTERNATIONAL.value());
    in.onDeliveryReport(new SmsInbound.DeliveryReport(id, ReceiptText.delivered(stat), stat, clock.instant(),
        handset, rt.text(), text.isEmpty() ? Optional.empty() : Optional.of(text)));
  }

  private void mobileOriginated(SmsInbound in, MoReassembler reassembler, AbstractSmCommand d) {
    byte[] sm = userData(d);
    boolean international = d.getSourceAddrTon() == TypeOfNumber.INTERNATIONAL.value();
    Msisdn from = numbers.fromSmsc(d.getSourceAddr(), international)
        .orElseThrow(() -> new IllegalArgumentException("source address is not a phone number"));
    UserData ud = UserData.parse(d.getEsmClass(), sm);
    String text = SmsCodec.decode(d.getDataCoding(), sm, ud.bodyOffset(), sm.length);
    Instant now = clock.instant();
    Optional<String> imsi = s.imsiTlv() > 0 ? tlvString(d, (short) s.imsiTlv()) : Optional.empty();
    String to = d.getDestAddress();
    if (ud.concat().isPresent()) {
      UserData.Concat c = ud.concat().get();
      reassembler.onPart(new MoPart(MoReassembler.key(from.e164(), to, c.ref(), c.total()), c.seq(), c.total(), from,
          to, text, imsi, now));
      return;
    }
    in.onMobileOriginated(new SmsInbound.MobileOriginated(ref(d, from, text, now), from, to, text, now, imsi));
  }

  /**
   * user_message_reference names an MO where given; else the sender, text and a 30-second slot
   * do, so a repeat after a lost deliver_sm_resp is one message (the same text twice within the
   * slot is taken as one too). A login's text names nothing: its ref is random.
   */
  private String ref(AbstractSmCommand d, Msisdn from, String text, Instant now) {
    if (parser.carriesLogin(text)) {
      return MoRefs.ofLogin();
    }
    OptionalParameter umr = d.getOptionalParameter(OptionalParameter.Tag.USER_MESSAGE_REFERENCE.code());
    if (umr instanceof OptionalParameter.Short sh) {
      return refs.ofUmr(from, sh.getValue() & 0xFFFF, now);
    }
    return refs.ofText(from, text, now);
  }

  /**
   * short_message, or message_payload when short_message is empty (sm_length 0, SMPP 3.4
   * 5.3.2.32) or absent (a data_sm has none).
   */
  static byte[] userData(AbstractSmCommand d) {
    byte[] sm = d instanceof MessageRequest r ? r.getShortMessage() : null;
    if (sm != null && sm.length > 0) {
      return sm;
    }
    OptionalParameter payload = d.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD.code());
    return payload instanceof OptionalParameter.OctetString os && os.getValue() != null ? os.getValue() : new byte[0];
  }

  private static Optional<String> tlvString(AbstractSmCommand d, short tag) {
    OptionalParameter p = d.getOptionalParameter(tag);
    if (p == null) {
      return Optional.empty();
    }
    String v;
    if (p instanceof OptionalParameter.OctetString os) {
      v = new String(os.getValue(), StandardCharsets.ISO_8859_1);
    } else {
      byte[] raw = p.serialize();
      v = new String(raw, 4, raw.length - 4, StandardCharsets.ISO_8859_1);
    }
    v = v.replace("\u0000", "").trim();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }
}
