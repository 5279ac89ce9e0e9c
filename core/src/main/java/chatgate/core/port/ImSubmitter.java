package chatgate.core.port;

import chatgate.core.model.ImContact;
import chatgate.core.model.Msisdn;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The IM channel as the delivery stage sees it (ADR 0022), as {@link SmsPort} is the SMS one: a
 * phone's text to an IM contact, stored when its MO came, is submitted here through the phone's
 * IM session, on this node or on the node that holds it. The IM relay implements it.
 */
public interface ImSubmitter {

  /**
   * One text to submit.
   *
   * @param stanzaId stable per delivery: a message sent again carries the same id
   * @param handedBefore the text was already handed to a session once: if the session it was
   *     handed to is gone, the server's archive is asked whether it got it (ADR 0030)
   * @param since no attempt of it was earlier than this (when it was stored): where to start
   *     looking in the archive
   */
  record Submission(long deliveryId, Msisdn phone, ImContact to, String text, String stanzaId, boolean handedBefore,
      Instant since) {}

  /** What became of one submission. */
  sealed interface Outcome {
    /** The IM server took it (acknowledged, XEP-0198). */
    record Sent() implements Outcome {}

    /** Not taken now (stream down or resuming, no acknowledgement yet): again later, same id. */
    record Retry(String reason) implements Outcome {}

    /** Refused for good by the server or the port. */
    record Failed(String reason) implements Outcome {}

    /** The phone has no session on that account anywhere now: it waits for the phone to log in again. */
    record NoSession() implements Outcome {}

    /**
     * It was handed to a session that is gone (a crash, a node lost) and the server cannot tell
     * whether it got it (no archive, ADR 0030): it may or may not have reached the server. Not
     * sent again, so that the contact never gets it twice.
     */
    record InDoubt() implements Outcome {}
  }

  /** Why a text is not delivered, as the phone is told. */
  enum Why {
    /** The server or the port refused it ({@code detail} says how). */
    REFUSED,
    /** The phone logged out of that account (or sent STOP) before it went. */
    LOGGED_OUT,
    /** The phone did not log in to that account again within the retention. */
    EXPIRED,
    /** Handed to a session that was lost before the server confirmed it, and the server cannot tell. */
    SESSION_LOST
  }

  CompletionStage<Outcome> submit(Submission s);

  /** Tells the phone, once per delivery, in its language, that this text did not (or may not have) arrive(d). */
  void undelivered(Submission s, Why why, String detail);

  /** No IM relay on this gateway. */
  ImSubmitter NONE = new ImSubmitter() {
    @Override
    public CompletionStage<Outcome> submit(Submission s) {
      return CompletableFuture.completedFuture(new Outcome.NoSession());
    }

    @Override
    public void undelivered(Submission s, Why why, String detail) {}
  };

  /** What the IM relay tells the delivery stage about its sessions. */
  interface Deliveries {
    /**
     * The text of this delivery is about to go on the wire of a session, as {@code stanzaId}:
     * recorded durably before it does, so that after a crash it is known to be in doubt.
     */
    void handing(long deliveryId, String stanzaId);

    /** A contact's XEP-0184 receipt on one of the phone's sessions. */
    void receipt(Msisdn phone, String from, String stanzaId);

    /** The phone's session on this account is (back) up: its waiting texts may go now, in order. */
    void sessionUp(Msisdn phone, String account);

    /** The phone logged out of this account (empty: of all, as with STOP): its waiting texts will not go. */
    void loggedOut(Msisdn phone, String account);

    Deliveries NONE = new Deliveries() {
      @Override
      public void handing(long deliveryId, String stanzaId) {}

      @Override
      public void receipt(Msisdn phone, String from, String stanzaId) {}

      @Override
      public void sessionUp(Msisdn phone, String account) {}

      @Override
      public void loggedOut(Msisdn phone, String account) {}
    };
  }
}
