package chatgate.core.im;

import chatgate.core.i18n.Texts.Sms;
import chatgate.core.i18n.Texts;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.port.ImAccounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ends of IM sessions that the phone did not ask for, each told by one SMS (not sent after
 * STOP, ADR 0016): idle sessions, sessions of accounts removed while logged in, sessions lost in
 * a restart or with a node that died, and the gateway stopping.
 */
final class ImSessionSweeps {
  private static final Logger log = LoggerFactory.getLogger(ImSessionSweeps.class);

  private final ImRelay r;
  /** How long a stop waits for the cut sessions' sockets to close, at most. */
  private static final long ABORT_WAIT_MS = 500;

  ImSessionSweeps(ImRelay relay) {
    this.r = relay;
  }

  /**
   * Ends the phone's sessions on accounts that no longer exist (removed by {@code admin
   * im-account remove}, which runs in another process against the same store) and tells the
   * phone once, with {@code ref} (the reply to its MO, or a notice). True if any ended.
   */
  boolean endRemoved(ImPhone p, String ref) {
    if (p == null) {
      return false;
    }
    List<ImLink> removed = new ArrayList<>();
    for (ImLink l : ImRelay.links(p)) {
      if (l.session != null && !r.im.exists(l.account())) {
        removed.add(l);
      }
    }
    if (removed.isEmpty()) {
      return false;
    }
    synchronized (p) {
      removed.removeIf(l -> !p.links.remove(l.account(), l)); // ended meanwhile: told already
      if (p.links.isEmpty()) {
        p.lastWho = List.of();
        p.lastPartner = null;
      } else {
        p.lastWho = p.lastWho.stream().filter(e -> p.links.containsKey(e.account())).toList();
        if (p.lastPartner != null && !p.links.containsKey(p.lastPartner.account())) {
          p.lastPartner = null;
        }
      }
    }
    if (removed.isEmpty()) {
      return false;
    }
    r.end(p.msisdn, removed);
    String accounts = removed.stream().map(ImLink::account).collect(Collectors.joining(", "));
    log.info("IM sessions of {} on {} ended: the account was removed", p.msisdn.masked(), accounts);
    boolean reply = ref != null;
    r.texter.send(p.msisdn, Texts.sms(r.language(p.msisdn), Sms.IM_REMOVED, accounts),
        reply ? ref : "imremoved:" + p.msisdn.e164() + ":" + r.clock.millis(), reply);
    return true;
  }

  /** Idle sessions and sessions of removed accounts end; returns how many phones were told. */
  int sweepIdle() {
    Instant cutoff = r.clock.instant().minus(r.settings.idle());
    int n = 0;
    for (ImPhone p : r.phones.values()) {
      if (endRemoved(p, null)) {
        n++;
      }
      List<ImLink> ended;
      synchronized (p) {
        if (p.links.isEmpty() || p.lastUse.isAfter(cutoff)) {
          continue;
        }
        ended = List.copyOf(p.links.values());
        p.links.clear();
        p.lastWho = List.of();
        p.lastPartner = null;
      }
      r.end(p.msisdn, ended);
      Language lang = r.language(p.msisdn);
      r.texter.send(p.msisdn, Texts.sms(lang, Sms.IM_IDLE, ended.stream().map(ImLink::account)
              .collect(Collectors.joining(", ")), human(r.settings.idle())),
          "imidle:" + p.msisdn.e164() + ":" + r.clock.millis(), false);
      n++;
    }
    return n;
  }

  private static String human(Duration d) {
    return d.toMinutes() % 60 == 0 && d.toHours() > 0 ? d.toHours() + "h" : d.toMinutes() + "min";
  }

  /**
   * Phones recorded as logged in whose sessions no live node holds any more are told to log in
   * again, once: of several nodes sweeping, only the one whose delete removed the record tells.
   */
  int tellOrphaned(Duration grace) {
    Instant cutoff = r.clock.instant().minus(grace);
    Map<Msisdn, List<String>> byPhone = new LinkedHashMap<>();
    for (ImAccounts.Login l : r.records.logins()) {
      if (l.at().isAfter(cutoff) || r.loggedIn(l.phone()) || r.owners.heldAnywhere(l.phone())) {
        continue;
      }
      if (r.records.loggedOut(l.phone(), l.account())) {
        byPhone.computeIfAbsent(l.phone(), k -> new ArrayList<>()).add(l.account());
      }
    }
    long now = r.clock.millis();
    for (var e : byPhone.entrySet()) {
      log.info("IM sessions of {} were held by a node that stopped: told to log in again", e.getKey().masked());
      r.texter.send(e.getKey(), Texts.sms(r.language(e.getKey()), Sms.IM_LOST, String.join(", ", e.getValue())),
          "imlost:" + e.getKey().e164() + ":" + now, false);
    }
    return byPhone.size();
  }

  /** At start-up: phones that were logged in before the restart are told to log in again. */
  int tellRestarted() {
    Map<Msisdn, List<String>> byPhone = new LinkedHashMap<>();
    for (ImAccounts.Login l : r.records.logins()) {
      byPhone.computeIfAbsent(l.phone(), k -> new ArrayList<>()).add(l.account());
    }
    long now = r.clock.millis();
    for (var e : byPhone.entrySet()) {
      r.texter.send(e.getKey(), Texts.sms(r.language(e.getKey()), Sms.IM_RESTARTED, String.join(", ", e.getValue())),
          "imrestart:" + e.getKey().e164() + ":" + now, false);
      for (String a : e.getValue()) {
        r.records.loggedOut(e.getKey(), a);
      }
    }
    return byPhone.size();
  }

  /**
   * Ends every session (gateway stopping) by {@code deadline}: all logouts at once, each on its
   * own virtual thread (one after another, 10,000 sessions took minutes, issue 20); a session
   * whose server has not closed its stream by then is cut. The records stay, so the phones are
   * told after the restart. Returns how many were cut.
   */
  int close(Instant deadline) {
    List<ImLink> open = new ArrayList<>();
    for (ImPhone p : r.phones.values()) {
      for (ImLink l : ImRelay.links(p)) {
        l.closed = true;
        if (l.session != null) {
          open.add(l);
        }
      }
    }
    if (open.isEmpty()) {
      return 0;
    }
    long t0 = System.nanoTime();
    CountDownLatch done = new CountDownLatch(open.size());
    Set<ImLink> pending = ConcurrentHashMap.newKeySet();
    pending.addAll(open);
    for (ImLink l : open) {
      Thread.ofVirtual().name("im-logout").start(() -> {
        try {
          l.session.logout();
        } catch (RuntimeException e) {
          log.debug("IM logout while stopping: {}", e.toString());
        } finally {
          pending.remove(l);
          done.countDown();
        }
      });
    }
    try {
      long wait = Duration.between(Instant.now(), deadline).toNanos();
      done.await(Math.max(0, wait), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Cut the rest, all at once too; the process exit closes any socket an abort has not closed
    // in time, so this waits briefly, never for a server.
    List<ImLink> late = List.copyOf(pending);
    CountDownLatch cutDone = new CountDownLatch(late.size());
    for (ImLink l : late) {
      Thread.ofVirtual().name("im-abort").start(() -> {
        try {
          l.session.abort();
        } catch (RuntimeException e) {
          log.debug("IM abort while stopping: {}", e.toString());
        } finally {
          cutDone.countDown();
        }
      });
    }
    try {
      cutDone.await(ABORT_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("ended {} IM sessions in {} ms ({} cut: no answer by the stop deadline)", open.size(),
        (System.nanoTime() - t0) / 1_000_000, late.size());
    return late.size();
  }
}
