package chatgate.core.chat;

import chatgate.core.delivery.SmsComposer;
import chatgate.core.limits.Destinations;
import chatgate.core.limits.LimitTrips;
import chatgate.core.limits.SenderQuotas;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.port.MessageStore;
import chatgate.core.port.PresenceRegistry;
import chatgate.core.port.Telemetry;
import chatgate.core.sms.Segmenter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the chat service refuses to spend (ADR 0017): SMS to numbers outside
 * {@code [sms] allowed_destinations}, and more than a phone's quotas. Kept apart from
 * {@link ChatService} so that the send path reads as before: check, store, dispatch.
 */
final class ChatLimits {
  private final PresenceRegistry presence;
  private final Function<Msisdn, String> labels;
  private final String sampleLink;
  private final LimitTrips trips = new LimitTrips();
  private volatile Destinations destinations;
  private volatile SenderQuotas quotas;

  ChatLimits(MessageStore store, PresenceRegistry presence, Function<Msisdn, String> labels, String sampleLink,
      Destinations destinations) {
    this.presence = presence;
    this.labels = labels;
    this.sampleLink = sampleLink;
    this.destinations = destinations;
    configure(store, destinations, SenderQuotas.Settings.unlimited(), 4);
  }

  void configure(MessageStore store, Destinations d, SenderQuotas.Settings s, int maxSegments) {
    SmsComposer composer = new SmsComposer(maxSegments);
    this.destinations = d;
    this.quotas = new SenderQuotas(store, s, trips, (sender, body) -> {
      // The SMS as the delivery stage will frame it; either language's framing, whichever costs more.
      String label = labels.apply(sender);
      int en = Segmenter.count(composer.compose(Language.EN, label, Optional.empty(), body, sampleLink));
      int zh = Segmenter.count(composer.compose(Language.ZH, label, Optional.empty(), body, sampleLink));
      return Math.min(maxSegments, Math.max(en, zh));
    });
  }

  void telemetry(Telemetry t) {
    trips.telemetry(t);
  }

  boolean smsAllowed(Msisdn m) {
    return destinations.allows(m);
  }

  /** A number the gateway may not text: refused, counted, logged once a minute. */
  Optional<SendResult> deniedDestination(Msisdn m, String shown, Instant now) {
    if (destinations.allows(m)) {
      return Optional.empty();
    }
    trips.trip("sms_destination", 0, Duration.ofMinutes(1), now, "a message to " + m.masked());
    return Optional.of(new SendResult.Rejected(SendResult.Problem.DENIED_DESTINATION, shown));
  }

  /**
   * Stores the message through {@code accept} if the sender's quotas allow it. Its SMS cost: its
   * segments times the recipients the gateway may text who are not browsing now.
   */
  SendResult admit(Msisdn sender, String body, List<Msisdn> recipients, Instant now, boolean answeredBySms,
      Supplier<SendResult> accept) {
    long smsRecipients = recipients.stream()
        .filter(r -> destinations.allows(r) && !presence.presence(r, now).browsing()).count();
    SenderQuotas q = quotas;
    long cost = smsRecipients == 0 ? 0 : smsRecipients * q.cost(sender, body);
    SenderQuotas.Result<SendResult> r = q.admit(sender, cost, now, accept,
        s -> s instanceof SendResult.Sent sent && !sent.duplicate(), answeredBySms);
    if (r.refusal() != null) {
      long minutes = Math.max(1, (r.refusal().retryAfter().toSeconds() + 59) / 60);
      return new SendResult.Rejected(SendResult.Problem.OVER_QUOTA, Long.toString(minutes), r.refusal().repeated());
    }
    return r.accepted();
  }
}
