package chatgate.core.im;

import chatgate.core.model.Msisdn;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One phone's IM state: its sessions by account, its last WHO list and partner. Guarded by itself. */
final class ImPhone {
  final Msisdn msisdn;
  final Map<String, ImLink> links = new LinkedHashMap<>();
  List<ImRelay.Entry> lastWho = List.of();
  ImRelay.Entry lastPartner;
  Instant lastPartnerAt = Instant.EPOCH;
  Instant lastUse;

  ImPhone(Msisdn msisdn, Instant now) {
    this.msisdn = msisdn;
    this.lastUse = now;
  }
}
