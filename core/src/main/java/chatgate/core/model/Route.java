package chatgate.core.model;

/** The channel the routing policy chose for one recipient. */
public enum Route {
  /** An open event stream of the recipient takes it now (P2.4). */
  LIVE_STREAM,
  /** The recipient browses pages that refresh; the next fetch shows it (P2.4). */
  LIVE_PAGE,
  /** A text SMS with the reply link (P2.5, P2.6). */
  SMS,
  /** A WAP Push Service Indication whose href is the reply link, for handsets that take it. */
  WAP_PUSH,
  /** No channel now (STOP): only kept for the web. */
  KEEP,
  /**
   * A phone's text to an IM contact, through the phone's own IM session (P1.5, ADR 0022): sent
   * once the session takes it, delivered on the contact's XEP-0184 receipt.
   */
  IM
}
