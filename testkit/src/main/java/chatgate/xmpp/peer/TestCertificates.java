package chatgate.xmpp.peer;

import chatgate.testkit.ExternalProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Certificates a test makes with openssl for a TLS server: self-signed, or signed by a private
 * CA of its own. Each is a PEM certificate and an unencrypted PEM key, valid for two days.
 */
public final class TestCertificates {
  private static final String OPENSSL = "/usr/bin/openssl";

  /** A certificate file and its key file. */
  public record Pair(Path certificate, Path key) {
    /** The HPKP-style pin of the certificate's public key: {@code sha256/} + base64 SHA-256 of its SubjectPublicKeyInfo. */
    public String pin() throws IOException {
      try (InputStream in = Files.newInputStream(certificate)) {
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        return "sha256/" + Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded()));
      } catch (CertificateException | NoSuchAlgorithmException e) {
        throw new IOException(e);
      }
    }
  }

  private TestCertificates() {}

  /** A self-signed certificate for {@code name} (subject and DNS subjectAltName). */
  public static Pair selfSigned(Path dir, String name) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path cert = dir.resolve(name + "-self.pem");
    Path key = dir.resolve(name + "-self.key");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
        "-days", "2", "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:" + name);
    return new Pair(cert, key);
  }

  /** A private certificate authority: its certificate is what an operator puts in {@code [xmpp] ca_file}. */
  public static Pair authority(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca.key");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
        "-days", "2", "-subj", "/CN=chatgate test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return new Pair(cert, key);
  }

  /** A server certificate for {@code name}, signed by {@code ca}. */
  public static Pair signed(Path dir, Pair ca, String name) throws IOException, InterruptedException {
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, "subjectAltName=DNS:" + name + "\nbasicConstraints=CA:FALSE\n"
        + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj",
        "/CN=" + name);
    openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.certificate().toString(), "-CAkey", ca.key().toString(),
        "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    return new Pair(cert, key);
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    List<String> c = new java.util.ArrayList<>(List.of(OPENSSL));
    c.addAll(List.of(args));
    ExternalProcess.run(c, Map.of(), Duration.ofSeconds(60));
  }
}
