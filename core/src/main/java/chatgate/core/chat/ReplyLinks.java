package chatgate.core.chat;

import chatgate.core.auth.Keys;
import chatgate.core.auth.Tokens;

/**
 * Reply-link tokens (P2.7, ADR 0014): a MAC of the delivery's id under the key file's key, so a
 * token can be made again wherever a link is composed (SMS, WAP Push, page, live push) and the
 * store keeps only its hash. 12 base62 characters (71 bits), as before: SMS do not get longer.
 */
public final class ReplyLinks {
  /** Length of reply-link tokens. */
  public static final int TOKEN_LENGTH = 12;

  private ReplyLinks() {}

  /** The token of a delivery's reply link. */
  public static String token(Keys keys, long deliveryId) {
    return keys.macBase62(Keys.Purpose.REPLY_LINK, "reply|" + deliveryId, TOKEN_LENGTH);
  }

  /** What the store keeps of a token, and looks it up by. */
  public static String hash(String token) {
    return Tokens.sha256(token);
  }
}
