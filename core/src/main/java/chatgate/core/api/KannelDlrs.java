package chatgate.core.api;

import chatgate.core.model.Delivery;
import chatgate.core.port.DlrCallbacks.Callback;
import chatgate.core.port.SmsInbound;
import chatgate.core.sms.SmppErrors;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A delivery state as the delivery report Kannel's bearerbox makes of it, for the client's
 * dlr-url: its text ({@code ACK/}, {@code NACK/0x0000000b/Invalid Destination Address}, or the
 * SMSC's whole receipt), the SMSC's id as Kannel writes it (the number in decimal, as with its
 * {@code msg-id-type}), the meta-data Kannel adds, and the time of the state.
 */
final class KannelDlrs {
  /** The receipt being handled on this thread: the stage tells the state while it handles it. */
  private static final ThreadLocal<SmsInbound.DeliveryReport> RECEIPT = new ThreadLocal<>();
  private static final Pattern ERR = Pattern.compile("(?i)\\berr:(\\d{1,5})\\b");

  private final Clock clock;
  private final SendsmsService.Settings settings;

  KannelDlrs(Clock clock, SendsmsService.Settings settings) {
    this.clock = clock;
    this.settings = settings;
  }

  SmsInbound tap(SmsInbound inner) {
    return new SmsInbound() {
      @Override
      public void onMobileOriginated(MobileOriginated mo) {
        inner.onMobileOriginated(mo);
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {
        RECEIPT.set(report);
        try {
          inner.onDeliveryReport(report);
        } finally {
          RECEIPT.remove();
        }
      }
    };
  }

  KannelEscapes.Dlr report(int type, Callback c, Delivery d, String detail) {
    List<String> ids = d.smscIds().filter(s -> !s.isEmpty()).map(s -> List.of(s.split(","))).orElse(List.of());
    boolean fromSmsc = type == SendsmsService.DLR_DELIVERED || type == SendsmsService.DLR_UNDELIVERED;
    String text;
    String meta;
    if (fromSmsc) {
      text = receipt(ids).orElse(detail);
      Matcher err = ERR.matcher(text);
      meta = "?orig_msg?dlr_mask=" + c.mask() + "&";
      if (err.find()) {
        int e = Integer.parseInt(err.group(1));
        meta += "?smpp?dlr_err=" + KannelEscapes.encode(new byte[] {3, (byte) (e >> 8), (byte) e}) + "&";
      }
    } else {
      text = type == SendsmsService.DLR_SMSC_ACCEPTED ? "ACK/" : nack(detail);
      meta = "?smpp_resp??orig_msg?dlr_mask=" + c.mask() + "&";
    }
    String smscMessageId = type == SendsmsService.DLR_SMSC_REJECTED || ids.isEmpty() ? "" : decimal(ids.getFirst());
    return new KannelEscapes.Dlr(type, text, smscMessageId, settings.smscId(), UUID.randomUUID().toString(),
        c.service(), fromSmsc ? settings.smscAccount() : "", c.clientTo().isEmpty() ? d.recipient().e164()
        : c.clientTo(), c.sender(), clock.instant(), c.url(), meta);
  }

  /** The whole text of the receipt being handled, if it is one for this SMS. */
  private static Optional<String> receipt(List<String> ids) {
    SmsInbound.DeliveryReport r = RECEIPT.get();
    return r != null && ids.contains(r.smscId()) ? r.receipt() : Optional.empty();
  }

  /** Kannel's words for a submit the SMSC refused; another failure is "NACK/" and the reason. */
  static String nack(String detail) {
    return SmppErrors.status(detail)
        .map(s -> String.format(Locale.ROOT, "NACK/0x%08x/%s", s, SmppErrors.describe(s)))
        .orElse("NACK/" + detail);
  }

  /** The SMSC's id as Kannel writes it with msg-id-type set: the number in decimal (ids here are hex). */
  static String decimal(String canonicalHex) {
    try {
      return new BigInteger(canonicalHex, 16).toString();
    } catch (NumberFormatException e) {
      return canonicalHex; // not a number: as the SMSC wrote it
    }
  }
}
