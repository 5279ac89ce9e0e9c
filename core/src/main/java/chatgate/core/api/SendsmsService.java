package chatgate.core.api;

import chatgate.core.chat.ChatService;
import chatgate.core.chat.SendResult.Sent;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.port.DlrCallbacks;
import chatgate.core.port.HttpCallback;
import chatgate.core.sms.Segmenter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The core of Kannel-compatible sendsms: stores one SMS per recipient, remembers the client's
 * {@code dlr-url}, and calls it as the delivery passes the states the {@code dlr-mask} asks for
 * (1 delivered, 2 undelivered, 8 accepted by the SMSC, 16 rejected by the SMSC).
 */
public final class SendsmsService implements DeliveryStage.StateListener {
  public static final int DLR_DELIVERED = 1;
  public static final int DLR_UNDELIVERED = 2;
  public static final int DLR_SMSC_ACCEPTED = 8;
  public static final int DLR_SMSC_REJECTED = 16;

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

  private final ChatService chat;
  private final DlrCallbacks callbacks;
  private final HttpCallback http;
  private final Clock clock;
  private final String serviceNumber;
  private final int maxSegments;
  /**
   * Messages found to have no callback: a callback is stored before its message is dispatched, so
   * the answer at SENT still holds at DELIVERED (one read per MT instead of two, on this node).
   */
  private final java.util.Map<MessageId, Boolean> noCallback = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<MessageId, Boolean> e) {
      return size() > NO_CALLBACK_MAX;
    }
  };
  private static final int NO_CALLBACK_MAX = 50_000;

  public SendsmsService(ChatService chat, DlrCallbacks callbacks, HttpCallback http, Clock clock, String serviceNumber,
      int maxSegments) {
    this.chat = chat;
    this.callbacks = callbacks;
    this.http = http;
    this.clock = clock;
    this.serviceNumber = serviceNumber;
    this.maxSegments = maxSegments;
  }

  /**
   * Stores the SMS for each recipient (all numbers already checked by the caller). Returns only
   * after everything is committed, so the client's 202 means "stored".
   *
   * @param ref the client's idempotency key, if any (the same request again is the same SMS)
   */
  public Outcome submit(List<Msisdn> to, String text, Optional<String> dlrUrl, int dlrMask, Optional<String> ref) {
    if (to.isEmpty()) {
      return new Outcome.Refused("Missing receiver number");
    }
    if (text.isEmpty()) {
      return new Outcome.Refused("Missing text");
    }
    if (hasControls(text)) {
      return new Outcome.Refused("Text contains control characters");
    }
    if (Segmenter.count(text) > maxSegments) {
      return new Outcome.Refused("Message too long: more than " + maxSegments + " SMS");
    }
    // As Kannel's denied-prefix: a number the gateway may not text refuses the request, before any is stored.
    if (!to.stream().allMatch(chat::smsAllowed)) {
      return new Outcome.Refused("Number(s) has/have been denied.", 403);
    }
    List<MessageId> ids = new ArrayList<>(to.size());
    for (Msisdn m : to) {
      String r = ref.map(x -> "sendsms:" + x + ":" + m.e164()).orElse(null);
      // The callback is stored before the delivery stage can reach a state to report.
      Sent s = (Sent) chat.plainSms(m, text, r, msg -> {
        if (dlrUrl.isPresent() && dlrMask != 0) {
          callbacks.save(new DlrCallbacks.Callback(msg.id(), dlrUrl.get(), dlrMask, serviceNumber));
          synchronized (noCallback) {
            noCallback.remove(msg.id()); // the same request again, now with a dlr-url
          }
        }
      });
      ids.add(s.message().id());
    }
    return new Outcome.Accepted(ids);
  }

  @Override
  public void onState(MessageId message, Delivery d, String detail) {
    synchronized (noCallback) {
      if (noCallback.containsKey(message)) {
        return;
      }
    }
    Optional<DlrCallbacks.Callback> c = callbacks.find(message);
    if (c.isEmpty()) {
      synchronized (noCallback) {
        noCallback.put(message, Boolean.TRUE);
      }
      return;
    }
    int type = switch (d.state()) {
      case SENT -> DLR_SMSC_ACCEPTED;
      case DELIVERED -> DLR_DELIVERED;
      // Failed before the SMSC took it: rejected by the SMSC; failed after: undelivered.
      case FAILED -> d.smscIds().isPresent() ? DLR_UNDELIVERED : DLR_SMSC_REJECTED;
      default -> 0;
    };
    if (type == 0 || (c.get().mask() & type) == 0) {
      return;
    }
    // In the order of the message's states: "delivered" must not reach the client before "accepted".
    http.get(message.toString(), expand(c.get().url(), type, d, c.get().sender(), detail, clock.instant().getEpochSecond()));
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

  /** Kannel's dlr-url escapes: %d type, %F SMSC id, %p recipient, %P sender, %T time, %A reply text, %% literal. */
  static String expand(String url, int type, Delivery d, String sender, String detail, long epochSeconds) {
    StringBuilder out = new StringBuilder(url.length() + 32);
    for (int i = 0; i < url.length(); i++) {
      char ch = url.charAt(i);
      if (ch != '%' || i + 1 >= url.length()) {
        out.append(ch);
        continue;
      }
      char k = url.charAt(++i);
      switch (k) {
        case 'd' -> out.append(type);
        case 'F' -> out.append(enc(d.smscIds().map(s -> s.split(",")[0]).orElse("")));
        case 'p' -> out.append(enc(d.recipient().e164()));
        case 'P' -> out.append(enc(sender));
        case 'T' -> out.append(epochSeconds);
        case 'A' -> out.append(enc(detail));
        case '%' -> out.append('%');
        default -> out.append('%').append(k);
      }
    }
    return out.toString();
  }

  /** application/x-www-form-urlencoded, as Kannel escapes values it puts in a URL (space → '+'). */
  static String enc(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '*') {
        out.append((char) c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /** For tests of the mapping. */
  static boolean finalState(DeliveryState s) {
    return s == DeliveryState.DELIVERED || s == DeliveryState.FAILED;
  }
}
