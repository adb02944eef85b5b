package io.raftring.security;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the SSLContext of a node, or of a client, from {@link TlsSettings}: key managers from the node's certificate
 * and key, trust managers from the CA certificates it names. A configuration mistake (missing file, wrong password,
 * a key that does not belong to the certificate) is an IllegalArgumentException that says which setting is wrong,
 * raised at start-up rather than at the first handshake.
 */
public final class SslContexts {

  private SslContexts() {}

  /**
   * The context of a node: its own certificate (required) and, when named, the CA certificates it trusts. Without
   * named CAs the context trusts nothing, so it can serve but cannot verify peers.
   */
  public static SSLContext forNode(TlsSettings settings) {
    if (!settings.hasIdentity()) {
      throw new IllegalArgumentException(
          "TLS is on but raftring.tls names no certificate: set cert-file and key-file, or key-store");
    }
    return create(keyManagers(settings), settings.hasTrust() ? trustManagers(settings) : new TrustManager[0]);
  }

  /** A client context that trusts the CA certificates in {@code caFile} (the CLI's --cacert). */
  public static SSLContext trusting(Path caFile) {
    return create(null, trustManagers(trustStoreOf(PemFiles.certificates(caFile))));
  }

  /** Restricts {@code engine} to the configured protocol versions. */
  public static SSLEngine withProtocols(SSLEngine engine, List<String> protocols) {
    engine.setEnabledProtocols(protocols.toArray(String[]::new));
    return engine;
  }

  private static SSLContext create(KeyManager[] keys, TrustManager[] trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JVM", e);
    }
  }

  private static KeyManager[] keyManagers(TlsSettings s) {
    char[] keyPassword = s.keyPassword().toCharArray();
    KeyStore store;
    if (s.keyStore() != null) {
      store = load(s.keyStore(), s.keyStorePassword(), "raftring.tls.key-store");
      if (keyPassword.length == 0) {
        keyPassword = s.keyStorePassword().toCharArray();
      }
    } else {
      List<X509Certificate> chain = PemFiles.certificates(s.certFile());
      PrivateKey key = PemFiles.privateKey(s.keyFile(), s.keyPassword());
      requireMatch(key, chain.get(0).getPublicKey(), s);
      keyPassword = new char[0];
      try {
        store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("node", key, keyPassword, chain.toArray(Certificate[]::new));
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot use the key in " + s.keyFile() + ": " + e.getMessage(), e);
      }
    }
    try {
      KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
      factory.init(store, keyPassword);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the node's key (wrong raftring.tls.key-password?): "
          + e.getMessage(), e);
    }
  }

  private static TrustManager[] trustManagers(TlsSettings s) {
    KeyStore store = s.trustStore() != null
        ? load(s.trustStore(), s.trustStorePassword(), "raftring.tls.trust-store")
        : trustStoreOf(PemFiles.certificates(s.caFile()));
    return trustManagers(store);
  }

  private static TrustManager[] trustManagers(KeyStore store) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the trusted certificates: " + e.getMessage(), e);
    }
  }

  private static KeyStore trustStoreOf(List<X509Certificate> cas) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("an in-memory key store failed", e);
    }
  }

  private static KeyStore load(Path file, String password, String setting) {
    try {
      return KeyStore.getInstance(file.toFile(), password.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot open " + setting + " " + file + " (wrong password?): "
          + e.getMessage(), e);
    }
  }

  /** Signs with the key and verifies with the certificate: a key that is not the certificate's fails here. */
  private static void requireMatch(PrivateKey key, PublicKey certified, TlsSettings s) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519, Ed448
    };
    try {
      byte[] probe = "raftring".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // a key of another algorithm than the certificate's: not a match
    }
    throw new IllegalArgumentException("the private key in " + s.keyFile()
        + " does not belong to the first certificate in " + s.certFile());
  }
}
