package chatgate.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Unguessable tokens and their hashes. */
public final class Tokens {
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final char[] DIGITS = "0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /**
   * A random base62 string. 12 characters carry 71 bits: short enough for an SMS reply link,
   * far beyond guessing at any request rate the gateway answers.
   */
  public static String random(int length) {
    return new String(draw(length, BASE62));
  }

  /** A numeric one-time code of this many digits. */
  public static String digits(int length) {
    return new String(draw(length, DIGITS));
  }

  /**
   * Characters drawn uniformly from the alphabet with one read of the generator per batch of
   * bytes, not one per character: the system generator is shared and locked, and every message
   * takes a reply token (one nextInt per character made the accepting threads queue on it).
   * A byte at or above the largest multiple of the alphabet's size is dropped, so no character
   * is likelier than another.
   */
  private static char[] draw(int length, char[] alphabet) {
    int limit = 256 - 256 % alphabet.length;
    char[] out = new char[length];
    byte[] bytes = new byte[length + length / 4 + 4];
    int filled = 0;
    while (filled < length) {
      RANDOM.nextBytes(bytes);
      for (int i = 0; i < bytes.length && filled < length; i++) {
        int b = bytes[i] & 0xFF;
        if (b < limit) {
          out[filled++] = alphabet[b % alphabet.length];
        }
      }
    }
    return out;
  }

  public static boolean isToken(String s, int maxLength) {
    if (s == null || s.isEmpty() || s.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  public static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison, for codes and MACs. */
  public static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
