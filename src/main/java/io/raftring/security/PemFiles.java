package io.raftring.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads PEM certificates and private keys in the forms openssl, cert-manager and Vault write: certificates
 * ({@code CERTIFICATE}), and keys as PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}),
 * PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY}), the last two possibly with OpenSSL's
 * legacy encryption. The JDK reads only the first two unencrypted; BouncyCastle reads them all. BouncyCastle's
 * provider is used for decryption only and is never installed JVM-wide.
 */
public final class PemFiles {

  private static final Provider BC = new BouncyCastleProvider();

  private PemFiles() {}

  /** Every certificate in the file, in order; IllegalArgumentException when there is none. */
  public static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read certificates from " + file + ": " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no PEM certificate (BEGIN CERTIFICATE) in " + file);
    }
    return certificates;
  }

  /** The first private key in the file, decrypted with {@code password} if it is encrypted. */
  public static PrivateKey privateKey(Path file, String password) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    char[] pass = password == null ? new char[0] : password.toCharArray();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
          requirePassword(pass, file);
          return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
              new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(pass)));
        }
        if (o instanceof PEMEncryptedKeyPair encrypted) {
          requirePassword(pass, file);
          return converter.getKeyPair(encrypted.decryptKeyPair(
              new JcePEMDecryptorProviderBuilder().setProvider(BC).build(pass))).getPrivate();
        }
      }
    } catch (IOException | OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException("cannot read the private key in " + file
          + " (wrong raftring.tls.key-password?): " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no PEM private key in " + file);
  }

  private static void requirePassword(char[] password, Path file) {
    if (password.length == 0) {
      throw new IllegalArgumentException("the private key in " + file
          + " is encrypted; set raftring.tls.key-password");
    }
  }
}
