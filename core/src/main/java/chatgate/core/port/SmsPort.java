package chatgate.core.port;

import chatgate.core.model.Msisdn;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The SMS channel (P1.10, P2.5, P2.6): the built-in simulator's virtual handsets or an SMPP
 * link to an SMSC. The delivery stage submits; the adapter answers with the SMSC's outcome.
 */
public interface SmsPort {

  /**
   * One mobile-terminated message.
   *
   * @param ref idempotency key (unique per delivery); an adapter may see the same ref again after
   *     a crash and should not send twice what it knows it sent
   * @param wapPushUrl send as a WAP Push Service Indication with this href instead of text
   * @param secret the text is a secret (login code): never log it
   * @param gate called by the adapter just before it writes the first segment to the SMSC; if it
   *     throws, the adapter sends nothing and answers {@link SubmitOutcome.Retry}
   * @param options what a sendsms client asked of the submit_sm ({@link MtOptions#NONE} for the rest)
   */
  record OutboundSms(String ref, Msisdn to, String text, Optional<String> wapPushUrl, boolean secret, SendGate gate,
      MtOptions options) {
    public OutboundSms {
      wapPushUrl = wapPushUrl == null ? Optional.empty() : wapPushUrl;
      gate = gate == null ? SendGate.OPEN : gate;
      options = options == null ? MtOptions.NONE : options;
    }

    public OutboundSms(String ref, Msisdn to, String text, Optional<String> wapPushUrl, boolean secret,
        SendGate gate) {
      this(ref, to, text, wapPushUrl, secret, gate, MtOptions.NONE);
    }

    public OutboundSms(String ref, Msisdn to, String text, Optional<String> wapPushUrl, boolean secret) {
      this(ref, to, text, wapPushUrl, secret, SendGate.OPEN, MtOptions.NONE);
    }

    public OutboundSms withOptions(MtOptions o) {
      return new OutboundSms(ref, to, text, wapPushUrl, secret, gate, o);
    }
  }

  /**
   * The submit_sm fields a Kannel sendsms client may set (Kannel's names): {@code source} its
   * {@code from} as written ("" for the service number), {@code ucs2} its {@code coding=2}, then
   * {@code mclass} (0–3), {@code mwi} (0–7), {@code altDcs} (0–1), {@code pid} (0–255), {@code rpi}
   * (0–2), {@code priority} (0–3), each -1 when not given, and {@code validUntil} /
   * {@code deliverAt} in epoch seconds (0 when not given). The adapter makes the data_coding,
   * addresses and times of them as Kannel's SMPP link does.
   */
  record MtOptions(String source, boolean ucs2, int mclass, int mwi, int altDcs, int pid, int rpi, int priority,
      long validUntil, long deliverAt) {
    public static final MtOptions NONE = new MtOptions("", false, -1, -1, -1, -1, -1, -1, 0, 0);

    public MtOptions {
      source = source == null ? "" : source;
    }

    public boolean isNone() {
      return equals(NONE);
    }

    /** One line, for the store and the cluster's wire: {@code key=value;…}, values escaped. */
    public String encode() {
      StringBuilder b = new StringBuilder();
      if (!source.isEmpty()) {
        b.append("src=").append(escape(source)).append(';');
      }
      if (ucs2) {
        b.append("ucs2=1;");
      }
      int[] v = {mclass, mwi, altDcs, pid, rpi, priority};
      String[] k = {"mclass", "mwi", "altdcs", "pid", "rpi", "prio"};
      for (int i = 0; i < v.length; i++) {
        if (v[i] >= 0) {
          b.append(k[i]).append('=').append(v[i]).append(';');
        }
      }
      if (validUntil != 0) {
        b.append("vp=").append(validUntil).append(';');
      }
      if (deliverAt != 0) {
        b.append("sd=").append(deliverAt).append(';');
      }
      return b.toString();
    }

    /** The options {@link #encode} wrote; NONE for null or empty. Unknown keys are skipped (a newer node's). */
    public static MtOptions decode(String line) {
      if (line == null || line.isEmpty()) {
        return NONE;
      }
      String src = "";
      boolean ucs2 = false;
      int[] v = {-1, -1, -1, -1, -1, -1};
      long vp = 0;
      long sd = 0;
      for (String pair : line.split(";")) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = pair.substring(0, eq);
        String val = pair.substring(eq + 1);
        switch (key) {
          case "src" -> src = unescape(val);
          case "ucs2" -> ucs2 = val.equals("1");
          case "mclass" -> v[0] = Integer.parseInt(val);
          case "mwi" -> v[1] = Integer.parseInt(val);
          case "altdcs" -> v[2] = Integer.parseInt(val);
          case "pid" -> v[3] = Integer.parseInt(val);
          case "rpi" -> v[4] = Integer.parseInt(val);
          case "prio" -> v[5] = Integer.parseInt(val);
          case "vp" -> vp = Long.parseLong(val);
          case "sd" -> sd = Long.parseLong(val);
          default -> { }
        }
      }
      return new MtOptions(src, ucs2, v[0], v[1], v[2], v[3], v[4], v[5], vp, sd);
    }

    private static String escape(String s) {
      StringBuilder b = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '%' || c == ';' || c == '=') {
          b.append('%').append(String.format("%02X", (int) c));
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }

    private static String unescape(String s) {
      StringBuilder b = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '%' && i + 2 < s.length()) {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }
  }

  /**
   * What must happen, durably, before an SMS goes on the wire: the delivery stage marks it
   * SUBMITTING here, so that after a crash only SMS that may really have reached the SMSC are in
   * doubt (ADR 0011). An adapter that cannot call it that late (a relay to another node) calls it
   * before handing the SMS on.
   */
  @FunctionalInterface
  interface SendGate {
    SendGate OPEN = () -> {};

    void opening();
  }

  /** What the SMSC said. */
  sealed interface SubmitOutcome {
    /** Accepted; one SMSC message id per segment. */
    record Accepted(List<String> smscIds) implements SubmitOutcome {}

    /** A temporary refusal (throttled, queue full, link down, timeout): try again later. */
    record Retry(String reason, Duration notBefore) implements SubmitOutcome {}

    /** A permanent refusal (bad destination, bad length): do not try again. */
    record Failed(String reason) implements SubmitOutcome {}

    /**
     * No answer, and the SMS may have reached the SMSC (a node that held the bind died with it):
     * left SUBMITTING for a receipt to settle, sent again only after the in-doubt wait (ADR 0011).
     */
    record InDoubt(String reason) implements SubmitOutcome {}
  }

  CompletionStage<SubmitOutcome> submit(OutboundSms sms);

  /**
   * The text of each segment {@link #submit} sends for this SMS, as an SMSC would quote it in a
   * receipt's {@code text:} field ({@code ""} where it cannot, as for binary WAP Push parts).
   */
  default List<String> segmentTexts(OutboundSms sms) {
    return List.of(sms.wapPushUrl().isPresent() ? "" : sms.text());
  }
}
