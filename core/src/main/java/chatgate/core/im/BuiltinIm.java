package chatgate.core.im;

import chatgate.core.model.Msisdn;
import chatgate.core.port.ImAccounts;
import chatgate.core.port.ImAccounts.Account;
import chatgate.core.port.ImPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The built-in IM service: accounts kept by the gateway ({@code admin im-account}), so the whole
 * P1 flow runs with no IM server. Every account has every other account as a contact (a small
 * community's directory). An account may stand for a chat-page user: it is online while that user
 * is, and a message to it with no phone logged in goes to their chat page or by SMS (P2 routing).
 */
public final class BuiltinIm implements ImPort {
  /** Hands a message for a web user's account to the chat service; answers whether it was taken. */
  public interface WebBridge {
    boolean deliver(String fromAccount, Msisdn webUser, String text);
  }

  private final ImAccounts accounts;
  private final String domain;
  private final Predicate<Msisdn> webOnline;
  private final WebBridge bridge;
  private final Map<String, List<Session>> live = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /**
   * The messages this service took, by sender, recipient and id (its archive, ADR 0030): in memory,
   * so complete only for what this process took since {@link #completeFrom}, and bounded.
   */
  private final Map<String, Boolean> taken = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      if (size() > TAKEN_MAX) {
        completeFrom = clock.instant(); // what is older may have been forgotten
        return true;
      }
      return false;
    }
  };
  private static final int TAKEN_MAX = 100_000;
  private final Clock clock;
  private volatile Instant completeFrom;

  public BuiltinIm(ImAccounts accounts, String domain, Predicate<Msisdn> webOnline, WebBridge bridge) {
    this(accounts, domain, webOnline, bridge, Clock.systemUTC());
  }

  public BuiltinIm(ImAccounts accounts, String domain, Predicate<Msisdn> webOnline, WebBridge bridge, Clock clock) {
    this.clock = clock;
    this.completeFrom = clock.instant();
    this.accounts = accounts;
    this.domain = domain.toLowerCase(Locale.ROOT);
    this.webOnline = webOnline;
    this.bridge = bridge;
  }

  @Override
  public String defaultDomain() {
    return domain;
  }

  @Override
  public boolean exists(String account) {
    return accounts.find(address(account)).isPresent();
  }

  /** The canonical address of what a user typed: {@code bob} → {@code bob@domain}. */
  public String address(String typed) {
    String a = typed.strip().toLowerCase(Locale.ROOT);
    return a.contains("@") ? a : a + "@" + domain;
  }

  @Override
  public CompletionStage<LoginResult> login(Credentials c, Events events, Duration timeout) {
    Optional<Account> account = accounts.find(address(c.account()));
    if (account.isEmpty() || !Passwords.verify(c.password(), account.get().passwordHash())) {
      return CompletableFuture.completedFuture(new LoginResult.BadCredentials());
    }
    Session s = new Session(account.get().address(), events);
    live.computeIfAbsent(s.account, k -> new CopyOnWriteArrayList<>()).add(s);
    announce(s.account, true);
    return CompletableFuture.completedFuture(new LoginResult.Ok(s));
  }

  private boolean online(Account a) {
    List<Session> s = live.get(a.address());
    return (s != null && !s.isEmpty()) || a.webUser().map(webOnline::test).orElse(false);
  }

  private Contact contact(Account a) {
    return new Contact(a.address(), a.name().isEmpty() ? a.address().split("@")[0] : a.name(), online(a), Optional.empty());
  }

  /** Tells the other logged-in accounts that this one came or went. */
  private void announce(String address, boolean cameOnline) {
    Optional<Account> a = accounts.find(address);
    if (a.isEmpty()) {
      return;
    }
    Contact c = contact(a.get());
    for (var e : live.entrySet()) {
      if (!e.getKey().equals(address)) {
        for (Session s : e.getValue()) {
          s.events.onPresence(c);
        }
      }
    }
  }

  /** Ends every session of an account, e.g. when it is removed. */
  public void kick(String address, String reason) {
    List<Session> s = live.remove(address);
    if (s != null) {
      s.forEach(x -> x.events.onEnded(ImPort.EndReason.KICKED, reason));
    }
  }

  private final class Session implements ImSession {
    final String account;
    final Events events;

    Session(String account, Events events) {
      this.account = account;
      this.events = events;
    }

    @Override
    public String account() {
      return account;
    }

    @Override
    public void displayName(String name) {
      Optional<Account> a = accounts.find(account);
      if (a.isPresent() && !a.get().name().equals(name)) {
        accounts.save(new Account(a.get().address(), name, a.get().passwordHash(), a.get().webUser(), a.get().createdAt()));
        announce(account, true); // contacts' rosters show the new name
      }
    }

    @Override
    public List<Contact> contacts() {
      List<Contact> out = new ArrayList<>();
      for (Account a : accounts.all()) {
        if (!a.address().equals(account)) {
          out.add(contact(a));
        }
      }
      out.sort(Comparator.comparing((Contact c) -> !c.online()).thenComparing(Contact::name, String.CASE_INSENSITIVE_ORDER));
      return out;
    }

    @Override
    public CompletionStage<SendResult> send(String to, String text, String stanzaId, Runnable beforeWire) {
      String target = address(to);
      Optional<Account> a = accounts.find(target);
      if (a.isEmpty()) {
        return CompletableFuture.completedFuture(new SendResult.Failed("no such account: " + target));
      }
      String id = stanzaId != null ? stanzaId : "b" + ids.incrementAndGet();
      try {
        beforeWire.run();
      } catch (RuntimeException e) {
        return CompletableFuture.completedFuture(new SendResult.Retry("not recorded: " + e.getMessage()));
      }
      List<Session> sessions = live.get(target);
      boolean listening = sessions != null && !sessions.isEmpty();
      if (listening || a.get().webUser().isPresent()) {
        synchronized (taken) {
          taken.put(account + "|" + target + "|" + id, Boolean.TRUE);
        }
      }
      if (listening) {
        sessions.forEach(s -> s.events.onMessage(account, text, id));
        // Shown to a live client at once: its receipt (XEP-0184's, in effect) follows, off this call.
        Thread.ofVirtual().name("builtin-im-receipt").start(() -> events.onReceipt(target, id));
        return CompletableFuture.completedFuture(new SendResult.Sent(id));
      }
      if (a.get().webUser().isPresent() && bridge.deliver(account, a.get().webUser().get(), text)) {
        return CompletableFuture.completedFuture(new SendResult.Sent(id));
      }
      return CompletableFuture.completedFuture(new SendResult.Failed(target + " is offline"));
    }

    /**
     * Whether this service took the message: exact for what this process took since it started
     * (or since it last forgot one, past {@link #TAKEN_MAX}); a text handed before then, say by a
     * gateway that crashed, cannot be told.
     */
    @Override
    public CompletionStage<Archived> archived(String to, String id, Instant since) {
      String key = account + "|" + address(to) + "|" + id;
      synchronized (taken) {
        if (taken.containsKey(key)) {
          return CompletableFuture.completedFuture(Archived.YES);
        }
      }
      return CompletableFuture.completedFuture(since.isBefore(completeFrom) ? Archived.UNKNOWN : Archived.NO);
    }

    @Override
    public void logout() {
      List<Session> s = live.get(account);
      if (s != null) {
        s.remove(this);
      }
      announce(account, false);
    }
  }
}
