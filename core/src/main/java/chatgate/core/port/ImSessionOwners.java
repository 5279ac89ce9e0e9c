package chatgate.core.port;

import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsInbound.MobileOriginated;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which node holds a phone's IM sessions, when several nodes share the work (issue 7). A session
 * cannot move to another node (the IM password is never kept), so the phone's traffic moves to
 * it instead: an MO that reaches a node not holding the phone's sessions is handed to the node
 * that does. When a holder dies, its hold lapses and a live node tells the phone to log in again.
 */
public interface ImSessionOwners {
  /** This node now holds IM sessions of the phone. */
  void holding(Msisdn phone);

  /** This node's last IM session of the phone ended. */
  void released(Msisdn phone);

  /** Another live node holds the phone's sessions and handled this MO; false: handle it here. */
  boolean handOver(MobileOriginated mo);

  /** Some node, this one or another, holds IM sessions of the phone now. */
  boolean heldAnywhere(Msisdn phone);

  /**
   * Submits a phone's stored text to an IM contact through the node that holds the phone's
   * session (ADR 0022); {@link ImSubmitter.Outcome.NoSession} if no node answers for it.
   */
  default CompletionStage<ImSubmitter.Outcome> submit(ImSubmitter.Submission s) {
    return CompletableFuture.completedFuture(new ImSubmitter.Outcome.NoSession());
  }

  /** One node alone: it holds every session, and nothing is ever handed over. */
  ImSessionOwners ALONE = new ImSessionOwners() {
    @Override
    public void holding(Msisdn phone) {}

    @Override
    public void released(Msisdn phone) {}

    @Override
    public boolean handOver(MobileOriginated mo) {
      return false;
    }

    @Override
    public boolean heldAnywhere(Msisdn phone) {
      return false;
    }
  };
}
