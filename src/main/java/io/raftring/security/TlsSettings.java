package io.raftring.security;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;

/**
 * A node's TLS material, from {@code raftring.tls} (see reference.conf): its own certificate and key, as PEM files or
 * a key store, and the CA certificates it trusts, as a PEM file or a trust store. The same material serves the HTTPS
 * API and Artery's {@code tls-tcp} transport. Paths are empty when not set.
 *
 * @param certFile           PEM: this node's certificate, then any intermediate CA certificates
 * @param keyFile            PEM: its private key (PKCS#8, encrypted PKCS#8, PKCS#1 RSA or SEC1 EC)
 * @param keyPassword        password of an encrypted key, or of the key inside the key store; empty for none
 * @param keyStore           PKCS12 or JKS file with the key and its certificate chain (instead of certFile/keyFile)
 * @param keyStorePassword   the key store's password
 * @param caFile             PEM: the CA certificates trusted for peers and clients
 * @param trustStore         PKCS12 or JKS file of trusted CA certificates (instead of caFile)
 * @param trustStorePassword the trust store's password
 * @param protocols          TLS versions offered, e.g. TLSv1.3, TLSv1.2
 */
public record TlsSettings(
    Path certFile,
    Path keyFile,
    String keyPassword,
    Path keyStore,
    String keyStorePassword,
    Path caFile,
    Path trustStore,
    String trustStorePassword,
    List<String> protocols) {

  public TlsSettings {
    protocols = List.copyOf(protocols);
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("raftring.tls.protocols must name at least one protocol");
    }
    if (keyStore != null && (certFile != null || keyFile != null)) {
      throw new IllegalArgumentException("raftring.tls: set either key-store or cert-file and key-file, not both");
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("raftring.tls: cert-file and key-file go together");
    }
    if (caFile != null && trustStore != null) {
      throw new IllegalArgumentException("raftring.tls: set either ca-file or trust-store, not both");
    }
  }

  /** Reads {@code raftring.tls} from a node's whole configuration. */
  public static TlsSettings fromConfig(Config config) {
    Config tls = config.getConfig("raftring.tls");
    return new TlsSettings(
        path(tls, "cert-file"),
        path(tls, "key-file"),
        tls.getString("key-password"),
        path(tls, "key-store"),
        tls.getString("key-store-password"),
        path(tls, "ca-file"),
        path(tls, "trust-store"),
        tls.getString("trust-store-password"),
        tls.getStringList("protocols"));
  }

  /** PEM files only: the node's certificate and key, and the CA it trusts (as `local --secure` and tests make them). */
  public static TlsSettings pem(Path certFile, Path keyFile, Path caFile) {
    return new TlsSettings(certFile, keyFile, "", null, "", caFile, null, "", List.of("TLSv1.3", "TLSv1.2"));
  }

  /** Whether this node has a certificate and key of its own. */
  public boolean hasIdentity() {
    return keyStore != null || certFile != null;
  }

  /** Whether CA certificates to trust are named. */
  public boolean hasTrust() {
    return caFile != null || trustStore != null;
  }

  private static Path path(Config c, String key) {
    String value = c.getString(key).strip();
    return value.isEmpty() ? null : Path.of(value);
  }
}
