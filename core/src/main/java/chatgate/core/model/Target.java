package chatgate.core.model;

/** Who a message is addressed to: a phone (P2.9), a group (P2.10) or, for a phone's text relayed to IM, an IM contact (P1.5). */
public sealed interface Target permits Msisdn, GroupId, ImContact {
  /** The id as stored and as typed in a "to" field. */
  String id();
}
