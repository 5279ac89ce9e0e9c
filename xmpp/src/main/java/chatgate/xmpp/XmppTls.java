package chatgate.xmpp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.java7.XmppHostnameVerifier;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/**
 * How the gateway secures its streams to the XMPP server ({@code [xmpp] tls}, {@code ca_file},
 * {@code cert_pins}; ADR 0018):
 * <ul>
 *   <li>{@code required}: STARTTLS, and the server's certificate verified: issued by a CA the
 *       system trusts or one in {@code ca_file} and naming the XMPP domain, or carrying a public
 *       key in {@code cert_pins} (trusted whoever signed it, whatever it names). Otherwise the
 *       connection is refused.
 *   <li>{@code opportunistic}: RFC 7435 opportunistic security: encrypted whenever the server offers
 *       STARTTLS, even with a certificate that cannot be verified (then unauthenticated, so no
 *       protection against an active attacker); plain when it does not offer it.
 *   <li>{@code disabled}: plain.
 * </ul>
 */
final class XmppTls {
  enum Mode {
    REQUIRED, OPPORTUNISTIC, DISABLED;

    static Mode of(String tls) {
      return switch (tls.toLowerCase(Locale.ROOT)) {
        case "disabled" -> DISABLED;
        case "opportunistic" -> OPPORTUNISTIC;
        default -> REQUIRED;
      };
    }
  }

  /** Why TLS to the server failed, in the operator's words, and what to set. */
  enum Failure {
    NOT_TRUSTED("certificate not trusted",
        "add its CA to [xmpp] ca_file or its key to [xmpp] cert_pins (check the pin out of band),"
            + " or set tls = \"opportunistic\" to encrypt without authenticating the server"),
    HOSTNAME_MISMATCH("certificate does not name the XMPP domain",
        "set [xmpp] domain to a name the certificate carries, have the server use a certificate for the"
            + " domain, or pin its key in [xmpp] cert_pins"),
    NOT_OFFERED("server does not offer STARTTLS",
        "enable TLS on the server, or set [xmpp] tls = \"opportunistic\" to allow a plain connection"),
    HANDSHAKE_FAILED("handshake failed", "check the server's TLS setup (protocol versions, ciphers, certificate)");

    final String cause;
    final String remedy;

    Failure(String cause, String remedy) {
      this.cause = cause;
      this.remedy = remedy;
    }
  }

  private final Mode mode;
  private final X509TrustManager system;
  /** The CAs of {@code ca_file}, or null. */
  private final X509TrustManager privateCas;
  /** Base64 SHA-256 of the SubjectPublicKeyInfo of each pinned key. */
  private final Set<String> pins;

  private XmppTls(Mode mode, X509TrustManager system, X509TrustManager privateCas, Set<String> pins) {
    this.mode = mode;
    this.system = system;
    this.privateCas = privateCas;
    this.pins = pins;
  }

  /**
   * @param caFile PEM file of CAs trusted besides the system's, or empty
   * @param pins {@code sha256/<base64>} pins (validated by the config loader)
   * @throws IllegalArgumentException when {@code caFile} cannot be read or holds no certificate
   */
  static XmppTls of(String tls, String caFile, List<String> pins) {
    try {
      return new XmppTls(Mode.of(tls), trustManager(null), caFile == null || caFile.isBlank() ? null
          : trustManager(caStore(Path.of(caFile))), pins.stream().map(p -> p.substring(p.indexOf('/') + 1))
              .collect(Collectors.toUnmodifiableSet()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's trust store cannot be loaded: " + e, e);
    }
  }

  Mode mode() {
    return mode;
  }

  private static KeyStore caStore(Path file) throws GeneralSecurityException {
    Collection<? extends Certificate> cas;
    try (InputStream in = Files.newInputStream(file)) {
      cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("[xmpp] ca_file " + file + ": cannot read its certificates (" + e.getMessage()
          + ")", e);
    }
    if (cas.isEmpty()) {
      throw new IllegalArgumentException("[xmpp] ca_file " + file + ": no PEM certificate in it");
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int i = 0;
    for (Certificate c : cas) {
      ks.setCertificateEntry("ca" + i++, c);
    }
    return ks;
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    for (TrustManager t : f.getTrustManagers()) {
      if (t instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new IllegalStateException("no X509TrustManager in " + f.getAlgorithm());
  }

  /** The pin of a certificate's public key, without the {@code sha256/} prefix. */
  static String pin(X509Certificate c) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sets the security mode, and for TLS a fresh {@link Check} of the server's certificate; returns the check. */
  Check configure(XMPPTCPConnectionConfiguration.Builder builder) {
    Check check = new Check();
    builder.setSecurityMode(switch (mode) {
      case DISABLED -> SecurityMode.disabled;
      case OPPORTUNISTIC -> SecurityMode.ifpossible;
      case REQUIRED -> SecurityMode.required;
    });
    if (mode != Mode.DISABLED) {
      builder.setCustomX509TrustManager(check).setHostnameVerifier(check);
    }
    return check;
  }

  /**
   * One connection's view of the server's certificate: the trust manager and hostname verifier
   * Smack calls during STARTTLS, remembering what it found so that a failure can be named.
   */
  final class Check implements X509TrustManager, HostnameVerifier {
    private volatile boolean pinned;
    private volatile boolean verified;
    private volatile String unverified;
    private volatile Failure failure;
    private volatile String serverPin = "";

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (chain == null || chain.length == 0) {
        failure = Failure.NOT_TRUSTED;
        throw new CertificateException("no certificate");
      }
      serverPin = "sha256/" + pin(chain[0]);
      if (pins.contains(pin(chain[0]))) {
        pinned = true;
        return;
      }
      CertificateException why;
      try {
        system.checkServerTrusted(chain, authType);
        verified = true;
        return;
      } catch (CertificateException e) {
        why = e;
      }
      if (privateCas != null) {
        try {
          privateCas.checkServerTrusted(chain, authType);
          verified = true;
          return;
        } catch (CertificateException e) {
          why = e;
        }
      }
      if (mode == Mode.OPPORTUNISTIC) {
        unverified = Failure.NOT_TRUSTED.cause;
        return;
      }
      failure = Failure.NOT_TRUSTED;
      throw new CertificateException(Failure.NOT_TRUSTED.cause + ": " + why.getMessage(), why);
    }

    @Override
    public boolean verify(String domain, SSLSession session) {
      if (pinned) {
        return true;
      }
      boolean named = verified && new XmppHostnameVerifier().verify(domain, session);
      if (named) {
        return true;
      }
      if (mode == Mode.OPPORTUNISTIC) {
        if (unverified == null) {
          unverified = Failure.HOSTNAME_MISMATCH.cause;
        }
        return true;
      }
      failure = Failure.HOSTNAME_MISMATCH;
      return false;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("the gateway is the client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return system.getAcceptedIssuers();
    }

    /** The server's key pin, once its certificate was seen (for the operator, to check and pin). */
    String serverPin() {
      return serverPin;
    }

    /** Encrypted but not authenticated (opportunistic): why, or null. */
    String unverified() {
      return unverified;
    }

    /** How the server was authenticated: {@code pinned key} or {@code verified certificate}, or null. */
    String authenticated() {
      return pinned ? "pinned key" : verified && unverified == null ? "verified certificate" : null;
    }

    /** The TLS failure behind a failed connect, or null if it was not one. */
    Failure failure(Throwable e) {
      if (failure != null) {
        return failure;
      }
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SmackException.SecurityRequiredByClientException) {
          return Failure.NOT_OFFERED;
        }
        if (t instanceof SSLPeerUnverifiedException || t instanceof SSLException) {
          return Failure.HANDSHAKE_FAILED;
        }
        if (t instanceof CertificateException c && c.getMessage() != null
            && c.getMessage().startsWith("Hostname verification")) {
          return Failure.HOSTNAME_MISMATCH;
        }
      }
      return null;
    }
  }
}
