package chatgate.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

    /**
     * A contact's XEP-0184 receipt: the message sent with stanza id {@code id} reached one of
     * {@code from}'s clients (ADR 0022).
     */
    default void onReceipt(String from, String id) {}

    /** The session is back after a drop (resumed or logged in again): what waited for it may go now. */
    default void onBack() {}
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
    /** The server took it (XMPP: acknowledged by stream management, XEP-0198). */
    record Sent(String id) implements SendResult {}

    /** Refused for good (no such contact, not an address): sending again would not help. */
    record Failed(String reason) implements SendResult {}

    /**
     * Not taken now (the stream is down or being resumed, or it was lost before the server
     * acknowledged the message): send again, with the same id, once the session is back.
     */
    record Retry(String reason) implements SendResult {}
  }

  /** Whether the IM server's own archive (XMPP: XEP-0313 MAM) holds a message the account sent (ADR 0030). */
  enum Archived {
    /** The server has it: it reached the server (and so the contact), whatever became of the session. */
    YES,
    /** The archive, complete for the time asked, does not have it: the server never took it. */
    NO,
    /** The server cannot tell (no archive, archiving off, the time too long ago, too many to look through). */
    UNKNOWN
  }

  /** A logged-in account. */
  interface ImSession {
    /** The account's canonical address (bare JID). */
    String account();

    /** The roster as known now, online contacts first, then by name. */
    List<Contact> contacts();

    /**
     * The name the phone gave at login (the patent's {@code 用户名}, P1.8): shown to this account's
     * contacts where the service can (the built-in one renames the account). Default: not shown.
     */
    default void displayName(String name) {}

    /**
     * Sends a chat message with stanza id {@code id} (a stable id per message, so that a message
     * sent again is recognisable as the same one; null: the port picks one). While a message with
     * this id is on its way (sent, not yet acknowledged), sending it again sends nothing more and
     * answers with that message's outcome.
     */
    CompletionStage<SendResult> send(String to, String text, String id, Runnable beforeWire);

    /**
     * {@link #send(String, String, String, Runnable)}; {@code beforeWire} runs just before the
     * message goes on the wire, and only if it does (the delivery stage records there that it
     * may have reached the server): if it throws, nothing is sent and the answer is {@link SendResult.Retry}.
     */
    default CompletionStage<SendResult> send(String to, String text, String id) {
      return send(to, text, id, () -> {});
    }

    default CompletionStage<SendResult> send(String to, String text) {
      return send(to, text, null);
    }

    /**
     * Whether this session has sent (or tried to send) a message with this id. A message handed
     * to a session that no longer exists (a crash, a new login) may or may not have reached the
     * server; a new session does not know it (ADR 0022).
     */
    default boolean knows(String id) {
      return false;
    }

    /**
     * Whether the server archived a message this account sent to {@code to} with stanza (or
     * XEP-0359 origin) id {@code id}, at or after {@code since}: how a text handed to a session that
     * was lost before the server confirmed it is settled exactly (ADR 0030). Bounded: an archive
     * that cannot answer for all of that time, or only by reading too much, answers
     * {@link Archived#UNKNOWN}. Completes exceptionally when the question could not be asked now
     * (no answer, the stream down): ask again later.
     */
    default CompletionStage<Archived> archived(String to, String id, Instant since) {
      return CompletableFuture.completedFuture(Archived.UNKNOWN);
    }

    /** Ends the session; no {@link Events#onEnded} follows. */
    void logout();

    /**
     * Ends the session now, without waiting for the server's answer (the connection is dropped):
     * the gateway is stopping and {@link #logout()} did not finish in time. Safe to call while a
     * {@link #logout()} is waiting in another thread; no {@link Events#onEnded} follows.
     */
    default void abort() {
      logout();
    }
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
