package io.raftring.security;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * A development certificate authority in a directory, for {@code raftring local --secure} and for tests: an EC P-256
 * CA ({@code ca.pem}, its key {@code tls/ca.key}) and node certificates signed by it ({@code tls/<name>.crt} and
 * {@code .key}) for HTTPS and Artery alike (server and client use), naming localhost, 127.0.0.1 and ::1 besides the
 * node's host. Opening the directory again reuses what is there; a node certificate is issued again when it is
 * missing, not signed by this CA, lacks a host, or expires within a week. Keys are written readable by the owner
 * only. Not for production: a real deployment's CA belongs to whoever runs the cluster (README, "Security").
 */
public final class DevCertificates {

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration NODE_VALIDITY = Duration.ofDays(365);
  private static final Duration RENEW_BEFORE = Duration.ofDays(7);
  private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");

  private final Path caFile;
  private final Path tlsDir;
  private final X509Certificate caCertificate;
  private final PrivateKey caKey;
  private final SecureRandom random = new SecureRandom();

  private DevCertificates(Path caFile, Path tlsDir, X509Certificate caCertificate, PrivateKey caKey) {
    this.caFile = caFile;
    this.tlsDir = tlsDir;
    this.caCertificate = caCertificate;
    this.caKey = caKey;
  }

  /** The CA of {@code dir} ({@code dir/ca.pem}), created if there is none. */
  public static DevCertificates openOrCreate(Path dir) throws IOException {
    Path caFile = dir.resolve("ca.pem");
    Path tlsDir = dir.resolve("tls");
    Path caKeyFile = tlsDir.resolve("ca.key");
    Files.createDirectories(tlsDir);
    if (Files.exists(caFile) && Files.exists(caKeyFile)) {
      return new DevCertificates(caFile, tlsDir, PemFiles.certificates(caFile).get(0),
          PemFiles.privateKey(caKeyFile, ""));
    }
    try {
      KeyPair keys = newKeyPair();
      X500Name name = new X500Name("CN=RaftRing development CA " + Instant.now().getEpochSecond());
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(new SecureRandom()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate ca = sign(builder, keys.getPrivate());
      PrivateFiles.write(caKeyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
      Files.writeString(caFile, pem(ca), StandardCharsets.US_ASCII);
      return new DevCertificates(caFile, tlsDir, ca, keys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create a development CA", e);
    }
  }

  /** The CA certificate clients trust ({@code dir/ca.pem}). */
  public Path caFile() {
    return caFile;
  }

  /**
   * The certificate and key of node {@code name}, valid for {@code hosts} and loopback, issued now unless a usable
   * one is on disk; as settings for {@code raftring.tls}.
   */
  public TlsSettings node(String name, Collection<String> hosts) throws IOException {
    Path certFile = tlsDir.resolve(name + ".crt");
    Path keyFile = tlsDir.resolve(name + ".key");
    Set<String> names = new LinkedHashSet<>(LOOPBACK);
    names.addAll(hosts);
    if (!usable(certFile, keyFile, names)) {
      issue(name, names, certFile, keyFile);
    }
    return TlsSettings.pem(certFile, keyFile, caFile);
  }

  private boolean usable(Path certFile, Path keyFile, Set<String> names) {
    if (!Files.exists(certFile) || !Files.exists(keyFile)) {
      return false;
    }
    try {
      X509Certificate cert = PemFiles.certificates(certFile).get(0);
      cert.verify(caCertificate.getPublicKey());
      cert.checkValidity(Date.from(Instant.now().plus(RENEW_BEFORE)));
      return subjectAltNames(cert).containsAll(names.stream().map(DevCertificates::canonical).toList());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private void issue(String name, Set<String> names, Path certFile, Path keyFile) throws IOException {
    try {
      KeyPair keys = newKeyPair();
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(random),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(NODE_VALIDITY)),
          new X500Name("CN=" + name), keys.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      List<GeneralName> alt = new ArrayList<>();
      for (String host : names) {
        alt.add(isIpAddress(host) ? new GeneralName(GeneralName.iPAddress, host)
            : new GeneralName(GeneralName.dNSName, host));
      }
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(alt.toArray(GeneralName[]::new)));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          extensions.createAuthorityKeyIdentifier(caCertificate));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(builder, caKey);
      PrivateFiles.write(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
      Files.writeString(certFile, pem(cert), StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a certificate for " + name, e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static Set<String> subjectAltNames(X509Certificate cert) throws CertificateParsingException {
    Set<String> names = new HashSet<>();
    Collection<List<?>> alt = cert.getSubjectAlternativeNames();
    if (alt != null) {
      alt.forEach(entry -> names.add(canonical(String.valueOf(entry.get(1)))));
    }
    return names;
  }

  /** IP addresses in one spelling (the JDK reports ::1 as 0:0:0:0:0:0:0:1), names in lower case. */
  private static String canonical(String host) {
    if (isIpAddress(host)) {
      try {
        return InetAddress.getByName(host).getHostAddress();
      } catch (IOException e) {
        return host;
      }
    }
    return host.toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean isIpAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static String pem(Object o) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      if (o instanceof PemObjectGenerator generator) {
        writer.writeObject(generator); // PKCS#8 "PRIVATE KEY", which every TLS stack reads
      } else {
        writer.writeObject(o);
      }
    }
    return text.toString();
  }
}
