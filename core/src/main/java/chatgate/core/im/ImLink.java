package chatgate.core.im;

import chatgate.core.i18n.Texts;
import chatgate.core.i18n.Texts.Sms;
import chatgate.core.model.Language;
import chatgate.core.port.ImPort;
import chatgate.core.port.ImPort.Contact;
import chatgate.core.port.ImPort.ImSession;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One phone's session on one account: what the IM side sends comes to the phone by SMS (P1.7). */
final class ImLink implements ImPort.Events {
  private static final Logger log = LoggerFactory.getLogger(ImLink.class);

  final ImPhone phone;
  final String typed;
  volatile ImSession session;
  volatile boolean closed;
  private final ImRelay r;

  ImLink(ImRelay relay, ImPhone phone, String typed) {
    this.r = relay;
    this.phone = phone;
    this.typed = typed;
  }

  String account() {
    ImSession s = session;
    return s == null ? typed : s.account();
  }

  /** A contact's message: to the phone, prefixed with the contact's name (and the account, with several). */
  @Override
  public void onMessage(String from, String text, String id) {
    if (closed) {
      return;
    }
    Contact c = contactOf(from);
    boolean several;
    synchronized (phone) {
      phone.lastPartner = new ImRelay.Entry(account(), c);
      phone.lastPartnerAt = r.clock.instant();
      several = phone.links.size() > 1;
    }
    String prefix = several ? "[" + ImRelay.shortName(account()) + "]" : "";
    Language lang = r.language(phone.msisdn);
    String body = prefix + c.name() + (lang == Language.ZH ? "：" : ": ") + text;
    // Unsolicited: not sent once the phone sent STOP.
    r.texter.send(phone.msisdn, body, "im:" + account() + ":" + from + ":" + id, false);
  }

  /** A contact's XEP-0184 receipt for a text of the phone: the delivery stage marks it DELIVERED (ADR 0022). */
  @Override
  public void onReceipt(String from, String id) {
    if (!closed) {
      r.deliveries.receipt(phone.msisdn, from, id);
    }
  }

  /** Back after a drop: the phone's texts that waited for it go now, oldest first. */
  @Override
  public void onBack() {
    if (!closed) {
      r.deliveries.sessionUp(phone.msisdn, account());
    }
  }

  @Override
  public void onPresence(Contact contact) {
    // Kept by the session's roster for WHO; a presence change is never texted on its own.
  }

  @Override
  public void onEnded(ImPort.EndReason why, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    boolean last;
    synchronized (phone) {
      phone.links.remove(account());
      last = phone.links.isEmpty();
    }
    r.records.loggedOut(phone.msisdn, account());
    if (last) {
      r.owners.released(phone.msisdn);
    }
    log.info("IM session of {} on {} ended by the server ({}): {}", phone.msisdn.masked(), account(), why, reason);
    // Replaced or kicked is final (the port does not log in again): the phone is told which (issue 16).
    Sms text = switch (why) {
      case REPLACED -> Sms.IM_REPLACED;
      case KICKED -> Sms.IM_KICKED;
      case SERVER_GONE -> Sms.IM_ENDED;
    };
    r.texter.send(phone.msisdn, Texts.sms(r.language(phone.msisdn), text, account()),
        "imend:" + phone.msisdn.e164() + ":" + account() + ":" + r.clock.millis(), false);
  }

  private Contact contactOf(String from) {
    ImSession s = session;
    if (s != null) {
      for (Contact c : s.contacts()) {
        if (c.address().equalsIgnoreCase(from)) {
          return c;
        }
      }
    }
    return new Contact(from, ImRelay.shortName(from), true, Optional.empty());
  }
}
