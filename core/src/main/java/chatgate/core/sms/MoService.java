package chatgate.core.sms;

import chatgate.core.auth.Tokens;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.SendResult;
import chatgate.core.chat.SentStatus;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.i18n.Texts.Sms;
import chatgate.core.i18n.Texts;
import chatgate.core.im.ImRelay;
import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Language;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.SentReport;
import chatgate.core.model.Target;
import chatgate.core.model.User;
import chatgate.core.port.MessageStore;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.Telemetry;
import chatgate.core.port.UserDirectory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles SMS to the service number: commands and chat text. Every path ends in a durable write
 * keyed by the MO's ref (the chat message, or the reply), so the adapter may acknowledge once
 * this returns, and an MO the SMSC repeats changes nothing. Replies go in the language the user
 * wrote in.
 */
public final class MoService implements SmsInbound {
  private static final Logger log = LoggerFactory.getLogger(MoService.class);
  /** The start of the random ref a login SMS gets in place of its adapter's. */
  static final String LOGIN_REF = "login:";

  private final ChatService chat;
  private final UserDirectory users;
  private final MessageStore store;
  private final DeliveryStage stage;
  private final Clock clock;
  private final SmsCommandParser parser = new SmsCommandParser();
  private volatile ImRelay im;

  public MoService(ChatService chat, UserDirectory users, MessageStore store, DeliveryStage stage, Clock clock) {
    this.chat = chat;
    this.users = users;
    this.store = store;
    this.stage = stage;
    this.clock = clock;
    this.sent = new SentStatus(store, chat::label);
    this.social = new SocialReplies(chat.contacts(), chat.numbers());
  }

  private final SocialReplies social;

  private final SentStatus sent;
  /** Times in the STATUS answer: the phone's own zone (ADR 0048), else the gateway's. */
  private final ZoneId zone = ZoneId.systemDefault();

  /** Turns on the IM commands (P1): LOGIN, WHO, @contact, N text, LOGOUT. */
  public void im(ImRelay relay) {
    this.im = relay;
  }

  private volatile Telemetry telemetry = Telemetry.NONE;

  public void telemetry(Telemetry t) {
    this.telemetry = t;
  }

  @Override
  public void onMobileOriginated(MobileOriginated in) {
    telemetry.mo();
    Instant now = clock.instant();
    Language lang = Language.ofText(in.text());
    User user = users.ensure(in.from(), lang, now);
    User updated = user.withLanguage(lang);
    if (in.imsi().isPresent() && !in.imsi().equals(user.imsi())) {
      updated = updated.withImsi(in.imsi().get());
    }
    if (!updated.equals(user)) {
      users.save(updated);
    }
    SmsCommand cmd = parser.parse(in.text());
    // Nothing that names a login SMS may come from its text (the adapter's ref may): a random
    // id. An SMSC repeating it makes it run again, which only logs in again.
    MobileOriginated mo = SmsCommandParser.isLogin(cmd) && !in.ref().startsWith(LOGIN_REF)
        ? new MobileOriginated(LOGIN_REF + Tokens.random(16), in.from(), in.to(), in.text(), in.receivedAt(), in.imsi())
        : in;
    ImRelay sessions = im;
    if (sessions != null && sessions.handedOver(mo)) {
      log.info("MO {} from {} handed to the node holding its IM sessions", mo.ref(), mo.from().masked());
      return;
    }
    // A chat text is stored under its MO's ref, so an SMSC repeating the MO is one message. A
    // command is run each time it comes, and so is answered each time: its answer's identity is
    // this arrival's, not the text's (issue 16: WHO twice within the slot was answered once).
    String ref = chat(cmd) ? "mo:" + mo.ref() : "cmd:" + Tokens.random(16);
    // The command's name only: a login SMS carries a password and never reaches a log.
    log.info("MO {} from {} command={}", mo.ref(), mo.from().masked(), cmd.getClass().getSimpleName());
    switch (cmd) {
      case SmsCommand.Help h -> reply(mo.from(), lang, ref, Texts.sms(lang, Sms.HELP));
      case SmsCommand.HelpMore h -> reply(mo.from(), lang, ref, Texts.sms(lang, Sms.HELP_MORE));
      case SmsCommand.SetName c -> reply(mo.from(), lang, ref, social.setName(mo.from(), lang, c.name()));
      case SmsCommand.NameContact c -> reply(mo.from(), lang, ref, social.nameContact(mo.from(), lang, c.target(), c.name()));
      case SmsCommand.Members c -> reply(mo.from(), lang, ref, social.members(mo.from(), lang, c.group()));
      case SmsCommand.Join c -> reply(mo.from(), lang, ref, social.join(mo.from(), lang, c.group()));
      case SmsCommand.Leave c -> reply(mo.from(), lang, ref, social.leave(mo.from(), lang, c.group()));
      case SmsCommand.Block c -> reply(mo.from(), lang, ref, social.block(mo.from(), lang, c.target()));
      case SmsCommand.Unblock c -> reply(mo.from(), lang, ref, social.unblock(mo.from(), lang, c.target()));
      case SmsCommand.SetTimeZone c -> reply(mo.from(), lang, ref, social.timeZone(mo.from(), lang, c.zone()));
      case SmsCommand.Stop s -> {
        users.save(updated.withSmsStopped(true));
        ImRelay relay = im;
        if (relay != null) {
          relay.endAll(mo.from()); // its contacts' messages would only be kept, unseen
        }
        reply(mo.from(), lang, ref, Texts.sms(lang, Sms.STOPPED));
      }
      case SmsCommand.Start s -> {
        users.save(updated.withSmsStopped(false));
        reply(mo.from(), lang, ref, Texts.sms(lang, Sms.STARTED));
      }
      case SmsCommand.Status s -> reply(mo.from(), lang, ref, status(mo.from(), lang));
      case SmsCommand.SendTo s -> {
        ImRelay relay = im;
        if (relay == null || !relay.sendByName(mo.from(), lang, s.name(), s.text(), ref)) {
          send(mo.from(), lang, ref, s.name(), s.text());
        }
      }
      case SmsCommand.SendToIndex s -> {
        ImRelay relay = im;
        if (relay == null || !relay.sendByIndex(mo.from(), lang, s.index(), s.text(), ref)) {
          sendToLast(mo.from(), lang, ref, s.whole());
        }
      }
      case SmsCommand.SendToLast s -> {
        ImRelay relay = im;
        if (relay == null || !relay.sendToLast(mo.from(), lang, s.text(), lastChatAt(mo.from()), ref)) {
          sendToLast(mo.from(), lang, ref, s.text());
        }
      }
      case SmsCommand.ImLogin l -> {
        ImRelay relay = im;
        if (relay == null) {
          reply(mo.from(), lang, ref, Texts.sms(lang, Sms.IM_UNAVAILABLE));
        } else {
          // The login waits on the IM server; the SMSC is answered now and the outcome comes by SMS.
          char[] pw = l.password().toCharArray();
          Thread.ofVirtual().name("im-login").start(() -> relay.login(mo.from(), lang, l.account(), l.name(), pw, ref));
        }
      }
      case SmsCommand.Who w -> {
        ImRelay relay = im;
        if (relay == null) {
          reply(mo.from(), lang, ref, Texts.sms(lang, Sms.IM_UNAVAILABLE));
        } else {
          Thread.ofVirtual().name("im-who").start(() -> relay.who(mo.from(), lang, ref));
        }
      }
      case SmsCommand.Logout l -> {
        ImRelay relay = im;
        if (relay == null) {
          reply(mo.from(), lang, ref, Texts.sms(lang, Sms.IM_UNAVAILABLE));
        } else {
          relay.logout(mo.from(), lang, l.account(), ref);
        }
      }
      // A failed login is never relayed or stored: it may hold a password.
      case SmsCommand.Malformed m -> reply(mo.from(), lang, ref, Texts.sms(lang, switch (m.usage()) {
        case LOGIN -> Sms.LOGIN_HELP;
        case NAME -> Sms.NAME_USAGE;
        case GROUP -> Sms.GROUP_USAGE;
        case TIME_ZONE -> Sms.TZ_USAGE;
        case SEND -> Sms.HELP;
      }));
    }
  }

  /** The answer to STATUS: the phone's last few messages and their states, in one segment (issue 16). */
  private String status(Msisdn from, Language lang) {
    List<SentReport> recent = sent.recent(from, Optional.empty(), StatusReply.MAX_ENTRIES);
    return StatusReply.compose(lang, recent, t -> t instanceof GroupId g
        ? chat.group(g).map(Group::name).orElse(g.value()) : chat.label((Msisdn) t),
        chat.contacts().timeZone(from).orElse(zone));
  }

  /** Text for a partner, as opposed to a command to the gateway. */
  private static boolean chat(SmsCommand cmd) {
    return cmd instanceof SmsCommand.SendTo || cmd instanceof SmsCommand.SendToIndex
        || cmd instanceof SmsCommand.SendToLast;
  }

  private Instant lastChatAt(Msisdn from) {
    List<MessageStore.Partner> last = store.partners(from, 1);
    return last.isEmpty() ? Instant.EPOCH : last.get(0).lastAt();
  }

  private void sendToLast(Msisdn from, Language lang, String ref, String text) {
    List<MessageStore.Partner> last = store.partners(from, 1);
    if (last.isEmpty()) {
      reply(from, lang, ref, Texts.sms(lang, Sms.ERR_NO_PARTNER));
      return;
    }
    Target partner = last.get(0).target();
    answer(from, lang, ref, chat.send(from, partner, text, Origin.SMS, ref), partner.id());
  }

  private void send(Msisdn from, Language lang, String ref, String target, String text) {
    answer(from, lang, ref, chat.send(from, target, text, Origin.SMS, ref), target);
  }

  private void answer(Msisdn from, Language lang, String ref, SendResult result, String target) {
    if (result instanceof SendResult.Rejected r) {
      String text = switch (r.problem()) {
        case EMPTY -> Texts.sms(lang, Sms.ERR_EMPTY);
        case TOO_LONG -> Texts.sms(lang, Sms.ERR_TOO_LONG, r.detail());
        case BAD_TEXT -> Texts.sms(lang, Sms.ERR_BAD_TEXT);
        case BAD_TARGET, UNKNOWN_GROUP -> Texts.sms(lang, Sms.ERR_UNKNOWN_TARGET, clip(target));
        case NOT_MEMBER -> Texts.sms(lang, Sms.ERR_NOT_MEMBER, r.detail());
        case BLOCKED -> Texts.sms(lang, Sms.ERR_BLOCKED, clip(r.detail()));
        case NO_PARTNER -> Texts.sms(lang, Sms.ERR_NO_PARTNER);
        case DENIED_DESTINATION -> Texts.sms(lang, Sms.ERR_DENIED_DESTINATION, clip(r.detail()));
        // Told once per quota and window: each answer is an SMS the operator pays for too.
        case OVER_QUOTA -> r.repeated() ? null : Texts.overQuota(lang, Long.parseLong(r.detail()));
      };
      if (text != null) {
        reply(from, lang, ref, text);
      }
    }
  }

  private void reply(Msisdn to, Language lang, String ref, String text) {
    chat.notify(to, text, false, ref + ":r");
  }

  /** A target echoed back is cut short: the reply must stay one SMS whatever was typed. */
  static String clip(String s) {
    String t = s == null ? "" : s.strip();
    return t.length() > 20 ? t.substring(0, 20) + "..." : t;
  }

  @Override
  public void onDeliveryReport(DeliveryReport report) {
    stage.onDeliveryReport(report);
  }
}
