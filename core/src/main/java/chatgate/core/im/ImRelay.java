package chatgate.core.im;

import chatgate.core.i18n.Texts;
import chatgate.core.i18n.Texts.Sms;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.User;
import chatgate.core.port.AuthStore;
import chatgate.core.port.ImAccounts;
import chatgate.core.port.ImPort;
import chatgate.core.port.ImPort.Contact;
import chatgate.core.port.ImPort.ImSession;
import chatgate.core.port.ImPort.LoginResult;
import chatgate.core.port.ImPort.SendResult;
import chatgate.core.port.UserDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phone side of CN101784017A: logs in to IM accounts for a phone (P1.2–P1.4), texts back the
 * online contacts, relays the phone's texts to the chosen contact (P1.5) and the contacts'
 * messages back to the phone by SMS, prefixed with the contact's short name (P1.6, P1.7; with
 * several accounts on one phone, the account too, P1.11).
 *
 * <p>The IM password lives only in the login call: it is handed to the IM port and the array is
 * wiped. Sessions are in memory; the store only remembers which phone was logged in to which
 * account, so that after a restart the phone is told to log in again. Presence changes are not
 * texted (each SMS costs the user); WHO asks.
 */
public final class ImRelay {
  private static final Logger log = LoggerFactory.getLogger(ImRelay.class);

  /** Sends the phone an SMS through the gateway's store and delivery stage; {@code ref} de-duplicates. */
  public interface Texter {
    void send(Msisdn to, String text, String ref);
  }

  public record Settings(int maxAccounts, Duration loginTimeout, Duration idle, int maxFailures, Duration lockWindow) {
    public static Settings defaults() {
      return new Settings(3, Duration.ofSeconds(15), Duration.ofHours(24), 5, Duration.ofMinutes(15));
    }
  }

  /** A contact as numbered in the phone's last WHO list. */
  record Entry(String account, Contact contact) {}

  private final ImPort im;
  private final ImAccounts records;
  private final AuthStore failures;
  private final UserDirectory users;
  private final Texter texter;
  private final Clock clock;
  private final Settings settings;
  private final Map<Msisdn, Phone> phones = new ConcurrentHashMap<>();
  private volatile chatgate.core.port.Telemetry telemetry = chatgate.core.port.Telemetry.NONE;
  private volatile chatgate.core.port.ImSessionOwners owners = chatgate.core.port.ImSessionOwners.ALONE;

  /** Several nodes: who holds which phone's sessions (issue 7). */
  public void owners(chatgate.core.port.ImSessionOwners o) {
    this.owners = o;
  }

  public void telemetry(chatgate.core.port.Telemetry t) {
    this.telemetry = t;
  }

  /** IM accounts logged in, over all phones (metrics). */
  public int sessions() {
    int n = 0;
    for (Phone p : phones.values()) {
      synchronized (p) {
        n += p.links.size();
      }
    }
    return n;
  }

  public ImRelay(ImPort im, ImAccounts records, AuthStore failures, UserDirectory users, Texter texter, Clock clock,
      Settings settings) {
    this.im = im;
    this.records = records;
    this.failures = failures;
    this.users = users;
    this.texter = texter;
    this.clock = clock;
    this.settings = settings;
  }

  private final class Phone {
    final Msisdn msisdn;
    final Map<String, Link> links = new LinkedHashMap<>();
    List<Entry> lastWho = List.of();
    Entry lastPartner;
    Instant lastPartnerAt = Instant.EPOCH;
    Instant lastUse;

    Phone(Msisdn msisdn) {
      this.msisdn = msisdn;
      this.lastUse = clock.instant();
    }
  }

  /** One phone's session on one account: receives what the IM side sends. */
  private final class Link implements ImPort.Events {
    final Phone phone;
    final String typed;
    volatile ImSession session;
    volatile boolean closed;

    Link(Phone phone, String typed) {
      this.phone = phone;
      this.typed = typed;
    }

    String account() {
      ImSession s = session;
      return s == null ? typed : s.account();
    }

    @Override
    public void onMessage(String from, String text, String id) {
      if (closed) {
        return;
      }
      Contact c = contactOf(this, from);
      synchronized (phone) {
        phone.lastPartner = new Entry(account(), c);
        phone.lastPartnerAt = clock.instant();
      }
      boolean several;
      synchronized (phone) {
        several = phone.links.size() > 1;
      }
      String prefix = several ? "[" + shortName(account()) + "]" : "";
      Language lang = language(phone.msisdn);
      String body = prefix + c.name() + (lang == Language.ZH ? "：" : ": ") + text;
      texter.send(phone.msisdn, body, "im:" + account() + ":" + from + ":" + id);
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
      records.loggedOut(phone.msisdn, account());
      if (last) {
        owners.released(phone.msisdn);
      }
      log.info("IM session of {} on {} ended by the server ({}): {}", phone.msisdn.masked(), account(), why, reason);
      Sms text = switch (why) {
        case REPLACED -> Sms.IM_REPLACED;
        case KICKED -> Sms.IM_KICKED;
        case SERVER_GONE -> Sms.IM_ENDED;
      };
      texter.send(phone.msisdn, Texts.sms(language(phone.msisdn), text, account()),
          "imend:" + phone.msisdn.e164() + ":" + account() + ":" + clock.millis());
    }
  }

  private Language language(Msisdn m) {
    return users.find(m).map(User::language).orElse(Language.EN);
  }

  private static String shortName(String address) {
    int at = address.indexOf('@');
    return at > 0 ? address.substring(0, at) : address;
  }

  private static Contact contactOf(Link link, String from) {
    ImSession s = link.session;
    if (s != null) {
      for (Contact c : s.contacts()) {
        if (c.address().equalsIgnoreCase(from)) {
          return c;
        }
      }
    }
    return new Contact(from, shortName(from), true, Optional.empty());
  }

  private Phone phone(Msisdn m) {
    return phones.computeIfAbsent(m, Phone::new);
  }

  /** True while the phone holds at least one IM session. */
  public boolean loggedIn(Msisdn m) {
    Phone p = phones.get(m);
    if (p == null) {
      return false;
    }
    synchronized (p) {
      return !p.links.isEmpty();
    }
  }

  /**
   * Logs the phone in to an account (P1.2–P1.4) and texts the outcome: the numbered online
   * contacts, "send again" for wrong credentials, a clear word when the server cannot be reached.
   * Guessing is locked out per number and per account.
   */
  public void login(Msisdn phoneNumber, Language lang, String typedAccount, char[] password, String ref) {
    try {
      Instant now = clock.instant();
      String account = typedAccount.strip().toLowerCase(Locale.ROOT);
      String byPhone = "im:" + phoneNumber.e164();
      String byAccount = "imacct:" + (account.contains("@") ? account : account + "@" + im.defaultDomain());
      if (failures.failures(byPhone, now, settings.lockWindow()) >= settings.maxFailures()
          || failures.failures(byAccount, now, settings.lockWindow()) >= settings.maxFailures()) {
        texter.send(phoneNumber, Texts.sms(lang, Sms.IM_LOCKED, settings.lockWindow().toMinutes()), ref + ":r");
        return;
      }
      Phone p = phone(phoneNumber);
      synchronized (p) {
        p.lastUse = now;
        if (!p.links.containsKey(account) && p.links.size() >= settings.maxAccounts()) {
          texter.send(phoneNumber, Texts.sms(lang, Sms.IM_TOO_MANY, settings.maxAccounts()), ref + ":r");
          return;
        }
      }
      Link link = new Link(p, account);
      LoginResult result;
      try {
        result = im.login(new ImPort.Credentials(account, password), link, settings.loginTimeout())
            .toCompletableFuture().get(settings.loginTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        result = new LoginResult.Unavailable(e.getClass().getSimpleName());
      }
      switch (result) {
        case LoginResult.Ok ok -> {
          link.session = ok.session();
          String canonical = ok.session().account();
          Link old;
          synchronized (p) {
            old = p.links.remove(canonical);
            p.links.put(canonical, link);
          }
          if (old != null && old.session != null) {
            old.closed = true;
            old.session.logout();
          }
          failures.clearFailures(byPhone);
          // Held before recorded: a live node never finds this login recorded but unheld.
          owners.holding(phoneNumber);
          records.loggedIn(new ImAccounts.Login(phoneNumber, canonical, now));
          log.info("IM login of {} to {} ok", phoneNumber.masked(), canonical);
          texter.send(phoneNumber, contactList(p, lang, canonical, ok.session()), ref + ":r");
        }
        case LoginResult.BadCredentials bad -> {
          telemetry.loginFailure("im");
          failures.recordFailure(byPhone, now, settings.lockWindow());
          failures.recordFailure(byAccount, now, settings.lockWindow());
          log.info("IM login of {} to {} refused", phoneNumber.masked(), account);
          texter.send(phoneNumber, Texts.sms(lang, Sms.IM_BAD_LOGIN), ref + ":r");
        }
        case LoginResult.Unavailable u -> {
          log.info("IM login of {} to {}: server unavailable ({})", phoneNumber.masked(), account, u.reason());
          texter.send(phoneNumber, Texts.sms(lang, u.sessionLimit() ? Sms.IM_GATEWAY_FULL : Sms.IM_SERVER_DOWN),
              ref + ":r");
        }
      }
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** The numbered online contacts of every account the phone is logged in to (WHO). */
  public void who(Msisdn phoneNumber, Language lang, String ref) {
    Phone p = phones.get(phoneNumber);
    List<Link> links = links(p);
    if (links.isEmpty()) {
      texter.send(phoneNumber, Texts.sms(lang, Sms.IM_NOT_LOGGED_IN), ref + ":r");
      return;
    }
    StringBuilder all = new StringBuilder();
    synchronized (p) {
      p.lastUse = clock.instant();
      p.lastWho = new ArrayList<>();
    }
    for (Link l : links) {
      if (all.length() > 0) {
        all.append('\n');
      }
      all.append(contactList(p, lang, l.account(), l.session));
    }
    texter.send(phoneNumber, all.toString(), ref + ":r");
  }

  private String contactList(Phone p, Language lang, String account, ImSession session) {
    List<Contact> online = settle(session).stream().filter(Contact::online).toList();
    if (online.isEmpty()) {
      return Texts.sms(lang, Sms.IM_NONE_ONLINE, account);
    }
    StringBuilder list = new StringBuilder();
    synchronized (p) {
      List<Entry> who = new ArrayList<>(p.lastWho);
      for (Contact c : online) {
        who.add(new Entry(account, c));
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
      java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
      contacts = session.contacts();
    }
    return contacts;
  }

  private static List<Link> links(Phone p) {
    if (p == null) {
      return List.of();
    }
    synchronized (p) {
      return List.copyOf(p.links.values());
    }
  }

  /**
   * {@code @name text}: sends to the IM contact of that name or address, if the phone is logged
   * in and has one; false when the name is not an IM contact (the caller tries numbers and groups).
   */
  public boolean sendByName(Msisdn phoneNumber, Language lang, String name, String text, String ref) {
    Phone p = phones.get(phoneNumber);
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (Link l : links(p)) {
      for (Contact c : l.session.contacts()) {
        if (c.name().equalsIgnoreCase(wanted) || c.address().equalsIgnoreCase(wanted)
            || shortName(c.address()).equalsIgnoreCase(wanted)) {
          relay(p, lang, new Entry(l.account(), c), text, ref);
          return true;
        }
      }
    }
    return false;
  }

  /** {@code N text}: to contact N of the last WHO list; false when there is no list (the text is chat). */
  public boolean sendByIndex(Msisdn phoneNumber, Language lang, int index, String text, String ref) {
    Phone p = phones.get(phoneNumber);
    if (links(p).isEmpty()) {
      return false;
    }
    Entry e;
    synchronized (p) {
      if (p.lastWho.isEmpty()) {
        return false;
      }
      e = index >= 1 && index <= p.lastWho.size() ? p.lastWho.get(index - 1) : null;
    }
    if (e == null) {
      texter.send(phoneNumber, Texts.sms(lang, Sms.IM_NO_INDEX, index), ref + ":r");
      return true;
    }
    relay(p, lang, e, text, ref);
    return true;
  }

  /** When the phone's last IM partner is more recent than {@code chatPartnerAt}, plain text goes there. */
  public boolean sendToLast(Msisdn phoneNumber, Language lang, String text, Instant chatPartnerAt, String ref) {
    Phone p = phones.get(phoneNumber);
    if (links(p).isEmpty()) {
      return false;
    }
    Entry e;
    synchronized (p) {
      if (p.lastPartner == null || !p.lastPartnerAt.isAfter(chatPartnerAt)) {
        return false;
      }
      e = p.lastPartner;
    }
    relay(p, lang, e, text, ref);
    return true;
  }

  /**
   * Relays before returning, so the phone's MO is answered (deliver_sm_resp) only once the IM
   * server took the message (XMPP: acknowledged by stream management); a crash before that
   * leaves the MO unanswered, and the SMSC delivers it again. A failure comes back as an SMS.
   */
  private void relay(Phone p, Language lang, Entry to, String text, String ref) {
    relayNow(p, lang, to, text, ref);
  }

  private void relayNow(Phone p, Language lang, Entry to, String text, String ref) {
    Link link;
    synchronized (p) {
      link = p.links.get(to.account());
      p.lastUse = clock.instant();
      p.lastPartner = to;
      p.lastPartnerAt = clock.instant();
    }
    if (link == null || link.session == null) {
      texter.send(p.msisdn, Texts.sms(lang, Sms.IM_NOT_LOGGED_IN), ref + ":r");
      return;
    }
    SendResult r;
    try {
      r = link.session.send(to.contact().address(), text).toCompletableFuture()
          .get(settings.loginTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      r = new SendResult.Failed("timeout");
    }
    if (r instanceof SendResult.Failed f) {
      texter.send(p.msisdn, Texts.sms(lang, Sms.IM_NOT_SENT, to.contact().name(), clip(f.reason())), ref + ":r");
    }
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** LOGOUT: every account, or the one named. */
  public void logout(Msisdn phoneNumber, Language lang, String account, String ref) {
    Phone p = phones.get(phoneNumber);
    List<Link> ended = new ArrayList<>();
    if (p != null) {
      synchronized (p) {
        for (var it = p.links.entrySet().iterator(); it.hasNext(); ) {
          var e = it.next();
          if (account.isEmpty() || e.getKey().equalsIgnoreCase(account) || shortName(e.getKey()).equalsIgnoreCase(account)) {
            ended.add(e.getValue());
            it.remove();
          }
        }
        if (p.links.isEmpty()) {
          p.lastWho = List.of();
          p.lastPartner = null;
        }
      }
    }
    if (ended.isEmpty()) {
      texter.send(phoneNumber, Texts.sms(lang, Sms.IM_NOT_LOGGED_IN), ref + ":r");
      return;
    }
    end(phoneNumber, ended);
    texter.send(phoneNumber, Texts.sms(lang, Sms.IM_LOGGED_OUT,
        ended.stream().map(Link::account).collect(Collectors.joining(", "))), ref + ":r");
  }

  private void end(Msisdn phoneNumber, List<Link> ended) {
    for (Link l : ended) {
      l.closed = true;
      if (l.session != null) {
        l.session.logout();
      }
      records.loggedOut(phoneNumber, l.account());
    }
    if (!loggedIn(phoneNumber)) {
      owners.released(phoneNumber);
    }
  }

  /**
   * An MO from a phone whose IM sessions another node holds goes to that node, which handles
   * it whole (issue 7); true if it did. A phone with a session here is handled here.
   */
  public boolean handedOver(chatgate.core.port.SmsInbound.MobileOriginated mo) {
    return !loggedIn(mo.from()) && owners.handOver(mo);
  }

  /**
   * Several nodes: phones recorded as logged in whose sessions no live node holds any more (their
   * node died) are told to log in again, once: of several nodes sweeping, only the one whose
   * delete removed the record tells. Logins younger than {@code grace} are left alone.
   */
  public int tellOrphaned(Duration grace) {
    Instant cutoff = clock.instant().minus(grace);
    Map<Msisdn, List<String>> byPhone = new LinkedHashMap<>();
    for (ImAccounts.Login l : records.logins()) {
      if (l.at().isAfter(cutoff) || loggedIn(l.phone()) || owners.heldAnywhere(l.phone())) {
        continue;
      }
      if (records.loggedOut(l.phone(), l.account())) {
        byPhone.computeIfAbsent(l.phone(), k -> new ArrayList<>()).add(l.account());
      }
    }
    long now = clock.millis();
    for (var e : byPhone.entrySet()) {
      log.info("IM sessions of {} were held by a node that stopped: told to log in again", e.getKey().masked());
      texter.send(e.getKey(), Texts.sms(language(e.getKey()), Sms.IM_LOST, String.join(", ", e.getValue())),
          "imlost:" + e.getKey().e164() + ":" + now);
    }
    return byPhone.size();
  }

  /** Logs out phones idle longer than the setting, telling each by SMS. */
  public int sweepIdle() {
    Instant cutoff = clock.instant().minus(settings.idle());
    int n = 0;
    for (Phone p : phones.values()) {
      List<Link> ended;
      synchronized (p) {
        if (p.links.isEmpty() || p.lastUse.isAfter(cutoff)) {
          continue;
        }
        ended = List.copyOf(p.links.values());
        p.links.clear();
        p.lastWho = List.of();
        p.lastPartner = null;
      }
      end(p.msisdn, ended);
      Language lang = language(p.msisdn);
      texter.send(p.msisdn, Texts.sms(lang, Sms.IM_IDLE, ended.stream().map(Link::account)
              .collect(Collectors.joining(", ")), human(settings.idle())),
          "imidle:" + p.msisdn.e164() + ":" + clock.millis());
      n++;
    }
    return n;
  }

  private static String human(Duration d) {
    return d.toMinutes() % 60 == 0 && d.toHours() > 0 ? d.toHours() + "h" : d.toMinutes() + "min";
  }

  /** At start-up: phones that were logged in before the restart are told to log in again. */
  public int tellRestarted() {
    Map<Msisdn, List<String>> byPhone = new LinkedHashMap<>();
    for (ImAccounts.Login l : records.logins()) {
      byPhone.computeIfAbsent(l.phone(), k -> new ArrayList<>()).add(l.account());
    }
    long now = clock.millis();
    for (var e : byPhone.entrySet()) {
      texter.send(e.getKey(), Texts.sms(language(e.getKey()), Sms.IM_RESTARTED, String.join(", ", e.getValue())),
          "imrestart:" + e.getKey().e164() + ":" + now);
      for (String a : e.getValue()) {
        records.loggedOut(e.getKey(), a);
      }
    }
    return byPhone.size();
  }

  /** Ends every session (gateway stopping); the records stay, so the phones are told after the restart. */
  public void close() {
    for (Phone p : phones.values()) {
      for (Link l : links(p)) {
        l.closed = true;
        if (l.session != null) {
          l.session.logout();
        }
      }
    }
  }
}
