package io.raftring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM and key store files, the development CA, and mutual TLS between contexts built from them. */
class TlsFilesTest {

  @TempDir Path tmp;

  @Test
  void nodesOfOneCaCompleteAMutualHandshake() throws Exception {
    DevCertificates ca = DevCertificates.openOrCreate(tmp);
    SSLContext n1 = SslContexts.forNode(ca.node("n1", List.of("127.0.0.1")));
    SSLContext n2 = SslContexts.forNode(ca.node("n2", List.of("127.0.0.1")));

    assertThat(mutualHandshake(n1, n2)).isNull();
  }

  @Test
  void aPeerWithACertificateOfAnotherCaIsRefusedBothWays() throws Exception {
    DevCertificates ours = DevCertificates.openOrCreate(tmp.resolve("ours"));
    DevCertificates theirs = DevCertificates.openOrCreate(tmp.resolve("theirs"));
    SSLContext node = SslContexts.forNode(ours.node("n1", List.of()));
    SSLContext stranger = SslContexts.forNode(theirs.node("n1", List.of()));

    assertThat(mutualHandshake(node, stranger)).isNotNull();
    assertThat(mutualHandshake(stranger, node)).isNotNull();
  }

  @Test
  void reopeningTheDevelopmentCaReusesItsCertificatesAndIssuesForNewHosts() throws Exception {
    DevCertificates first = DevCertificates.openOrCreate(tmp);
    TlsSettings n1 = first.node("n1", List.of("127.0.0.1"));
    byte[] ca = Files.readAllBytes(first.caFile());
    byte[] cert = Files.readAllBytes(n1.certFile());

    DevCertificates again = DevCertificates.openOrCreate(tmp);
    assertThat(Files.readAllBytes(again.caFile())).isEqualTo(ca);
    assertThat(Files.readAllBytes(again.node("n1", List.of("127.0.0.1")).certFile())).isEqualTo(cert);
    assertThat(Files.readAllBytes(again.node("n1", List.of("10.0.0.7")).certFile())).isNotEqualTo(cert);
    assertThat(tmp.resolve("ca.pem")).exists();
    if (!System.getProperty("os.name").startsWith("Windows")) {
      assertThat(Files.getPosixFilePermissions(n1.keyFile())).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedAtStart() throws Exception {
    DevCertificates ca = DevCertificates.openOrCreate(tmp);
    TlsSettings n1 = ca.node("n1", List.of());
    TlsSettings n2 = ca.node("n2", List.of());
    TlsSettings mixed = TlsSettings.pem(n1.certFile(), n2.keyFile(), ca.caFile());

    assertThatThrownBy(() -> SslContexts.forNode(mixed))
        .hasMessageContaining("does not belong").hasMessageContaining(n1.certFile().toString());
  }

  @Test
  void rsaPkcs1AndEncryptedPkcs8KeysAreRead() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024); // only parsed here; a short key keeps the test fast
    KeyPair pair = rsa.generateKeyPair();
    Path pkcs1 = tmp.resolve("rsa.key");
    Files.writeString(pkcs1, pem(pair.getPrivate()));
    assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
    assertThat(PemFiles.privateKey(pkcs1, "")).isEqualTo(pair.getPrivate());

    OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("secret".toCharArray()).build();
    Path encrypted = tmp.resolve("encrypted.key");
    Files.writeString(encrypted, pem(new JcaPKCS8Generator(pair.getPrivate(), encryptor)));
    assertThat(Files.readString(encrypted)).contains("BEGIN ENCRYPTED PRIVATE KEY");
    assertThat(PemFiles.privateKey(encrypted, "secret")).isEqualTo(pair.getPrivate());
    assertThatThrownBy(() -> PemFiles.privateKey(encrypted, "")).hasMessageContaining("key-password");
    assertThatThrownBy(() -> PemFiles.privateKey(encrypted, "wrong")).hasMessageContaining("key-password");
  }

  @Test
  void keyStoresServeLikePemFiles() throws Exception {
    DevCertificates ca = DevCertificates.openOrCreate(tmp);
    TlsSettings pem = ca.node("n1", List.of());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("n1", PemFiles.privateKey(pem.keyFile(), ""), "pw".toCharArray(),
        PemFiles.certificates(pem.certFile()).toArray(Certificate[]::new));
    Path keyStore = save(keys, "n1.p12");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", PemFiles.certificates(ca.caFile()).get(0));
    Path trustStore = save(trust, "trust.p12");
    TlsSettings stores = new TlsSettings(null, null, "", keyStore, "pw", null, trustStore, "pw",
        List.of("TLSv1.3"));

    assertThat(mutualHandshake(SslContexts.forNode(stores), SslContexts.forNode(ca.node("n2", List.of()))))
        .isNull();
    TlsSettings wrongPassword = new TlsSettings(null, null, "", keyStore, "nope", null, null, "", List.of("TLSv1.3"));
    assertThatThrownBy(() -> SslContexts.forNode(wrongPassword)).hasMessageContaining("raftring.tls.key-store");
  }

  @Test
  void settingsThatContradictEachOtherAreRefused() {
    Path f = tmp.resolve("f");
    assertThatThrownBy(() -> new TlsSettings(f, f, "", f, "", null, null, "", List.of("TLSv1.3")))
        .hasMessageContaining("either key-store or cert-file");
    assertThatThrownBy(() -> new TlsSettings(f, null, "", null, "", null, null, "", List.of("TLSv1.3")))
        .hasMessageContaining("go together");
    assertThatThrownBy(() -> new TlsSettings(f, f, "", null, "", f, f, "", List.of("TLSv1.3")))
        .hasMessageContaining("either ca-file or trust-store");
    assertThatThrownBy(() -> new ArterySslEngineProvider(TlsSettings.pem(f, f, null)))
        .hasMessageContaining("ca-file");
  }

  /** Null when a server with {@code server} and a client with {@code client} completed a mutual handshake, else why not. */
  private static Throwable mutualHandshake(SSLContext server, SSLContext client) throws Exception {
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      listener.setSoTimeout(10_000);
      CompletableFuture<Throwable> accepted = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.setSoTimeout(10_000);
          socket.startHandshake();
          socket.getOutputStream().write(1);
          socket.getOutputStream().flush();
          return null;
        } catch (IOException e) {
          return e;
        }
      });
      Throwable clientSide = null;
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(
          java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        if (socket.getInputStream().read() != 1) {
          clientSide = new IOException("no byte after the handshake");
        }
      } catch (IOException e) {
        clientSide = e;
      }
      Throwable serverSide = accepted.get(20, TimeUnit.SECONDS);
      return clientSide != null ? clientSide : serverSide;
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      if (o instanceof JcaPKCS8Generator generator) {
        writer.writeObject(generator);
      } else {
        writer.writeObject(o);
      }
    }
    return text.toString();
  }

  private Path save(KeyStore store, String name) throws Exception {
    Path file = tmp.resolve(name);
    try (OutputStream out = new FileOutputStream(file.toFile())) {
      store.store(out, "pw".toCharArray());
    }
    return file;
  }
}
