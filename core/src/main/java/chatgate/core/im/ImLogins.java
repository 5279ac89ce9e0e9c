package chatgate.core.im;

import chatgate.core.chat.DisplayNames;
import chatgate.core.i18n.Texts.Sms;
import chatgate.core.i18n.Texts;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.port.ImAccounts;
import chatgate.core.port.ImPort.Contact;
import chatgate.core.port.ImPort.ImSession;
import chatgate.core.port.ImPort.LoginResult;
import chatgate.core.port.ImPort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging a phone in to IM accounts (P1.2–P1.4, P1.8) within the guessing limits of
 * {@link ImLockout}, and the numbered lists of online contacts a login or WHO texts back. The
 * password lives only in the login call: it is handed to the IM port and the array is wiped.
 */
final class ImLogins {
  private static final Logger log = LoggerFactory.getLogger(ImLogins.class);

  private final ImRelay r;

  ImLogins(ImRelay relay) {
    this.r = relay;
  }

  /**
   * Logs the phone in to an account (P1.2–P1.4) and texts the outcome: the numbered online
   * contacts, "send again" for wrong credentials, a clear word when the server cannot be reached.
   * Guessing is limited per phone and account, per phone, and per account ({@link ImLockout}).
   */
  void login(Msisdn phoneNumber, Language lang, String typedAccount, String name, char[] password, String ref) {
    try {
      Instant now = r.clock.instant();
      String account = typedAccount.strip().toLowerCase(Locale.ROOT);
      String address = account.contains("@") ? account : account + "@" + r.im.defaultDomain();
      Optional<Duration> wait = r.lockout.locked(phoneNumber, address, now);
      if (wait.isPresent()) {
        r.texter.send(phoneNumber, Texts.sms(lang, Sms.IM_LOCKED, wait.get().toMinutes()), ref + ":r", true);
        return;
      }
      ImPhone p = r.phone(phoneNumber);
      synchronized (p) {
        p.lastUse = now;
        if (!p.links.containsKey(account) && p.links.size() >= r.settings.maxAccounts()) {
          r.texter.send(phoneNumber, Texts.sms(lang, Sms.IM_TOO_MANY, r.settings.maxAccounts()), ref + ":r", true);
          return;
        }
      }
      ImLink link = new ImLink(r, p, account);
      LoginResult result;
      try {
        result = r.im.login(new ImPort.Credentials(account, password), link, r.settings.loginTimeout())
            .toCompletableFuture().get(r.settings.loginTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        result = new LoginResult.Unavailable(e.getClass().getSimpleName());
      }
      switch (result) {
        case LoginResult.Ok ok -> {
          link.session = ok.session();
          String canonical = ok.session().account();
          ImLink old;
          synchronized (p) {
            old = p.links.remove(canonical);
            p.links.put(canonical, link);
          }
          if (old != null && old.session != null) {
            old.closed = true;
            old.session.logout();
          }
          r.lockout.succeeded(phoneNumber, address, now);
          // Held before recorded: a live node never finds this login recorded but unheld.
          r.owners.holding(phoneNumber);
          r.records.loggedIn(new ImAccounts.Login(phoneNumber, canonical, now));
          log.info("IM login of {} to {} ok", phoneNumber.masked(), canonical);
          keepName(phoneNumber, ok.session(), name);
          r.texter.send(phoneNumber, contactList(p, lang, canonical, ok.session()), ref + ":r", true);
          // Texts the phone wrote to contacts of this account before (a restart, a lost session) go now.
          r.deliveries.sessionUp(phoneNumber, canonical);
        }
        case LoginResult.BadCredentials bad -> {
          r.telemetry.loginFailure("im");
          r.lockout.failed(phoneNumber, address, now);
          log.info("IM login of {} to {} refused", phoneNumber.masked(), account);
          r.texter.send(phoneNumber, Texts.sms(lang, Sms.IM_BAD_LOGIN), ref + ":r", true);
        }
        case LoginResult.Unavailable u -> {
          log.info("IM login of {} to {}: server unavailable ({})", phoneNumber.masked(), account, u.reason());
          r.texter.send(phoneNumber, Texts.sms(lang, u.sessionLimit() ? Sms.IM_GATEWAY_FULL : Sms.IM_SERVER_DOWN),
              ref + ":r", true);
        }
      }
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** The patent's 用户名 is kept, not thrown away (issue 18, ADR 0040); a name not allowed is ignored. */
  private void keepName(Msisdn phoneNumber, ImPort.ImSession session, String typed) {
    Optional<String> name = DisplayNames.clean(typed);
    if (name.isEmpty()) {
      return;
    }
    r.users.find(phoneNumber).filter(u -> u.displayName().isBlank())
        .ifPresent(u -> r.users.save(u.withDisplayName(name.get())));
    try {
      session.displayName(name.get());
    } catch (RuntimeException e) {
      log.warn("IM name of {} on {} not set", phoneNumber.masked(), session.account(), e);
    }
  }

  /** The numbered online contacts of every account the phone is logged in to (WHO). */
  void who(Msisdn phoneNumber, Language lang, String ref) {
    ImPhone p = r.phones.get(phoneNumber);
    r.sweeps.endRemoved(p, ref + ":r");
    List<ImLink> links = ImRelay.links(p);
    if (links.isEmpty()) {
      r.texter.send(phoneNumber, Texts.sms(lang, Sms.IM_NOT_LOGGED_IN), ref + ":r", true);
      return;
    }
    StringBuilder all = new StringBuilder();
    synchronized (p) {
      p.lastUse = r.clock.instant();
      p.lastWho = new ArrayList<>();
    }
    for (ImLink l : links) {
      if (all.length() > 0) {
        all.append('\n');
      }
      all.append(contactList(p, lang, l.account(), l.session));
    }
    r.texter.send(phoneNumber, all.toString(), ref + ":r", true);
  }

  private String contactList(ImPhone p, Language lang, String account, ImSession session) {
    List<Contact> online = settle(session).stream().filter(Contact::online).toList();
    if (online.isEmpty()) {
      return Texts.sms(lang, Sms.IM_NONE_ONLINE, account);
    }
    StringBuilder list = new StringBuilder();
    synchronized (p) {
      List<ImRelay.Entry> who = new ArrayList<>(p.lastWho);
      for (Contact c : online) {
        who.add(new ImRelay.Entry(account, c));
        list.append(list.isEmpty() ? "" : " ").append(who.size()).append(' ').append(c.name());
      }
      p.lastWho = who;
    }
    return Texts.sms(lang, Sms.IM_LOGGED_IN, account, list);
  }

  /** Presence arrives just after a login: give the roster a moment before texting who is online. */
  private static List<Contact> settle(ImSession session) {
    List<Contact> contacts = session.contacts();
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    while (!contacts.isEmpty() && contacts.stream().noneMatch(Contact::online) && System.nanoTime() < until) {
      LockSupport.parkNanos(100_000_000);
      contacts = session.contacts();
    }
    return contacts;
  }
}
