package chatgate.cluster;

import chatgate.core.model.ImContact;
import chatgate.core.model.Msisdn;
import chatgate.core.port.ImSubmitter;
import chatgate.core.port.ImSubmitter.Outcome;
import chatgate.core.port.SmsInbound.MobileOriginated;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The wire forms {@link NatsImOwners} hands between nodes: an MO for the phone's IM sessions, a
 * stored IM text for the node holding the session, and that text's outcome. Nodes of two
 * releases run side by side in a rolling restart: a field added here must be optional.
 */
final class ImWire {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImWire() {}

  /** An MO handed over. */
  record Wire(String ref, String from, String to, String text, long receivedAt, String imsi) {}

  record WireSubmission(long deliveryId, String phone, String account, String contact, String text, String stanzaId,
      boolean handedBefore, long since) {}

  record WireOutcome(String kind, String reason) {}

  static byte[] mo(MobileOriginated mo) {
    return write(new Wire(mo.ref(), mo.from().e164(), mo.to(), mo.text(), mo.receivedAt().toEpochMilli(),
        mo.imsi().orElse(null)));
  }

  static MobileOriginated mo(byte[] body) throws IOException {
    Wire w = JSON.readValue(body, Wire.class);
    return new MobileOriginated(w.ref(), Msisdn.of(w.from()), w.to(), w.text(), Instant.ofEpochMilli(w.receivedAt()),
        Optional.ofNullable(w.imsi()));
  }

  static byte[] submission(ImSubmitter.Submission s) {
    return write(new WireSubmission(s.deliveryId(), s.phone().e164(), s.to().account(), s.to().address(), s.text(),
        s.stanzaId(), s.handedBefore(), s.since() == null ? 0 : s.since().toEpochMilli()));
  }

  static ImSubmitter.Submission submission(byte[] body) throws IOException {
    WireSubmission w = JSON.readValue(body, WireSubmission.class);
    return new ImSubmitter.Submission(w.deliveryId(), Msisdn.of(w.phone()), new ImContact(w.account(), w.contact()),
        w.text(), w.stanzaId(), w.handedBefore(), w.since() == 0 ? null : Instant.ofEpochMilli(w.since()));
  }

  static byte[] outcome(Outcome o) {
    return write(switch (o) {
      case Outcome.Sent x -> new WireOutcome("SENT", "");
      case Outcome.Failed f -> new WireOutcome("FAILED", f.reason());
      case Outcome.InDoubt x -> new WireOutcome("IN_DOUBT", "");
      case Outcome.NoSession x -> new WireOutcome("NO_SESSION", "");
      case Outcome.Retry r -> new WireOutcome("RETRY", r.reason());
    });
  }

  static Outcome outcome(byte[] reply) throws IOException {
    WireOutcome o = JSON.readValue(reply, WireOutcome.class);
    return switch (o.kind()) {
      case "SENT" -> new Outcome.Sent();
      case "FAILED" -> new Outcome.Failed(o.reason());
      case "IN_DOUBT" -> new Outcome.InDoubt();
      case "NO_SESSION" -> new Outcome.NoSession();
      default -> new Outcome.Retry(o.reason());
    };
  }

  private static byte[] write(Object wire) {
    try {
      return JSON.writeValueAsBytes(wire);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
