package chatgate.core.api;

import chatgate.core.chat.ChatService;
import chatgate.core.chat.SendResult.Sent;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.MessageId;
import chatgate.core.port.DlrCallbacks;
import chatgate.core.port.DlrCallbacks.Callback;
import chatgate.core.port.HttpCallback;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsPort;
import chatgate.core.port.SmsPort.MtOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.LongPredicate;

/**
 * The core of Kannel-compatible sendsms: stores one SMS per recipient with what its client asked
 * ({@link DlrCallbacks.Callback}), gives the SMS port the client's submit_sm options
 * ({@link #port}), and calls the client's {@code dlr-url} as the delivery passes the states the
 * {@code dlr-mask} asks for (1 delivered, 2 undelivered, 8 accepted by the SMSC, 16 rejected by
 * the SMSC), its escapes filled as Kannel fills them ({@link KannelDlrs}).
 *
 * <p>What this node stored since it started is known in memory: an SMS port asking about any
 * other SMS costs no read unless it was made elsewhere or before (another node, a restart).
 */
public final class SendsmsService implements DeliveryStage.StateListener {
  public static final int DLR_DELIVERED = 1;
  public static final int DLR_UNDELIVERED = 2;
  public static final int DLR_SMSC_ACCEPTED = 8;
  public static final int DLR_SMSC_REJECTED = 16;

  /**
   * @param serviceNumber the sender when the client gives no {@code from}
   * @param smscId the SMSC link's name in callbacks ({@code %i}, Kannel's smsc-id)
   * @param smscAccount the SMSC account a receipt came through ({@code %o})
   */
  public record Settings(String serviceNumber, int maxSegments, String smscId, String smscAccount) {}

  /** Why a request was refused, with Kannel's wording where Kannel has one. */
  public sealed interface Outcome {
    record Accepted(List<MessageId> messages) implements Outcome {}

    /** @param status the HTTP status Kannel answers with: 400, or 403 for a denied number */
    record Refused(String reason, int status) implements Outcome {
      public Refused(String reason) {
        this(reason, 400);
      }
    }
  }

  private static final int KNOWN_MAX = 100_000;

  private final ChatService chat;
  private final DlrCallbacks callbacks;
  private final HttpCallback http;
  private final Settings settings;
  private final LongPredicate mintedHere;
  private final KannelDlrs dlrs;
  /** What was asked for each SMS this node stored since it started and that is not final yet, by delivery id. */
  private final Map<Long, Callback> known = new LinkedHashMap<>(1024, 0.75f, false);
  /** The highest delivery id dropped from {@link #known} for room: ids up to it are looked up. */
  private long forgottenUpTo;

  /** @param mintedHere whether a delivery id was made by this node since it started (its SMS were stored here) */
  public SendsmsService(ChatService chat, DlrCallbacks callbacks, HttpCallback http, Clock clock, Settings settings,
      LongPredicate mintedHere) {
    this.chat = chat;
    this.callbacks = callbacks;
    this.http = http;
    this.settings = settings;
    this.mintedHere = mintedHere;
    this.dlrs = new KannelDlrs(clock, settings);
  }

  /**
   * Stores the SMS for each recipient (all numbers already checked by the caller). Returns only
   * after everything is committed, so the client's 202 means "stored".
   */
  public Outcome submit(SendsmsRequest req) {
    if (req.to().isEmpty()) {
      return new Outcome.Refused("Missing receiver number, rejected");
    }
    if (hasControls(req.text())) {
      return new Outcome.Refused("Text contains control characters");
    }
    // As Kannel's denied-prefix: a number the gateway may not text refuses the request, before any is stored.
    if (!req.to().stream().allMatch(r -> chat.smsAllowed(r.msisdn()))) {
      return new Outcome.Refused("Number(s) has/have been denied.", 403);
    }
    String sender = req.sender().isEmpty() ? settings.serviceNumber() : req.sender();
    String mt = req.mt().isNone() ? "" : req.mt().encode();
    boolean dlr = req.dlrUrl().isPresent() && req.dlrMask() > 0;
    List<MessageId> ids = new ArrayList<>(req.to().size());
    for (SendsmsRequest.Recipient r : req.to()) {
      // What the client asked is stored before the delivery stage can send the SMS or reach a state to report.
      Sent s = (Sent) chat.plainSms(r.msisdn(), req.text(), null, (msg, deliveries) -> {
        if (!dlr && mt.isEmpty()) {
          return; // nothing to remember: the SMS goes as any other
        }
        for (Delivery d : deliveries) {
          Callback c = new Callback(msg.id(), dlr ? req.dlrUrl().get() : "", dlr ? req.dlrMask() : 0, sender, d.id(),
              r.asWritten(), req.service(), mt);
          callbacks.save(c);
          remember(c);
        }
      });
      ids.add(s.message().id());
    }
    return new Outcome.Accepted(ids);
  }

  private void remember(Callback c) {
    synchronized (known) {
      known.put(c.deliveryId(), c);
      while (known.size() > KNOWN_MAX) {
        Map.Entry<Long, Callback> eldest = known.entrySet().iterator().next();
        forgottenUpTo = Math.max(forgottenUpTo, eldest.getKey());
        known.remove(eldest.getKey());
      }
    }
  }

  /** What was asked for this delivery, from memory when this node stored it, else from the store. */
  private Optional<Callback> asked(long deliveryId, Optional<MessageId> message, boolean forget) {
    synchronized (known) {
      Callback c = forget ? known.remove(deliveryId) : known.get(deliveryId);
      if (c != null) {
        return Optional.of(c);
      }
      if (mintedHere.test(deliveryId) && deliveryId > forgottenUpTo) {
        return Optional.empty(); // stored here since the start and not remembered: nothing was asked
      }
    }
    return message.isPresent() ? callbacks.find(message.get()) : callbacks.findByDelivery(deliveryId);
  }

  /**
   * The SMS port the delivery stage sends through: each SMS of a sendsms client goes with the
   * submit_sm options it asked for ({@code from}, {@code coding}, {@code validity}, …).
   */
  public SmsPort port(SmsPort inner) {
    return new SmsPort() {
      @Override
      public CompletionStage<SubmitOutcome> submit(OutboundSms sms) {
        return inner.submit(withOptions(sms));
      }

      @Override
      public List<String> segmentTexts(OutboundSms sms) {
        return inner.segmentTexts(withOptions(sms));
      }
    };
  }

  private SmsPort.OutboundSms withOptions(SmsPort.OutboundSms sms) {
    long delivery = deliveryOf(sms.ref());
    if (!sms.options().isNone() || delivery <= 0) {
      return sms;
    }
    Optional<Callback> c = asked(delivery, Optional.empty(), false);
    return c.filter(x -> !x.mt().isEmpty()).map(x -> sms.withOptions(MtOptions.decode(x.mt()))).orElse(sms);
  }

  /** The delivery id an SMS's ref names ("d123"), or 0 for another ref (an MO's reply, a test's). */
  private static long deliveryOf(String ref) {
    if (ref.length() < 2 || ref.length() > 20 || ref.charAt(0) != 'd') {
      return 0;
    }
    long id = 0;
    for (int i = 1; i < ref.length(); i++) {
      char c = ref.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      id = id * 10 + (c - '0');
    }
    return id;
  }

  /**
   * Where the SMS link hands receipts in: each is passed on as it is, and its whole text is at
   * hand for the callbacks of the states it causes ({@code %A} of a receipt).
   */
  public SmsInbound receipts(SmsInbound inner) {
    return dlrs.tap(inner);
  }

  @Override
  public void onState(MessageId message, Delivery d, String detail) {
    boolean last = d.state() == DeliveryState.DELIVERED || d.state() == DeliveryState.FAILED;
    Optional<Callback> c = asked(d.id(), Optional.of(message), last);
    if (c.isEmpty() || !c.get().wantsDlr()) {
      return;
    }
    int type = switch (d.state()) {
      case SENT -> DLR_SMSC_ACCEPTED;
      case DELIVERED -> DLR_DELIVERED;
      // Failed before the SMSC took it: rejected by the SMSC; failed after: undelivered.
      case FAILED -> d.smscIds().filter(s -> !s.isEmpty()).isPresent() ? DLR_UNDELIVERED : DLR_SMSC_REJECTED;
      default -> 0;
    };
    if (type == 0 || (c.get().mask() & type) == 0) {
      return;
    }
    // In the order of the message's states: "delivered" must not reach the client before "accepted".
    String url = KannelEscapes.expand(c.get().url(), dlrs.report(type, c.get(), d, detail));
    http.get(message.toString(), KannelEscapes.sendable(url));
  }

  /**
   * C0 and C1 controls and DEL (NUL, ESC, BEL, …): invisible, and some SMSCs and handsets act on
   * them. CR, LF and TAB are text: templated messages carry them, and they show as whitespace.
   */
  static boolean hasControls(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || (c >= 0x7F && c < 0xA0)) {
        return true;
      }
    }
    return false;
  }
}
