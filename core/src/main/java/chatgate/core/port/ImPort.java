package chatgate.core.port;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * An instant-messaging service the gateway logs in to on a phone's behalf (CN101784017A, P1.2–P1.7):
 * an XMPP server, or the built-in IM service. One {@link ImSession} per logged-in account; the
 * password is used for the login and not kept by the port beyond what the protocol needs.
 */
public interface ImPort {

  /** The account, as the user typed it: a full address, or a local part on the port's default domain. */
  record Credentials(String account, char[] password) {
    @Override
    public String toString() {
      return "Credentials[" + account + ", password=***]";
    }
  }

  /** A contact on the account's roster and whether it is online now. */
  record Contact(String address, String name, boolean online, Optional<String> status) {
    public Contact {
      status = status == null ? Optional.empty() : status;
    }
  }

  /** What the IM side sends the gateway for one session. Called from the port's threads; must not block long. */
  interface Events {
    /** A chat message from a contact; {@code id} de-duplicates repeats (stanza id or a hash). */
    void onMessage(String from, String text, String id);

    /** A contact's presence changed (kept for WHO; not texted one by one). */
    void onPresence(Contact contact);

    /**
     * The server ended the session and the port will not log in again: {@code why} picks what the
     * phone is told; {@code detail} is for the log (the server's words, never a secret).
     */
    void onEnded(EndReason why, String detail);
  }

  /** Why a session ended without the phone asking (issue 16: the phone is told which). */
  enum EndReason {
    /** The server went away or dropped the session, and it could not be resumed in time. */
    SERVER_GONE,
    /** The account logged in elsewhere and the server ended this session for it (stream conflict). */
    REPLACED,
    /** The server's administrator ended the session (kicked, account removed or its password changed). */
    KICKED
  }

  /** The outcome of a login. */
  sealed interface LoginResult {
    record Ok(ImSession session) implements LoginResult {}

    /** The server refused the credentials. */
    record BadCredentials() implements LoginResult {}

    /** The server could not be reached or did not answer in time: try again later. */
    record Unavailable(String reason) implements LoginResult {
      /** The reason when this node already holds as many sessions as it may ({@code [xmpp] max_sessions}). */
      public static final String SESSION_LIMIT = "session limit reached";

      public boolean sessionLimit() {
        return SESSION_LIMIT.equals(reason);
      }
    }
  }

  /** The outcome of sending one message. */
  sealed interface SendResult {
    record Sent(String id) implements SendResult {}

    record Failed(String reason) implements SendResult {}
  }

  /** A logged-in account. */
  interface ImSession {
    /** The account's canonical address (bare JID). */
    String account();

    /** The roster as known now, online contacts first, then by name. */
    List<Contact> contacts();

    CompletionStage<SendResult> send(String to, String text);

    /** Ends the session; no {@link Events#onEnded} follows. */
    void logout();
  }

  /** Logs in; never blocks longer than {@code timeout}, answering {@link LoginResult.Unavailable} then. */
  CompletionStage<LoginResult> login(Credentials credentials, Events events, Duration timeout);

  /** The domain a bare local part is taken to be on. */
  String defaultDomain();

  /**
   * Whether the account still exists. The built-in service's accounts can be removed while
   * logged in ({@code admin im-account remove}, another process); an IM server ends such a
   * session itself ({@link Events#onEnded}).
   */
  default boolean exists(String account) {
    return true;
  }

  /** The IM server can be reached now (for /readyz); a built-in service always can. */
  default boolean reachable() {
    return true;
  }
}
