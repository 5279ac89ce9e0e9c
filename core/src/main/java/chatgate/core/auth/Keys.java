package chatgate.core.auth;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The gateway's one secret key, kept outside the database (a file the operator holds; ADR 0013),
 * and the keys derived from it, one per use. A copy of the database alone then yields no reply
 * link, login code, CSRF token or MO reference, and no use's output tells anything of another's.
 * Every node of a cluster must hold the same key: {@link #checkValue()} lets the store notice one
 * that does not.
 */
public final class Keys {
  /** What a derived key is for; its name is part of the derivation, so never rename one. */
  public enum Purpose {
    CSRF, LOGIN_CODE, MO_REF, REPLY_LINK, MESSAGE_BODY, KEY_CHECK, ADMIN
  }

  public static final int KEY_BYTES = 32;
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int GCM_IV = 12;
  private static final int GCM_TAG_BITS = 128;
  private static final String SEALED = "gcm1:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<Purpose, byte[]> derived = new EnumMap<>(Purpose.class);

  private Keys(byte[] master) {
    if (master.length < 16) {
      throw new IllegalArgumentException("the secret key must hold at least 16 bytes");
    }
    for (Purpose p : Purpose.values()) {
      derived.put(p, hmac(master, ("chatgate/" + p.name()).getBytes(StandardCharsets.US_ASCII)));
    }
  }

  public static Keys of(byte[] master) {
    return new Keys(master.clone());
  }

  /** A fresh key: for tests and for a new key file. */
  public static byte[] newKey() {
    byte[] k = new byte[KEY_BYTES];
    RANDOM.nextBytes(k);
    return k;
  }

  /** Keys from a fresh random secret (tests, the in-memory gateway). */
  public static Keys random() {
    return new Keys(newKey());
  }

  /** HMAC-SHA256 of the data under the purpose's key. */
  public byte[] mac(Purpose purpose, String data) {
    return hmac(derived.get(purpose), data.getBytes(StandardCharsets.UTF_8));
  }

  /** The first {@code bytes} of the MAC, in hex. */
  public String macHex(Purpose purpose, String data, int bytes) {
    return HexFormat.of().formatHex(mac(purpose, data), 0, bytes);
  }

  /** The first {@code bytes} of the MAC, base64url without padding: compact identifiers. */
  public String macB64(Purpose purpose, String data, int bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac(purpose, data), bytes));
  }

  /**
   * A base62 string of {@code length} characters (at most 40) drawn from the MAC: a token that
   * can be made again from what it names, so only its hash needs storing.
   */
  public String macBase62(Purpose purpose, String data, int length) {
    if (length > 40) {
      throw new IllegalArgumentException("at most 40 characters");
    }
    byte[] m = mac(purpose, data);
    // 5.95 bits per character from a 256-bit MAC; uniform enough for 40 characters (bias < 2^-200).
    BigInteger n = new BigInteger(1, m);
    BigInteger base = BigInteger.valueOf(62);
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      BigInteger[] qr = n.divideAndRemainder(base);
      out[i] = BASE62[qr[1].intValue()];
      n = qr[0];
    }
    return new String(out);
  }

  /** Whether {@code mac} is the MAC of the data (constant time). */
  public boolean verify(Purpose purpose, String data, byte[] mac) {
    return MessageDigest.isEqual(mac(purpose, data), mac);
  }

  /**
   * Encrypts a text for the store (AES-256-GCM, random nonce): bodies that hold a secret, such as
   * a login code waiting to be sent, are never stored readable.
   */
  public String seal(String plain) {
    try {
      byte[] iv = new byte[GCM_IV];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(derived.get(Purpose.MESSAGE_BODY), "AES"),
          new GCMParameterSpec(GCM_TAG_BITS, iv));
      byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      ByteBuffer b = ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct);
      return SEALED + Base64.getEncoder().encodeToString(b.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether a stored text was sealed by {@link #seal}. */
  public static boolean sealed(String stored) {
    return stored != null && stored.startsWith(SEALED);
  }

  /** A stored text as it is to be sent: opened if sealed, else as it is. */
  public String openIfSealed(String stored) {
    return sealed(stored) ? open(stored) : stored;
  }

  /** The text {@link #seal} sealed; throws if it was sealed under another key or altered. */
  public String open(String sealed) {
    if (!sealed(sealed)) {
      throw new IllegalArgumentException("not a sealed text");
    }
    try {
      byte[] all = Base64.getDecoder().decode(sealed.substring(SEALED.length()));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(derived.get(Purpose.MESSAGE_BODY), "AES"),
          new GCMParameterSpec(GCM_TAG_BITS, all, 0, GCM_IV));
      return new String(c.doFinal(all, GCM_IV, all.length - GCM_IV), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("a sealed text could not be opened (another key, or altered)", e);
    }
  }

  /**
   * A short value that tells keys apart without revealing them (a MAC of a constant), kept by the
   * store so that a node started with another key is refused rather than silently breaking links.
   */
  public String checkValue() {
    return macHex(Purpose.KEY_CHECK, "key-check", 8);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Keys[***]";
  }
}
