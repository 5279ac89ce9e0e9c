package chatgate.core.sms;

import chatgate.core.auth.Keys;
import chatgate.core.port.MoPartStore.MoPart;
import chatgate.core.port.MoPartStore;
import chatgate.core.port.SmsInbound.MobileOriginated;
import chatgate.core.port.SmsInbound;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Joins the parts of a concatenated MO SMS (in any order) into one message for the gateway.
 * Every part is stored before the SMSC hears back, so parts survive a restart; a message whose
 * parts stop coming is handed on after {@code timeout} with what arrived, a gap marked "…",
 * rather than lost.
 */
public final class MoReassembler {
  /** Marks a missing part in a message given up on. */
  public static final String GAP = "…";

  private final MoPartStore parts;
  private final SmsInbound sink;
  private final Clock clock;
  private final Duration timeout;
  private final Keys keys;

  /** {@code keys}: the gateway's (the same on every node and across restarts, as refs must be). */
  public MoReassembler(MoPartStore parts, SmsInbound sink, Clock clock, Duration timeout, Keys keys) {
    this.keys = keys;
    this.parts = parts;
    this.sink = sink;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** The key of a concatenated message: the same sender, recipient, reference and total. */
  public static String key(String from, String to, int ref, int total) {
    return from + "|" + to + "|" + ref + "|" + total;
  }

  /**
   * Stores a part, its text sealed (a part may hold a password), and hands the message on when
   * it is whole. Throws if the part could not be stored.
   */
  public void onPart(MoPart part) {
    List<MoPart> all = parts.add(new MoPart(part.key(), part.seq(), part.total(), part.from(), part.to(),
        keys.seal(part.text()), part.imsi(), part.receivedAt()));
    if (!all.isEmpty() && all.size() == part.total()) {
      handOn(part.key(), all);
    }
  }

  /**
   * Hands on the messages whose parts stopped coming, and the ones left whole by a crash between
   * storing the last part and handing the message on. Returns how many were handed on.
   */
  public int sweep() {
    Instant now = clock.instant();
    int n = 0;
    for (String key : parts.waitingSince(now.plusMillis(1))) {
      List<MoPart> got = parts.parts(key);
      if (got.isEmpty()) {
        continue;
      }
      Instant first = got.stream().map(MoPart::receivedAt).min(Instant::compareTo).orElseThrow();
      boolean whole = got.size() == got.getFirst().total();
      if (whole || !first.plus(timeout).isAfter(now)) {
        handOn(key, got);
        n++;
      }
    }
    parts.forgetCompleted(now.minus(timeout.multipliedBy(2)));
    return n;
  }

  private void handOn(String key, List<MoPart> got) {
    MoPart head = got.getFirst();
    StringBuilder text = new StringBuilder();
    int expect = 1;
    for (MoPart p : got) {
      if (p.seq() != expect) {
        text.append(GAP);
      }
      text.append(keys.openIfSealed(p.text()));
      expect = p.seq() + 1;
    }
    if (expect <= head.total()) {
      text.append(GAP);
    }
    Instant first = got.stream().map(MoPart::receivedAt).min(Instant::compareTo).orElseThrow();
    var imsi = got.stream().map(MoPart::imsi).filter(Optional::isPresent).map(Optional::get).findFirst();
    // The ref names this message and no other (the key is reused when the phone's 8-bit reference
    // wraps), the same after a restart, and shows no number: a keyed MAC of the key and the time.
    String ref = "part:" + keys.macB64(Keys.Purpose.MO_REF, "concat|" + key + "|" + first.toEpochMilli(), 12);
    sink.onMobileOriginated(new MobileOriginated(ref, head.from(), head.to(), text.toString(), first, imsi));
    parts.complete(key, clock.instant());
  }
}
