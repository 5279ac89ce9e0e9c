package chatgate.core.model;

/** Who a chat message is addressed to: a phone (P2.9) or a group (P2.10). */
public sealed interface Target permits Msisdn, GroupId {
  /** The id as stored and as typed in a "to" field. */
  String id();
}
