package chatgate.core.chat;

import chatgate.core.auth.Keys;
import chatgate.core.auth.Tokens;
import chatgate.core.chat.SendResult.Problem;
import chatgate.core.chat.SendResult.Rejected;
import chatgate.core.chat.SendResult.Sent;
import chatgate.core.limits.Destinations;
import chatgate.core.limits.SenderQuotas;
import chatgate.core.model.Delivery;
import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.ImContact;
import chatgate.core.model.Language;
import chatgate.core.model.Message;
import chatgate.core.model.MessageId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.model.Origin;
import chatgate.core.model.Target;
import chatgate.core.model.User;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.IdGenerator;
import chatgate.core.port.MessageStore;
import chatgate.core.port.PresenceRegistry;
import chatgate.core.port.Telemetry;
import chatgate.core.port.UserDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The chat service of P2 (P2.2, P2.3, P2.9, P2.10): checks a submission, expands a group to
 * its members, stores the message with one delivery per recipient, and hands the deliveries
 * to the delivery stage. It never picks a channel itself.
 */
public final class ChatService {
  /** Length of reply-link tokens (P2.7). */
  public static final int REPLY_TOKEN_LENGTH = ReplyLinks.TOKEN_LENGTH;

  /** Receives deliveries once they are stored; the delivery stage. */
  public interface Dispatcher {
    void dispatch(Message message, List<Delivery> deliveries);
  }

  private final UserDirectory users;
  private final GroupDirectory groups;
  private final MessageStore store;
  private final PresenceRegistry presence;
  private final IdGenerator ids;
  private final NumberPlan numbers;
  private final Clock clock;
  private final ChatSettings settings;
  private volatile Dispatcher dispatcher = (m, ds) -> {};

  public ChatService(
      UserDirectory users,
      GroupDirectory groups,
      MessageStore store,
      PresenceRegistry presence,
      IdGenerator ids,
      NumberPlan numbers,
      Clock clock,
      ChatSettings settings,
      Keys keys) {
    this.keys = keys;
    this.users = users;
    this.groups = groups;
    this.store = store;
    this.presence = presence;
    this.ids = ids;
    this.numbers = numbers;
    this.clock = clock;
    this.settings = settings;
    this.contacts = new Contacts(users, groups, numbers, clock);
    this.limits = new ChatLimits(store, presence, this::label, settings.replyUrl("x".repeat(REPLY_TOKEN_LENGTH)),
        Destinations.of(List.of(numbers.region())));
  }

  private final ChatLimits limits;
  private final Contacts contacts;
  private final Keys keys;
  private volatile Telemetry telemetry = Telemetry.NONE;

  public void telemetry(Telemetry t) {
    this.telemetry = t;
    limits.telemetry(t);
  }

  public void dispatcher(Dispatcher d) {
    this.dispatcher = d;
  }

  public ChatSettings settings() {
    return settings;
  }

  public NumberPlan numbers() {
    return numbers;
  }

  /** Names, groups and blocks as each phone sees them (issue 18). */
  public Contacts contacts() {
    return contacts;
  }

  /**
   * Sends to a target as typed ("+86 138…", "13800000001", "family", a group's name "家人", a
   * name the sender gave a contact).
   */
  public SendResult send(Msisdn sender, String rawTarget, String text, Origin origin, String originRef) {
    Optional<Target> target = contacts.resolve(sender, rawTarget);
    if (target.isEmpty()) {
      return new Rejected(Problem.BAD_TARGET, rawTarget == null ? "" : rawTarget.strip());
    }
    return send(sender, target.get(), text, origin, originRef);
  }

  public SendResult send(Msisdn sender, Target target, String text, Origin origin, String originRef) {
    TextPolicy.Checked checked = TextPolicy.check(text, settings.maxChars());
    if (checked.refused().isPresent()) {
      return checked.refused().get();
    }
    String body = checked.body();
    List<Msisdn> recipients;
    if (target instanceof GroupId gid) {
      Optional<Group> g = groups.find(gid);
      if (g.isEmpty()) {
        return new Rejected(Problem.UNKNOWN_GROUP, gid.value());
      }
      if (!g.get().hasMember(sender)) {
        return new Rejected(Problem.NOT_MEMBER, gid.value());
      }
      // A member who blocked the sender is left out; the others are not told who (ADR 0040).
      Set<Msisdn> blockers = users.blockers(sender);
      recipients = g.get().members().stream().filter(m -> !m.equals(sender) && !blockers.contains(m)).toList();
    } else {
      if (users.blockers(sender).contains((Msisdn) target)) {
        return new Rejected(Problem.BLOCKED, contacts.label(sender, (Msisdn) target));
      }
      recipients = List.of((Msisdn) target);
    }
    Instant now = clock.instant();
    if (target instanceof Msisdn m) {
      Optional<SendResult> denied = limits.deniedDestination(m, numbers.display(m), now);
      if (denied.isPresent()) {
        return denied.get();
      }
    }
    return limits.admit(sender, body, recipients, now, origin == Origin.SMS, () -> {
      users.ensure(sender, Language.EN, now);
      if (target instanceof Msisdn m) {
        users.ensure(m, Language.EN, now); // the directory knows every phone it has written to
      }
      return store(Optional.of(sender), target, body, origin, originRef, false, recipients, now);
    });
  }

  /**
   * Where the gateway may send SMS ({@code [sms] allowed_destinations}) and what one phone may
   * send ({@code [chat]} quotas; ADR 0017). Until called: the default region, no quotas.
   */
  public void limits(Destinations destinations, SenderQuotas.Settings quotas,
      int maxSegments) {
    limits.configure(store, destinations, quotas, maxSegments);
  }

  /**
   * A phone's text to an IM contact, stored under its MO's ref (an MO the SMSC repeats is one
   * message) with one delivery, by the phone's own IM session, which the delivery stage submits
   * (ADR 0022). Counted against the phone's {@code [chat]} quotas like any message it sends; it
   * costs no SMS.
   */
  public SendResult toIm(Msisdn phone, ImContact to, String text, String originRef) {
    TextPolicy.Checked checked = TextPolicy.check(text, settings.maxChars());
    if (checked.refused().isPresent()) {
      return checked.refused().get();
    }
    String body = checked.body();
    Instant now = clock.instant();
    return limits.admit(phone, body, List.of(), now, true,
        () -> store(Optional.of(phone), to, body, Origin.SMS, originRef, false, List.of(phone), now));
  }

  /** May the gateway send an SMS to this number ({@code [sms] allowed_destinations})? */
  public boolean smsAllowed(Msisdn m) {
    return limits.smsAllowed(m);
  }

  /**
   * A message from the gateway itself to one phone (a command reply, a login code): always by
   * SMS, even after STOP, since the user asked for it.
   */
  /**
   * An SMS handed in through sendsms: stored, then sent as given by SMS only (see RoutingPolicy);
   * refused for a number outside {@code [sms] allowed_destinations}.
   */
  public SendResult plainSms(Msisdn to, String text, String originRef,
      Consumer<Message> beforeStore) {
    return plainSms(to, text, originRef, (m, ds) -> beforeStore.accept(m));
  }

  /**
   * {@link #plainSms} whose hook is told the message and its deliveries (their ids name the SMS to
   * the SMS port) before they are stored: what it keeps of them is there before the delivery
   * stage, whose poller may find a stored delivery at once, can send or report on the SMS.
   */
  public SendResult plainSms(Msisdn to, String text, String originRef,
      BiConsumer<Message, List<Delivery>> beforeStore) {
    Instant now = clock.instant();
    Optional<SendResult> denied = limits.deniedDestination(to, to.e164(), now);
    if (denied.isPresent()) {
      return denied.get();
    }
    return store(Optional.empty(), to, text, Origin.HTTP_SMS, originRef, false, List.of(to), now, beforeStore);
  }

  /**
   * A built-in IM contact's message to the web user their account stands for: routed like any
   * chat message (pushed to an open page, kept, or by SMS: P2.4–P2.6), not as a gateway notice.
   */
  public Sent fromIm(Msisdn to, String text, String originRef) {
    return (Sent) store(Optional.empty(), to, text, Origin.IM, originRef, false, List.of(to), clock.instant());
  }

  /**
   * A notice from the gateway itself. A secret one (a login code) is stored sealed under the key
   * file's key, never readable in the database; the delivery stage opens it to send it.
   */
  public Sent notify(Msisdn to, String text, boolean secret, String originRef) {
    Instant now = clock.instant();
    String body = secret ? keys.seal(text) : text;
    return (Sent) store(Optional.empty(), to, body, Origin.SYSTEM, originRef, secret, List.of(to), now);
  }

  /**
   * A notice from the gateway the phone did not ask for (an IM contact's message relayed, a
   * restart notice): by SMS, but not after STOP (ADR 0016).
   */
  public Sent notice(Msisdn to, String text, String originRef) {
    return (Sent) store(Optional.empty(), to, text, Origin.NOTICE, originRef, false, List.of(to), clock.instant());
  }

  private SendResult store(
      Optional<Msisdn> sender,
      Target target,
      String body,
      Origin origin,
      String originRef,
      boolean secret,
      List<Msisdn> recipients,
      Instant now) {
    return store(sender, target, body, origin, originRef, secret, recipients, now, (m, ds) -> {});
  }

  /** {@code beforeStore} runs before the message is stored, so before the delivery stage can see it. */
  private SendResult store(
      Optional<Msisdn> sender,
      Target target,
      String body,
      Origin origin,
      String originRef,
      boolean secret,
      List<Msisdn> recipients,
      Instant now,
      BiConsumer<Message, List<Delivery>> beforeStore) {
    MessageId mid = new MessageId(ids.next());
    Message m = new Message(mid, sender, target, body, origin, Optional.ofNullable(originRef), secret, now);
    List<Delivery> ds = new ArrayList<>(recipients.size());
    for (Msisdn r : recipients) {
      long id = ids.next();
      ds.add(Delivery.pending(id, mid, r, ReplyLinks.hash(ReplyLinks.token(keys, id)), now));
    }
    beforeStore.accept(m, ds);
    MessageStore.Accepted a = store.accept(m, ds);
    if (!a.duplicate()) {
      telemetry.accepted(origin, a.deliveries().size());
      dispatcher.dispatch(a.message(), a.deliveries());
    }
    return new Sent(a.message(), a.deliveries(), a.duplicate());
  }

  /**
   * The partner list of the chat page (P2.1): the user's groups, then everyone they have chatted
   * with or share a group with, online partners first.
   */
  public List<PartnerView> partners(Msisdn me, int limit) {
    Instant now = clock.instant();
    Map<String, PartnerView> out = new LinkedHashMap<>();
    List<PartnerView> people = new ArrayList<>();
    for (MessageStore.Partner p : store.partners(me, limit)) {
      if (p.target() instanceof Msisdn m && !m.equals(me)) {
        people.add(new PartnerView(m, label(me, m), presence.presence(m, now).online(), false));
      }
    }
    List<Group> mine = groups.groupsOf(me);
    for (Group g : mine) {
      for (Msisdn m : g.members()) {
        if (!m.equals(me) && people.stream().noneMatch(p -> p.target().equals(m))) {
          people.add(new PartnerView(m, label(me, m), presence.presence(m, now).online(), false));
        }
      }
    }
    // online first; otherwise keep recency order (stable sort)
    people.sort((a, b) -> Boolean.compare(b.online(), a.online()));
    for (PartnerView p : people) {
      if (out.size() >= limit) {
        break;
      }
      out.putIfAbsent(p.target().id(), p);
    }
    List<PartnerView> result = new ArrayList<>();
    for (Group g : mine) {
      boolean anyOnline = g.members().stream().anyMatch(m -> !m.equals(me) && presence.presence(m, now).online());
      result.add(new PartnerView(g.id(), g.name(), anyOnline, true));
    }
    result.addAll(out.values());
    return result;
  }

  /** The name {@code viewer} sees for a phone: the name they gave it, its display name, else the number. */
  public String label(Msisdn viewer, Msisdn m) {
    return contacts.label(viewer, m);
  }

  /** The name to show for a phone: their display name, else the number as dialled locally. */
  public String label(Msisdn m) {
    return users.find(m).map(u -> u.displayName().isBlank() ? numbers.display(m) : u.displayName())
        .orElseGet(() -> numbers.display(m));
  }

  /** The user of this phone, created if new (a login, a first message). */
  public User enroll(Msisdn m, Language language) {
    return users.ensure(m, language, clock.instant());
  }

  public Optional<User> user(Msisdn m) {
    return users.find(m);
  }

  public Optional<Group> group(GroupId id) {
    return groups.find(id);
  }

  /** The recent messages between {@code me} and a partner or in a group, oldest first. */
  public List<Message> conversation(Msisdn me, Target partner, int limit) {
    if (partner instanceof GroupId g && groups.find(g).map(x -> !x.hasMember(me)).orElse(true)) {
      return List.of();
    }
    List<Message> newestFirst = store.conversation(me, partner, limit);
    List<Message> out = new ArrayList<>(newestFirst);
    Collections.reverse(out);
    return out;
  }

  /** The token of a delivery's reply link, made again from its id (ADR 0014). */
  public String replyToken(long deliveryId) {
    return ReplyLinks.token(keys, deliveryId);
  }

  /**
   * Where a reply link leads (P2.7): the partner to answer (the sender, or the group), if the
   * token is known and not expired. The link lives as long as the message is kept (retention).
   */
  public Optional<ReplyContext> reply(String token) {
    if (!Tokens.isToken(token, REPLY_TOKEN_LENGTH) || token.length() != REPLY_TOKEN_LENGTH) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return store.itemByReplyHash(ReplyLinks.hash(token)).flatMap(item -> {
      Message m = item.message();
      Instant expires = m.acceptedAt().plus(settings.retention());
      if (!expires.isAfter(now)) {
        return Optional.empty();
      }
      Target partner = m.group().<Target>map(g -> g).or(() -> m.sender().map(s -> s)).orElse(null);
      if (partner == null) {
        return Optional.empty();
      }
      return Optional.of(new ReplyContext(item.delivery().id(), ReplyLinks.hash(token), item.delivery().recipient(),
          partner, m, expires));
    });
  }

  /**
   * Claims a reply link for the browser holding the secret whose hash is given: true if it is
   * this browser's now (first open, or a reopen by the same browser), false if another holds it.
   */
  public boolean claimReply(ReplyContext link, String claimHash) {
    return store.claimReplyLink(link.replyHash(), claimHash);
  }

  /**
   * The conversation a reply link shows (ADR 0014): only between its recipient and its partner,
   * and only from the linked message on, oldest first.
   */
  public List<Message> replyConversation(ReplyContext link, int limit) {
    List<Message> out = new ArrayList<>();
    for (Message m : conversation(link.recipient(), link.partner(), limit)) {
      if (m.id().value() >= link.message().id().value()) {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * A resolved reply link: its delivery, the hash it is stored under, who it was sent to, whom
   * to answer, the message it answers, and when it stops working.
   */
  public record ReplyContext(long deliveryId, String replyHash, Msisdn recipient, Target partner, Message message,
      Instant expiresAt) {}
}
