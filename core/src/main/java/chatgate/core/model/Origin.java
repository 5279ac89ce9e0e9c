package chatgate.core.model;

/** Where a message entered the gateway. */
public enum Origin {
  /** A chat page form or the reply page (P2.2). */
  WEB,
  /** A mobile-originated SMS to the service number. */
  SMS,
  /** An instant-messaging contact (P1.7). */
  IM,
  /** The admin command's {@code send}: a chat message routed like any other. */
  API,
  /**
   * The gateway itself, answering the phone: replies to its commands, login results, HELP,
   * STOP/START confirmations, login codes. Sent by SMS even after STOP.
   */
  SYSTEM,
  /**
   * The gateway itself, unprompted: IM relay texts, restart and idle notices, operator notices.
   * Not sent to a phone that sent STOP (ADR 0016).
   */
  NOTICE,
  /** Kannel-compatible {@code /cgi-bin/sendsms}: a plain SMS sent as given, by SMS only. */
  HTTP_SMS
}
