package chatgate.core.im;

import chatgate.core.chat.SendResult;
import chatgate.core.i18n.Texts;
import chatgate.core.i18n.Texts.Sms;
import chatgate.core.model.ImContact;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.port.ImPort;
import chatgate.core.port.ImPort.Contact;
import chatgate.core.port.ImSubmitter.Outcome;
import chatgate.core.port.ImSubmitter.Submission;
import chatgate.core.port.ImSubmitter.Why;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A phone's texts to its IM contacts (ADR 0022): stored when the MO comes (so the MO is answered
 * once that is durable), submitted through the phone's session when the delivery stage asks, and
 * told to the phone, once and in its language, when one does not go or may not have arrived. One
 * left in doubt by a lost session is settled by the server's archive (ADR 0030).
 */
final class ImTexts {
  private static final Logger log = LoggerFactory.getLogger(ImTexts.class);
  /**
   * A text in doubt for longer than this is not looked for in the server's archive (archives
   * expire, Prosody's after a week by default): the phone is told it may not have arrived.
   */
  static final Duration IN_DOUBT_ASKABLE = Duration.ofHours(24);

  private final ImRelay r;

  ImTexts(ImRelay relay) {
    this.r = relay;
  }

  /**
   * Stores the text for the delivery stage (ADR 0022), so the MO is answered once it is durable,
   * not once the IM server took it: the stage submits it through {@link ImRelay#submit}. A refusal
   * (quota, bad text) is answered by SMS.
   */
  void store(ImPhone p, Language lang, ImRelay.Entry to, String text, String ref) {
    ImLink link;
    synchronized (p) {
      link = p.links.get(to.account());
      p.lastUse = r.clock.instant();
      p.lastPartner = to;
      p.lastPartnerAt = r.clock.instant();
    }
    if (link == null || link.session == null) {
      r.texter.send(p.msisdn, Texts.sms(lang, Sms.IM_NOT_LOGGED_IN), ref + ":r", true);
      return;
    }
    if (r.sweeps.endRemoved(p, ref + ":r")) {
      synchronized (p) {
        if (!p.links.containsValue(link)) {
          return; // the account was removed: not sent as it, and the phone was told
        }
      }
    }
    ImRelay.Outbox out = r.outbox;
    if (out == null) {
      r.texter.send(p.msisdn, Texts.sms(lang, Sms.IM_UNAVAILABLE), ref + ":r", true);
      return;
    }
    ImContact contact = new ImContact(link.account(), to.contact().address());
    if (names.size() > 10_000) {
      names.clear(); // a cache: the address's local part serves meanwhile
    }
    names.put(contact.address(), to.contact().name());
    SendResult result = out.toIm(p.msisdn, contact, text, ref);
    if (result instanceof SendResult.Rejected rj) {
      String answer = switch (rj.problem()) {
        case EMPTY -> Texts.sms(lang, Sms.ERR_EMPTY);
        case TOO_LONG -> Texts.sms(lang, Sms.ERR_TOO_LONG, rj.detail());
        case BAD_TEXT -> Texts.sms(lang, Sms.ERR_BAD_TEXT);
        // Told once per quota and window (ADR 0017).
        case OVER_QUOTA -> rj.repeated() ? null : Texts.overQuota(lang, Long.parseLong(rj.detail()));
        default -> Texts.sms(lang, Sms.IM_NOT_SENT, to.contact().name(), clip(rj.problem().toString()));
      };
      if (answer != null) {
        r.texter.send(p.msisdn, answer, ref + ":r", true);
      }
    }
  }

  /**
   * The delivery stage submits a stored text: through the phone's session here, or through the
   * node that holds it; a phone with no session on that account anywhere waits for its login.
   */
  CompletionStage<Outcome> submit(Submission s) {
    ImLink link = link(s.phone(), s.to().account());
    if (link != null) {
      return submitHere(link, s);
    }
    if (!r.loggedIn(s.phone()) && r.owners.heldAnywhere(s.phone())) {
      return r.owners.submit(s);
    }
    return CompletableFuture.completedFuture(new Outcome.NoSession());
  }

  /** A submission another node handed to this one, which holds the phone's session (issue 7). */
  CompletionStage<Outcome> submitHere(Submission s) {
    ImLink link = link(s.phone(), s.to().account());
    return link == null ? CompletableFuture.completedFuture(new Outcome.NoSession()) : submitHere(link, s);
  }

  private CompletionStage<Outcome> submitHere(ImLink link, Submission s) {
    ImPort.ImSession session = link.session;
    if (s.handedBefore() && !session.knows(s.stanzaId())) {
      return settle(session, s);
    }
    return send(session, s);
  }

  /**
   * A text handed to a session that is gone (a crash, or a new login since) before the server
   * confirmed it (ADR 0030): the server's archive says whether it got it. Archived: sent, not
   * again. Not archived: the server never took it, so it goes now, with the same id. The server
   * cannot tell (no archive, too long ago): in doubt, as before, and the phone is told so.
   */
  private CompletionStage<Outcome> settle(ImPort.ImSession session, Submission s) {
    Instant now = r.clock.instant();
    if (s.since() == null || s.since().isBefore(now.minus(IN_DOUBT_ASKABLE))) {
      return CompletableFuture.completedFuture(new Outcome.InDoubt());
    }
    CompletionStage<ImPort.Archived> asked;
    try {
      asked = session.archived(s.to().address(), s.stanzaId(), s.since());
    } catch (RuntimeException e) {
      asked = CompletableFuture.failedFuture(e);
    }
    return asked.toCompletableFuture().thenCompose(a -> switch (a) {
      case YES -> {
        log.info("IM text d{} of {} in doubt: the server's archive has it, not sent again", s.deliveryId(),
            s.phone().masked());
        yield CompletableFuture.completedFuture((Outcome) new Outcome.Sent());
      }
      case NO -> {
        log.info("IM text d{} of {} in doubt: not in the server's archive, sent again with the same id",
            s.deliveryId(), s.phone().masked());
        yield send(session, s);
      }
      case UNKNOWN -> CompletableFuture.completedFuture((Outcome) new Outcome.InDoubt());
    }).exceptionally(e -> new Outcome.Retry("archive not asked: " + e.getMessage()));
  }

  private CompletionStage<Outcome> send(ImPort.ImSession session, Submission s) {
    return session.send(s.to().address(), s.text(), s.stanzaId(),
        () -> r.deliveries.handing(s.deliveryId(), s.stanzaId())).thenApply(r -> switch (r) {
          case ImPort.SendResult.Sent sent -> new Outcome.Sent();
          case ImPort.SendResult.Failed f -> new Outcome.Failed(f.reason());
          case ImPort.SendResult.Retry x -> new Outcome.Retry(x.reason());
        });
  }

  private ImLink link(Msisdn phone, String account) {
    for (ImLink l : ImRelay.links(r.phones.get(phone))) {
      if (!l.closed && l.session != null && l.account().equalsIgnoreCase(account)) {
        return l;
      }
    }
    return null;
  }

  void undelivered(Submission s, Why why, String detail) {
    Language lang = r.language(s.phone());
    String name = contactName(s.phone(), s.to());
    String quoted = quote(s.text());
    String text = switch (why) {
      case REFUSED -> Texts.sms(lang, Sms.IM_NOT_SENT, name, clip(detail));
      case LOGGED_OUT -> Texts.sms(lang, Sms.IM_NOT_SENT_LOGGED_OUT, name, quoted);
      case EXPIRED -> Texts.sms(lang, Sms.IM_NOT_SENT_NO_LOGIN, name, quoted);
      case SESSION_LOST -> Texts.sms(lang, Sms.IM_UNCONFIRMED, name, quoted);
    };
    // Once per delivery, whichever node tells it: the ref de-duplicates.
    r.texter.send(s.phone(), text, "imundelivered:d" + s.deliveryId(), true);
  }

  /** Contacts' names as the phones last wrote to them, for telling a phone after its session ended. */
  private final Map<String, String> names = new ConcurrentHashMap<>();

  private String contactName(Msisdn phone, ImContact to) {
    ImLink l = link(phone, to.account());
    if (l != null) {
      for (Contact c : l.session.contacts()) {
        if (c.address().equalsIgnoreCase(to.address())) {
          return c.name();
        }
      }
    }
    return names.getOrDefault(to.address(), ImRelay.shortName(to.address()));
  }

  /** The start of a text, quoted, so the phone knows which one (the SMS stays one segment). */
  private static String quote(String text) {
    String t = text.strip();
    return "\u201c" + (t.length() > 16 ? t.substring(0, 16) + "\u2026" : t) + "\u201d";
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

}
