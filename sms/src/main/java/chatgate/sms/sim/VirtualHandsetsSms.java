package chatgate.sms.sim;

import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsPort;
import chatgate.core.port.VirtualHandsets;
import chatgate.core.sms.Segmenter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in SMSC simulator in its simplest form: virtual handsets inside the process. An MT
 * lands in the recipient's inbox (split into the segments a real SMSC would carry, each with its
 * own message id, and shown whole); a repeated ref is the same SMS; an SMS "typed" on a handset
 * goes to the gateway as an MO.
 */
public final class VirtualHandsetsSms implements SmsPort, VirtualHandsets {
  private static final Logger log = LoggerFactory.getLogger(VirtualHandsetsSms.class);
  private static final int INBOX_MAX = 200;

  private final String serviceNumber;
  private final Clock clock;
  private final AtomicLong seq = new AtomicLong();
  private final Map<Msisdn, List<HandsetSms>> inboxes = new TreeMap<>();
  private final Map<String, List<String>> sentRefs = new HashMap<>();
  private volatile SmsInbound sink;

  public VirtualHandsetsSms(String serviceNumber, Clock clock) {
    this.serviceNumber = serviceNumber;
    this.clock = clock;
  }

  /** Where MOs and DLRs go: the gateway's inbound side. */
  public void inbound(SmsInbound sink) {
    this.sink = sink;
  }

  @Override
  public synchronized CompletionStage<SubmitOutcome> submit(OutboundSms sms) {
    List<String> known = sentRefs.get(sms.ref());
    if (known != null) {
      return CompletableFuture.completedFuture(new SubmitOutcome.Accepted(known));
    }
    try {
      sms.gate().opening();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new SubmitOutcome.Retry("not sent: " + e.getMessage(), Duration.ofSeconds(1)));
    }
    int segments = sms.wapPushUrl().isPresent() ? 1 : Segmenter.count(sms.text());
    List<String> ids = new ArrayList<>(segments);
    for (int i = 0; i < segments; i++) {
      ids.add(Long.toHexString(seq.incrementAndGet() + 0x10000));
    }
    sentRefs.put(sms.ref(), List.copyOf(ids));
    List<HandsetSms> inbox = inboxes.computeIfAbsent(sms.to(), k -> new ArrayList<>());
    inbox.add(new HandsetSms(seq.incrementAndGet(), sms.to(), serviceNumber, sms.text(), sms.wapPushUrl(),
        clock.instant()));
    if (inbox.size() > INBOX_MAX) {
      inbox.remove(0);
    }
    log.info("simulator MT {} to {} segments={}", sms.ref(), sms.to().masked(), segments);
    return CompletableFuture.completedFuture(new SubmitOutcome.Accepted(List.copyOf(ids)));
  }

  @Override
  public String serviceNumber() {
    return serviceNumber;
  }

  @Override
  public synchronized List<Msisdn> handsets() {
    return List.copyOf(inboxes.keySet());
  }

  @Override
  public synchronized List<HandsetSms> inbox(Msisdn handset, int limit) {
    List<HandsetSms> all = new ArrayList<>(inboxes.getOrDefault(handset, List.of()));
    Collections.reverse(all);
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  @Override
  public void sendMo(Msisdn from, String text) {
    SmsInbound s = sink;
    if (s == null) {
      throw new IllegalStateException("simulator not connected to the gateway");
    }
    synchronized (this) {
      inboxes.computeIfAbsent(from, k -> new ArrayList<>());
    }
    String ref = "sim-" + clock.millis() + "-" + seq.incrementAndGet();
    s.onMobileOriginated(new SmsInbound.MobileOriginated(ref, from, serviceNumber, text, clock.instant(),
        Optional.empty()));
  }
}
