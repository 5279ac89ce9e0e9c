package chatgate.core.im;

import chatgate.core.chat.ChatService;
import chatgate.core.chat.SendResult;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.i18n.Texts.Sms;
import chatgate.core.i18n.Texts;
import chatgate.core.model.ImContact;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.User;
import chatgate.core.port.AuthStore;
import chatgate.core.port.ImAccounts;
import chatgate.core.port.ImPort.Contact;
import chatgate.core.port.ImPort;
import chatgate.core.port.ImSessionOwners;
import chatgate.core.port.ImSubmitter;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.Telemetry;
import chatgate.core.port.UserDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>A phone's text to a contact is stored (under its MO's ref) and acknowledged at once; the
 * delivery stage submits it through this relay ({@link ImSubmitter}), retrying while the session
 * reconnects, and the phone hears only of a text that did not go (ADR 0022).
 *
 * <p>This class relays and keeps the phones' sessions; logging in and listing contacts are
 * {@link ImLogins}', guessing limits {@link ImLockout}'s, one session's events {@link ImLink}'s,
 * the ends nobody asked for (idle, removed account, restart, lost node) {@link ImSessionSweeps}', and
 * the phone's texts to contacts (stored, submitted, told when they do not go) {@link ImTexts}'.
 */
public final class ImRelay implements ImSubmitter {
  private static final Logger log = LoggerFactory.getLogger(ImRelay.class);

  /**
   * Sends the phone an SMS through the gateway's store and delivery stage; {@code ref}
   * de-duplicates. {@code solicited}: the answer to the phone's own command, sent even after
   * STOP; anything else (a contact's message, a notice) is not sent once the phone sent STOP.
   */
  public interface Texter {
    void send(Msisdn to, String text, String ref, boolean solicited);

    /** Through the chat service: replies as gateway replies, the rest as notices. */
    static Texter of(ChatService chat) {
      return (to, text, ref, solicited) -> {
        if (solicited) {
          chat.notify(to, text, false, ref);
        } else {
          chat.notice(to, text, ref);
        }
      };
    }
  }

  /**
   * Limits. {@code maxFailures} wrong passwords per {@code lockWindow} lock a phone out of one
   * account; {@code accountMaxFailures} per {@code accountWindow}, from any phones, lock the
   * account for phones that never logged in to it (see {@link ImLockout}).
   */
  public record Settings(int maxAccounts, Duration loginTimeout, Duration idle, int maxFailures, Duration lockWindow,
      int accountMaxFailures, Duration accountWindow) {
    public Settings(int maxAccounts, Duration loginTimeout, Duration idle, int maxFailures, Duration lockWindow) {
      this(maxAccounts, loginTimeout, idle, maxFailures, lockWindow, 50, Duration.ofHours(1));
    }

    public static Settings defaults() {
      return new Settings(3, Duration.ofSeconds(15), Duration.ofHours(24), 5, Duration.ofMinutes(15));
    }
  }

  /** A contact as numbered in the phone's last WHO list. */
  record Entry(String account, Contact contact) {}

  final ImPort im;
  final ImAccounts records;
  final UserDirectory users;
  final Texter texter;
  final Clock clock;
  final Settings settings;
  final ImLockout lockout;
  final ImSessionSweeps sweeps = new ImSessionSweeps(this);
  private final ImLogins logins = new ImLogins(this);
  final Map<Msisdn, ImPhone> phones = new ConcurrentHashMap<>();
  volatile Telemetry telemetry = Telemetry.NONE;
  volatile ImSessionOwners owners = ImSessionOwners.ALONE;

  /** Stores a phone's text to an IM contact for the delivery stage (ChatService::toIm). */
  public interface Outbox {
    SendResult toIm(Msisdn phone, ImContact to, String text, String ref);
  }

  volatile Outbox outbox;
  volatile ImSubmitter.Deliveries deliveries = ImSubmitter.Deliveries.NONE;
  private final ImTexts texts = new ImTexts(this);

  /**
   * Texts to IM contacts go through the store and the delivery stage (ADR 0022): stored by the
   * chat service, submitted by the stage through this relay, which reports receipts and
   * sessions coming and going back to the stage.
   */
  public ImRelay spooled(ChatService chat, DeliveryStage stage) {
    this.outbox = chat::toIm;
    this.deliveries = stage.imDeliveries();
    stage.im(this);
    return this;
  }

  /** Several nodes: who holds which phone's sessions (issue 7). */
  public void owners(ImSessionOwners o) {
    this.owners = o;
  }

  public void telemetry(Telemetry t) {
    this.telemetry = t;
  }

  /** IM accounts logged in, over all phones (metrics). */
  public int sessions() {
    int n = 0;
    for (ImPhone p : phones.values()) {
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
    this.lockout = new ImLockout(failures, settings);
    this.users = users;
    this.texter = texter;
    this.clock = clock;
    this.settings = settings;
  }

  Language language(Msisdn m) {
    return users.find(m).map(User::language).orElse(Language.EN);
  }

  static String shortName(String address) {
    int at = address.indexOf('@');
    return at > 0 ? address.substring(0, at) : address;
  }

  ImPhone phone(Msisdn m) {
    return phones.computeIfAbsent(m, k -> new ImPhone(k, clock.instant()));
  }

  /** True while the phone holds at least one IM session. */
  public boolean loggedIn(Msisdn m) {
    ImPhone p = phones.get(m);
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
   * Guessing is limited per phone and account, per phone, and per account ({@link ImLockout}).
   */
  public void login(Msisdn phoneNumber, Language lang, String typedAccount, char[] password, String ref) {
    logins.login(phoneNumber, lang, typedAccount, "", password, ref);
  }

  /**
   * {@link #login}, keeping the patent's {@code 用户名} (P1.8; issue 18): the phone's display name
   * when it has none, and the account's name to its contacts where the IM service can show it.
   */
  public void login(Msisdn phoneNumber, Language lang, String typedAccount, String name, char[] password, String ref) {
    logins.login(phoneNumber, lang, typedAccount, name, password, ref);
  }

  /** The numbered online contacts of every account the phone is logged in to (WHO). */
  public void who(Msisdn phoneNumber, Language lang, String ref) {
    logins.who(phoneNumber, lang, ref);
  }

  static List<ImLink> links(ImPhone p) {
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
    ImPhone p = phones.get(phoneNumber);
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (ImLink l : links(p)) {
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
    ImPhone p = phones.get(phoneNumber);
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
      texter.send(phoneNumber, Texts.sms(lang, Sms.IM_NO_INDEX, index), ref + ":r", true);
      return true;
    }
    relay(p, lang, e, text, ref);
    return true;
  }

  /** When the phone's last IM partner is more recent than {@code chatPartnerAt}, plain text goes there. */
  public boolean sendToLast(Msisdn phoneNumber, Language lang, String text, Instant chatPartnerAt, String ref) {
    ImPhone p = phones.get(phoneNumber);
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

  /** Stores the text for the delivery stage (ADR 0022); see {@link ImTexts}. */
  private void relay(ImPhone p, Language lang, Entry to, String text, String ref) {
    texts.store(p, lang, to, text, ref);
  }

  /**
   * The delivery stage submits a stored text: through the phone's session here, or through the
   * node that holds it; a phone with no session on that account anywhere waits for its login.
   */
  @Override
  public CompletionStage<Outcome> submit(Submission s) {
    return texts.submit(s);
  }

  /** A submission another node handed to this one, which holds the phone's session (issue 7). */
  public CompletionStage<Outcome> submitHere(Submission s) {
    return texts.submitHere(s);
  }

  @Override
  public void undelivered(Submission s, Why why, String detail) {
    texts.undelivered(s, why, detail);
  }

  /** LOGOUT: every account, or the one named. */
  public void logout(Msisdn phoneNumber, Language lang, String account, String ref) {
    ImPhone p = phones.get(phoneNumber);
    List<ImLink> ended = new ArrayList<>();
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
      texter.send(phoneNumber, Texts.sms(lang, Sms.IM_NOT_LOGGED_IN), ref + ":r", true);
      return;
    }
    end(phoneNumber, ended);
    texter.send(phoneNumber, Texts.sms(lang, Sms.IM_LOGGED_OUT,
        ended.stream().map(ImLink::account).collect(Collectors.joining(", "))), ref + ":r", true);
  }

  /** The phone sent STOP: its IM sessions end without a word of their own (the STOP reply says it). */
  public void endAll(Msisdn phoneNumber) {
    ImPhone p = phones.get(phoneNumber);
    if (p == null) {
      return;
    }
    List<ImLink> ended;
    synchronized (p) {
      ended = List.copyOf(p.links.values());
      p.links.clear();
      p.lastWho = List.of();
      p.lastPartner = null;
    }
    if (!ended.isEmpty()) {
      end(phoneNumber, ended);
      log.info("IM sessions of {} ended: the phone sent STOP", phoneNumber.masked());
    }
  }

  /** Sessions ended for good (LOGOUT, STOP, removed, idle): texts still waiting for them will not go. */
  void end(Msisdn phoneNumber, List<ImLink> ended) {
    for (ImLink l : ended) {
      l.closed = true;
      if (l.session != null) {
        l.session.logout();
      }
      records.loggedOut(phoneNumber, l.account());
      deliveries.loggedOut(phoneNumber, l.account());
    }
    if (!loggedIn(phoneNumber)) {
      owners.released(phoneNumber);
    }
  }

  /**
   * An MO from a phone whose IM sessions another node holds goes to that node, which handles
   * it whole (issue 7); true if it did. A phone with a session here is handled here.
   */
  public boolean handedOver(SmsInbound.MobileOriginated mo) {
    return !loggedIn(mo.from()) && owners.handOver(mo);
  }

  /**
   * Several nodes: phones recorded as logged in whose sessions no live node holds any more (their
   * node died) are told to log in again, once. Logins younger than {@code grace} are left alone.
   */
  public int tellOrphaned(Duration grace) {
    return sweeps.tellOrphaned(grace);
  }

  /**
   * Logs out phones idle longer than the setting, and sessions of accounts removed meanwhile
   * ({@code admin im-account remove} runs in another process), telling each phone by SMS once.
   */
  public int sweepIdle() {
    return sweeps.sweepIdle();
  }

  /** At start-up: phones that were logged in before the restart are told to log in again. */
  public int tellRestarted() {
    return sweeps.tellRestarted();
  }

  /** Ends every session (gateway stopping) within five seconds; see {@link #close(Instant)}. */
  public void close() {
    close(Instant.now().plusSeconds(5));
  }

  /**
   * Ends every session (gateway stopping), all at once, by {@code deadline}: a session whose
   * server has not answered its logout by then is cut. The records stay, so the phones are told
   * after the restart (ADR 0032). Returns how many sessions were cut.
   */
  public int close(Instant deadline) {
    return sweeps.close(deadline);
  }
}
