package chatgate.core.im;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.core.memory.MemoryImAccounts;
import chatgate.core.model.Msisdn;
import chatgate.core.port.ImAccounts.Account;
import chatgate.core.port.ImPort;
import chatgate.core.port.SmsInbound.MobileOriginated;
import chatgate.core.testing.CoreFixture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** CN101784017A through the core: SMS commands to the built-in IM service and back. */
class ImRelayTest {
  static final Msisdn PHONE = Msisdn.of("+8613800000041");
  static final Msisdn PHONE2 = Msisdn.of("+8613800000042");
  final CoreFixture f = new CoreFixture().started();
  final MemoryImAccounts accounts = new MemoryImAccounts();
  final List<String> bridged = new CopyOnWriteArrayList<>();
  final BuiltinIm im = new BuiltinIm(accounts, "chatgate.local", m -> false,
      (from, web, text) -> bridged.add(from + "->" + web.e164() + ":" + text));
  ImRelay relay;
  int seq;
  /** An independent contact: another client of the built-in service, not an SMS phone. */
  final List<String> bobGot = new CopyOnWriteArrayList<>();
  ImPort.ImSession bob;

  @BeforeEach
  void setUp() throws Exception {
    for (String[] a : new String[][] {{"alice", "Alice", "alicepw"}, {"bob", "Bob", "bobpw"},
        {"carol", "Carol", "carolpw"}, {"dave", "Dave", "davepw"}}) {
      accounts.save(new Account(a[0] + "@chatgate.local", a[1], Passwords.hash(a[2].toCharArray()), Optional.empty(),
          f.clock.instant()));
    }
    relay = new ImRelay(im, accounts, f.auth, f.users, ImRelay.Texter.of(f.chat),
        f.clock, new ImRelay.Settings(2, Duration.ofSeconds(5), Duration.ofHours(1), 3, Duration.ofMinutes(15)))
        .spooled(f.chat, f.stage);
    f.mo.im(relay);
    bob = ((ImPort.LoginResult.Ok) im.login(new ImPort.Credentials("bob", "bobpw".toCharArray()), new ImPort.Events() {
      @Override
      public void onMessage(String from, String text, String id) {
        bobGot.add(from + ":" + text);
      }

      @Override
      public void onPresence(ImPort.Contact contact) {}

      @Override
      public void onEnded(ImPort.EndReason why, String reason) {}
    }, Duration.ofSeconds(5)).toCompletableFuture().get()).session();
  }

  @AfterEach
  void close() {
    f.close();
  }

  void mo(Msisdn from, String text) {
    f.mo.onMobileOriginated(new MobileOriginated("r" + (++seq), from, "10658", text, f.clock.instant(), Optional.empty()));
  }

  String last(Msisdn m) {
    f.settle();
    var s = f.sms.sentTo(m);
    return s.isEmpty() ? "" : s.getLast().text();
  }

  void awaitSms(Msisdn m, String prefix) {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(last(m)).startsWith(prefix));
  }

  @Test
  @DisplayName("P1.2–P1.4, P1.8: the patent's login SMS (full-width, any order) logs in and texts the online contacts, numbered")
  void patentLoginListsOnlineContacts() {
    mo(PHONE, "密码：alicepw；账号：alice；用户名：小红");
    awaitSms(PHONE, "alice@chatgate.local在线好友：1 Bob");
    assertThat(last(PHONE)).doesNotContain("Carol");
  }

  @Test
  @DisplayName("issue 18: the patent's 用户名 is kept: the phone's display name, and the name its IM contacts see")
  void thePatentsUserNameIsKeptAndShownToContacts() {
    mo(PHONE, "账号：alice；用户名：小红；密码：alicepw");
    awaitSms(PHONE, "alice@chatgate.local在线好友");
    assertThat(f.chat.label(PHONE)).isEqualTo("小红");
    mo(PHONE2, "LOGIN bob bobpw");
    awaitSms(PHONE2, "bob@chatgate.local online: 1 小红");
    mo(PHONE, "@bob 晚上好");
    awaitSms(PHONE2, "小红: 晚上好");
  }

  @Test
  @DisplayName("a node at its session cap tells the phone the gateway is full (not that the server is down), in its language")
  void sessionCapIsToldAsFull() {
    ImPort full = new ImPort() {
      @Override
      public java.util.concurrent.CompletionStage<LoginResult> login(Credentials c, Events e, Duration timeout) {
        return java.util.concurrent.CompletableFuture.completedFuture(
            new LoginResult.Unavailable(LoginResult.Unavailable.SESSION_LIMIT));
      }

      @Override
      public String defaultDomain() {
        return "chatgate.local";
      }
    };
    f.mo.im(new ImRelay(full, accounts, f.auth, f.users, ImRelay.Texter.of(f.chat),
        f.clock, new ImRelay.Settings(2, Duration.ofSeconds(5), Duration.ofHours(1), 3, Duration.ofMinutes(15))));
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "Too many IM users here now. Try again later.");
    mo(PHONE2, "账号：alice；密码：alicepw");
    awaitSms(PHONE2, "即时通讯在线人数已满");
  }

  @Test
  @DisplayName("issue 16: a session the server ends is told once, saying why (logged in elsewhere, the administrator,"
      + " server gone), in the phone's language")
  void anEndedSessionIsToldWhyOnceInThePhonesLanguage() {
    List<ImPort.Events> sessions = new CopyOnWriteArrayList<>();
    ImPort ending = new ImPort() {
      @Override
      public java.util.concurrent.CompletionStage<LoginResult> login(Credentials c, Events e, Duration timeout) {
        sessions.add(e);
        return im.login(c, new NoEvents(), timeout);
      }

      @Override
      public String defaultDomain() {
        return "chatgate.local";
      }
    };
    f.mo.im(new ImRelay(ending, accounts, f.auth, f.users, ImRelay.Texter.of(f.chat),
        f.clock, new ImRelay.Settings(2, Duration.ofSeconds(5), Duration.ofHours(1), 3, Duration.ofMinutes(15))));
    Msisdn phone3 = Msisdn.of("+8613800000043");
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    mo(PHONE2, "账号：alice；密码：alicepw");
    awaitSms(PHONE2, "alice@chatgate.local在线好友");
    mo(phone3, "LOGIN carol carolpw");
    awaitSms(phone3, "carol@chatgate.local online");
    sessions.get(0).onEnded(ImPort.EndReason.REPLACED, "Replaced by new connection");
    sessions.get(0).onEnded(ImPort.EndReason.REPLACED, "Replaced by new connection");
    awaitSms(PHONE, "alice@chatgate.local logged in elsewhere, so it ended here.");
    sessions.get(1).onEnded(ImPort.EndReason.KICKED, "Kicked by administrator");
    awaitSms(PHONE2, "alice@chatgate.local已被服务器管理员下线。");
    sessions.get(2).onEnded(ImPort.EndReason.SERVER_GONE, "connection reset");
    awaitSms(phone3, "carol@chatgate.local was logged out by the server.");
    assertThat(f.sms.sentTo(PHONE)).hasSize(2);
    assertThat(f.sms.sentTo(PHONE).getLast().text().length()).isLessThanOrEqualTo(160);
    assertThat(f.sms.sentTo(PHONE2).getLast().text().length()).isLessThanOrEqualTo(70);
    assertThat(accounts.logins()).isEmpty();
  }

  @Test
  @DisplayName("P1.3: a wrong password gets an SMS asking to send the credentials again; repeated guesses are locked out")
  void wrongPasswordAndLockout() {
    mo(PHONE, "LOGIN alice nope");
    awaitSms(PHONE, "Wrong account or password. Send again");
    mo(PHONE, "LOGIN alice nope2");
    awaitSms(PHONE, "Wrong account or password.");
    mo(PHONE, "LOGIN alice nope3");
    await().atMost(Duration.ofSeconds(5)).until(() -> f.sms.sentTo(PHONE).size() == 3);
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "Too many wrong logins.");
  }

  @Test
  @DisplayName("issue 15: wrong passwords from another phone lock that phone out of the account, not the account's owner")
  void wrongPasswordsFromAnyPhoneDoNotLockTheOwnerOut() {
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    mo(PHONE, "LOGOUT");
    awaitSms(PHONE, "Logged out of alice@chatgate.local.");
    for (int i = 1; i <= 3; i++) {
      mo(PHONE2, "LOGIN alice guess" + i);
      int n = i;
      await().atMost(Duration.ofSeconds(5)).until(() -> f.sms.sentTo(PHONE2).size() == n);
    }
    mo(PHONE2, "LOGIN alice alicepw");
    awaitSms(PHONE2, "Too many wrong logins.");
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    // The guessing phone is locked out of that account only.
    mo(PHONE2, "LOGIN carol carolpw");
    awaitSms(PHONE2, "carol@chatgate.local online");
  }

  @Test
  @DisplayName("issue 15: guessing one account from many phones is still stopped, without locking the owner's phone")
  void distributedGuessingIsStoppedPerAccount() {
    ImRelay strict = new ImRelay(im, accounts, f.auth, f.users, ImRelay.Texter.of(f.chat), f.clock,
        new ImRelay.Settings(2, Duration.ofSeconds(5), Duration.ofHours(1), 3, Duration.ofMinutes(15), 4,
            Duration.ofHours(1)));
    f.mo.im(strict);
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    mo(PHONE, "LOGOUT");
    awaitSms(PHONE, "Logged out of");
    for (int i = 0; i < 4; i++) {
      Msisdn guesser = Msisdn.of("+861390000010" + i);
      mo(guesser, "LOGIN alice guess");
      awaitSms(guesser, "Wrong account or password.");
    }
    Msisdn next = Msisdn.of("+8613900000109");
    mo(next, "LOGIN alice alicepw");
    awaitSms(next, "Too many wrong logins.");
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
  }

  @Test
  @DisplayName("issue 15: an account removed (by the admin command, another process) ends its live sessions; the phone is told once")
  void aRemovedAccountsSessionsEnd() throws Exception {
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    mo(PHONE2, "LOGIN carol carolpw");
    awaitSms(PHONE2, "carol@chatgate.local online");
    accounts.remove("alice@chatgate.local");
    accounts.remove("carol@chatgate.local");
    // On relay: the phone's text is not sent as the removed account.
    mo(PHONE2, "@bob still here?");
    awaitSms(PHONE2, "carol@chatgate.local was removed");
    assertThat(bobGot).noneMatch(m -> m.contains("still here?"));
    // On the sweep: told once.
    relay.sweepIdle();
    awaitSms(PHONE, "alice@chatgate.local was removed");
    int told = f.sms.sentTo(PHONE).size();
    relay.sweepIdle();
    mo(PHONE, "WHO");
    awaitSms(PHONE, "Not logged in.");
    assertThat(f.sms.sentTo(PHONE)).hasSize(told + 1);
    assertThat(accounts.logins()).isEmpty();
  }

  @Test
  @DisplayName("P1.5–P1.7: a text to a contact by @name, by index and as plain reply; the contact's reply comes back prefixed")
  void chatBothWays() throws Exception {
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online: 1 Bob");
    mo(PHONE, "@bob hello Bob");
    await().atMost(Duration.ofSeconds(5)).until(() -> bobGot.contains("alice@chatgate.local:hello Bob"));
    mo(PHONE, "1 by index");
    await().atMost(Duration.ofSeconds(5)).until(() -> bobGot.contains("alice@chatgate.local:by index"));
    bob.send("alice", "hi Alice, 你好").toCompletableFuture().get();
    awaitSms(PHONE, "Bob: hi Alice, 你好");
    mo(PHONE, "plain reply");
    await().atMost(Duration.ofSeconds(5)).until(() -> bobGot.contains("alice@chatgate.local:plain reply"));
  }

  /** Issue 15 (per-sender quotas): texts relayed to IM contacts count with the phone's other messages. */
  @Test
  void relayedTextsCountAgainstThePhonesDailyMessages() throws Exception {
    f.chat.limits(chatgate.core.limits.Destinations.of(List.of("CN")),
        new chatgate.core.limits.SenderQuotas.Settings(1000, 3, 1000), 4);
    assertThat(f.chat.send(PHONE, "+8613800000002", "a chat message", chatgate.core.model.Origin.SMS, null))
        .isInstanceOf(chatgate.core.chat.SendResult.Sent.class);
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online: 1 Bob");
    mo(PHONE, "@bob one");
    mo(PHONE, "@bob two");
    mo(PHONE, "@bob three");
    mo(PHONE, "@bob four");
    await().atMost(Duration.ofSeconds(5)).until(() -> bobGot.contains("alice@chatgate.local:two"));
    awaitSms(PHONE, "Not sent: today's sending limit reached. Try again in 14 h.");
    assertThat(bobGot).doesNotContain("alice@chatgate.local:three", "alice@chatgate.local:four");
    assertThat(f.sms.sentTo(PHONE)).filteredOn(s -> s.text().contains("sending limit")).hasSize(1);
    // And the day's relayed texts count for chat too.
    assertThat(f.chat.send(PHONE, "+8613800000002", "more", chatgate.core.model.Origin.WEB, null))
        .isInstanceOf(chatgate.core.chat.SendResult.Rejected.class);
  }

  @Test
  @DisplayName("P1.11: two IM accounts on one phone are told apart in the prefix")
  void twoAccountsOnOnePhone() throws Exception {
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    mo(PHONE, "LOGIN carol carolpw");
    awaitSms(PHONE, "carol@chatgate.local online");
    bob.send("carol", "to carol").toCompletableFuture().get();
    awaitSms(PHONE, "[carol]Bob: to carol");
    bob.send("alice", "to alice").toCompletableFuture().get();
    awaitSms(PHONE, "[alice]Bob: to alice");
    mo(PHONE, "LOGIN dave davepw");
    awaitSms(PHONE, "At most 2 IM accounts at once.");
  }

  @Test
  @DisplayName("WHO asks for the online contacts; presence changes are not texted one by one")
  void whoAndNoPresenceSpam() throws Exception {
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online: 1 Bob");
    int before = f.sms.sentTo(PHONE).size();
    ImPort.ImSession carol = ((ImPort.LoginResult.Ok) im.login(new ImPort.Credentials("carol", "carolpw".toCharArray()),
        new NoEvents(), Duration.ofSeconds(5)).toCompletableFuture().get()).session();
    f.settle();
    assertThat(f.sms.sentTo(PHONE)).hasSize(before);
    mo(PHONE, "好友");
    awaitSms(PHONE, "alice@chatgate.local在线好友：1 Bob 2 Carol");
    carol.logout();
  }

  @Test
  @DisplayName("LOGOUT ends the session: the contact's messages no longer reach the phone")
  void logout() throws Exception {
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    mo(PHONE, "LOGOUT");
    awaitSms(PHONE, "Logged out of alice@chatgate.local.");
    assertThat(bob.send("alice", "anyone?").toCompletableFuture().get()).isInstanceOf(ImPort.SendResult.Failed.class);
    mo(PHONE, "WHO");
    awaitSms(PHONE, "Not logged in.");
  }

  @Test
  @DisplayName("after a restart the phone is told to log in again; an idle session is ended with an SMS")
  void restartAndIdle() {
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    // A new relay over the same records is what a restarted gateway has.
    ImRelay after = new ImRelay(im, accounts, f.auth, f.users, ImRelay.Texter.of(f.chat),
        f.clock, ImRelay.Settings.defaults());
    assertThat(after.tellRestarted()).isEqualTo(1);
    awaitSms(PHONE, "chatgate restarted: log in again to alice@chatgate.local.");
    assertThat(accounts.logins()).isEmpty();
    mo(PHONE2, "LOGIN carol carolpw");
    awaitSms(PHONE2, "carol@chatgate.local online");
    f.clock.advance(Duration.ofHours(2));
    assertThat(relay.sweepIdle()).isGreaterThanOrEqualTo(1);
    awaitSms(PHONE2, "Logged out of carol@chatgate.local after 1h without use.");
  }

  @Test
  @DisplayName("issue 15: after STOP no IM relay text or restart notice is sent; replies to the phone's own commands still are")
  void stopIsHonouredForImRelayTextsAndNotices() throws Exception {
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    mo(PHONE, "STOP");
    awaitSms(PHONE, "chatgate: you will get no more SMS.");
    int before = f.sms.sentTo(PHONE).size();
    // STOP ended the phone's IM session: the contact's message finds no one to relay to.
    assertThat(bob.send("alice", "are you there?").toCompletableFuture().get()).isInstanceOf(ImPort.SendResult.Failed.class);
    // A login recorded before a restart (another node's, say) gets no "log in again" SMS either.
    accounts.loggedIn(new chatgate.core.port.ImAccounts.Login(PHONE, "alice@chatgate.local", f.clock.instant()));
    ImRelay after = new ImRelay(im, accounts, f.auth, f.users, ImRelay.Texter.of(f.chat),
        f.clock, ImRelay.Settings.defaults());
    assertThat(after.tellRestarted()).isEqualTo(1);
    // The answer to the phone's own command still goes, and is the only SMS since STOP (the canary).
    mo(PHONE, "WHO");
    awaitSms(PHONE, "Not logged in.");
    assertThat(f.sms.sentTo(PHONE)).hasSize(before + 1);
  }

  @Test
  @DisplayName("issue 15: a contact's message relayed to a phone that stopped SMS (while a session lingers) is not sent")
  void aRelayTextToAStoppedPhoneIsNotSent() throws Exception {
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    int before = f.sms.sentTo(PHONE).size();
    // As when STOP reached another node: the user is stopped, this node's session still runs.
    f.users.save(f.users.find(PHONE).orElseThrow().withSmsStopped(true));
    bob.send("alice", "are you there?").toCompletableFuture().get();
    mo(PHONE, "WHO");
    awaitSms(PHONE, "alice@chatgate.local online");
    assertThat(f.sms.sentTo(PHONE)).hasSize(before + 1);
  }

  @Test
  @DisplayName("an account that stands for a web user takes messages on its chat page when no phone is logged in")
  void webUserAsContact() {
    accounts.save(new Account("erin@chatgate.local", "Erin", Passwords.hash("x".toCharArray()), Optional.of(PHONE2),
        f.clock.instant()));
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    mo(PHONE, "@erin are you there");
    await().atMost(Duration.ofSeconds(5)).until(() -> bridged.contains("alice@chatgate.local->+8613800000042:are you there"));
  }

  @Test
  void passwordsHashAndVerify() {
    String h = Passwords.hash("s3cret".toCharArray());
    assertThat(h).startsWith("pbkdf2-sha256$").doesNotContain("s3cret");
    assertThat(Passwords.verify("s3cret".toCharArray(), h)).isTrue();
    assertThat(Passwords.verify("s3creT".toCharArray(), h)).isFalse();
    assertThat(Passwords.verify("s3cret".toCharArray(), "garbage")).isFalse();
  }

  /** Two nodes' view of who holds which phone, as the cluster's leases would give it. */
  static final class SharedOwners {
    final java.util.Map<Msisdn, String> holder = new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.Map<String, ImRelayHandler> nodes = new java.util.concurrent.ConcurrentHashMap<>();

    interface ImRelayHandler {
      void handle(MobileOriginated mo);
    }

    chatgate.core.port.ImSessionOwners node(String name) {
      return new chatgate.core.port.ImSessionOwners() {
        @Override
        public void holding(Msisdn phone) {
          holder.put(phone, name);
        }

        @Override
        public void released(Msisdn phone) {
          holder.remove(phone, name);
        }

        @Override
        public boolean handOver(MobileOriginated mo) {
          String h = holder.get(mo.from());
          if (h == null || h.equals(name) || !nodes.containsKey(h)) {
            return false;
          }
          nodes.get(h).handle(mo);
          return true;
        }

        @Override
        public boolean heldAnywhere(Msisdn phone) {
          return holder.containsKey(phone);
        }
      };
    }
  }

  @Test
  @DisplayName("issue 7: an MO reaching a node without the phone's IM session is handled by the node holding it")
  void anMoIsHandedToTheNodeHoldingTheSession() throws Exception {
    SharedOwners shared = new SharedOwners();
    relay.owners(shared.node("n1"));
    shared.nodes.put("n1", mo -> f.mo.onMobileOriginated(mo));
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    assertThat(shared.holder).containsEntry(PHONE, "n1");
    // A second node: its relay holds no session of PHONE, so it hands the MO over.
    ImRelay other = new ImRelay(im, accounts, f.auth, f.users, ImRelay.Texter.of(f.chat),
        f.clock, ImRelay.Settings.defaults());
    other.owners(shared.node("n2"));
    MobileOriginated chat = new MobileOriginated("x1", PHONE, "10658", "@bob hello from node 2", f.clock.instant(),
        Optional.empty());
    assertThat(other.handedOver(chat)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> bobGot.contains("alice@chatgate.local:hello from node 2"));
    // A phone nobody holds is handled where its MO arrived.
    assertThat(other.handedOver(new MobileOriginated("x2", PHONE2, "10658", "HELP", f.clock.instant(),
        Optional.empty()))).isFalse();
    mo(PHONE, "LOGOUT");
    awaitSms(PHONE, "Logged out of alice@chatgate.local.");
    assertThat(shared.holder).doesNotContainKey(PHONE);
  }

  @Test
  @DisplayName("issue 7: when the node holding a phone's IM session dies, a live node tells the phone once to log in again")
  void aDeadNodesPhonesAreToldOnce() {
    SharedOwners shared = new SharedOwners();
    relay.owners(shared.node("n1"));
    mo(PHONE, "LOGIN alice alicepw");
    awaitSms(PHONE, "alice@chatgate.local online");
    ImRelay n2 = new ImRelay(im, accounts, f.auth, f.users, ImRelay.Texter.of(f.chat),
        f.clock, ImRelay.Settings.defaults());
    ImRelay n3 = new ImRelay(im, accounts, f.auth, f.users, ImRelay.Texter.of(f.chat),
        f.clock, ImRelay.Settings.defaults());
    n2.owners(shared.node("n2"));
    n3.owners(shared.node("n3"));
    f.clock.advance(Duration.ofMinutes(1));
    // n1 alive and holding: nobody is told.
    assertThat(n2.tellOrphaned(Duration.ofSeconds(30))).isZero();
    // n1 dies: its hold lapses (the lease's TTL); the record stays.
    shared.holder.remove(PHONE);
    assertThat(n2.tellOrphaned(Duration.ofSeconds(30)) + n3.tellOrphaned(Duration.ofSeconds(30))).isEqualTo(1);
    awaitSms(PHONE, "alice@chatgate.local: connection lost. Log in again.");
    assertThat(accounts.logins()).isEmpty();
  }

  static final class NoEvents implements ImPort.Events {
    @Override
    public void onMessage(String from, String text, String id) {}

    @Override
    public void onPresence(ImPort.Contact contact) {}

    @Override
    public void onEnded(ImPort.EndReason why, String reason) {}
  }
}
