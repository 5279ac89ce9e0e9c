package chatgate.core.im;

import chatgate.core.contract.ImPortContract;
import chatgate.core.memory.MemoryImAccounts;
import chatgate.core.port.ImAccounts.Account;
import chatgate.core.port.ImPort;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The built-in IM service passes the IM port contract; its peer is another account's session. */
class BuiltinImContractTest implements ImPortContract {
  final MemoryImAccounts accounts = new MemoryImAccounts();
  final BuiltinIm im = new BuiltinIm(accounts, "chatgate.local", m -> false, (from, web, text) -> false);

  @Override
  public ImPort im() {
    return im;
  }

  @Override
  public void account(String local, String password) {
    accounts.save(new Account(local + "@chatgate.local", "", Passwords.hash(password.toCharArray()), Optional.empty(),
        Instant.now()));
  }

  @Override
  public Peer peer(String local, String password) throws Exception {
    Inbox in = new Inbox();
    ImPort.ImSession s = ((ImPort.LoginResult.Ok) im.login(new ImPort.Credentials(local, password.toCharArray()),
        new ImPort.Events() {
          @Override
          public void onMessage(String from, String text, String id) {
            in.messages.add(from + "|" + text);
          }

          @Override
          public void onPresence(ImPort.Contact contact) {}

          @Override
          public void onEnded(ImPort.EndReason why, String reason) {}
        }, Duration.ofSeconds(5)).toCompletableFuture().get()).session();
    return new Peer() {
      @Override
      public String address() {
        return s.account();
      }

      @Override
      public void befriend(String address) {
        // every built-in account is a contact of every other
      }

      @Override
      public void send(String to, String text) throws Exception {
        s.send(to, text).toCompletableFuture().get();
      }

      @Override
      public List<String> received() {
        return in.messages;
      }

      @Override
      public void close() {
        s.logout();
      }
    };
  }

}
