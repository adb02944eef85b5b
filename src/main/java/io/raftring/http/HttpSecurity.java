package io.raftring.http;

import com.typesafe.config.Config;
import io.raftring.security.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the HTTP API protects itself, from {@code raftring.http.tls}, {@code raftring.http.auth},
 * {@code raftring.http.cors} and the node's {@code raftring.tls} files (see reference.conf for each setting).
 *
 * @param tls            whether the API is served over HTTPS only
 * @param clientAuth     whether HTTPS clients must present a certificate signed by the configured CA
 * @param tlsFiles       the node's certificate, key and trusted CAs
 * @param tokensFile     the bearer tokens and their roles; null when authentication is off
 * @param reloadInterval how often the tokens file is checked for changes
 * @param allowedOrigins browser origins allowed to call the API across sites (CORS)
 */
public record HttpSecurity(
    boolean tls,
    ClientAuth clientAuth,
    TlsSettings tlsFiles,
    Path tokensFile,
    Duration reloadInterval,
    List<String> allowedOrigins) {

  /** Client certificates on HTTPS: not asked for, asked for and checked if sent, or required. */
  public enum ClientAuth {
    NONE,
    WANT,
    NEED
  }

  public HttpSecurity {
    Objects.requireNonNull(clientAuth, "clientAuth");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    allowedOrigins = List.copyOf(allowedOrigins);
    if (clientAuth != ClientAuth.NONE && (!tls || tlsFiles == null || !tlsFiles.hasTrust())) {
      throw new IllegalArgumentException("raftring.http.tls.client-auth needs raftring.http.tls.enabled and the CA"
          + " that signs client certificates (raftring.tls.ca-file or trust-store)");
    }
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw new IllegalArgumentException("raftring.http.auth.reload-interval must be positive");
    }
  }

  /** No TLS, no authentication, no cross-site origins: what an embedding application gets by default. */
  public static HttpSecurity none() {
    return new HttpSecurity(false, ClientAuth.NONE, null, null, Duration.ofSeconds(5), List.of());
  }

  public static HttpSecurity fromConfig(Config config) {
    Config http = config.getConfig("raftring.http");
    boolean tls = http.getBoolean("tls.enabled");
    String tokens = http.getString("auth.tokens-file").strip();
    ClientAuth clientAuth;
    try {
      clientAuth = ClientAuth.valueOf(http.getString("tls.client-auth").strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("raftring.http.tls.client-auth must be none, want or need, was '"
          + http.getString("tls.client-auth") + "'");
    }
    return new HttpSecurity(
        tls,
        clientAuth,
        tls ? TlsSettings.fromConfig(config) : null,
        tokens.isEmpty() ? null : Path.of(tokens),
        http.getDuration("auth.reload-interval"),
        http.getStringList("cors.allowed-origins"));
  }

  public boolean authenticates() {
    return tokensFile != null;
  }

  public HttpSecurity withTokensFile(Path file) {
    return new HttpSecurity(tls, clientAuth, tlsFiles, file, reloadInterval, allowedOrigins);
  }

  public HttpSecurity withTls(TlsSettings files, ClientAuth auth) {
    return new HttpSecurity(true, auth, files, tokensFile, reloadInterval, allowedOrigins);
  }

  public HttpSecurity withAllowedOrigins(List<String> origins) {
    return new HttpSecurity(tls, clientAuth, tlsFiles, tokensFile, reloadInterval, origins);
  }
}
