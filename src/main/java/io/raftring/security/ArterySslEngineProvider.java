package io.raftring.security;

import akka.actor.ActorSystem;
import akka.remote.artery.tcp.SSLEngineProvider;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import scala.Option;

/**
 * Artery's TLS ({@code akka.remote.artery.transport = tls-tcp}) from the node's {@code raftring.tls} files, so HTTPS
 * and the cluster transport use one certificate and one CA. Select it with
 * {@code akka.remote.artery.ssl.ssl-engine-provider = "io.raftring.security.ArterySslEngineProvider"} (the standalone
 * node's default).
 *
 * <p>TLS is mutual: each side presents its certificate and accepts only one signed by the configured CA, so a
 * process without such a certificate can neither connect to a node nor be connected to, and never joins. Host names
 * are not checked (like Akka's own providers by default): the CA is the cluster's own and admits only its nodes, so
 * it must not be a public CA. Unlike Akka's ConfigSSLEngineProvider this reads PEM as well as key stores, and any key
 * type; unlike its RotatingKeysSSLEngineProvider it reads the files once, so a new certificate takes a restart.
 */
public final class ArterySslEngineProvider implements SSLEngineProvider {

  private final SSLContext context;
  private final TlsSettings settings;

  /** Called by Artery, by the class name configured. */
  public ArterySslEngineProvider(ActorSystem system) {
    this(TlsSettings.fromConfig(system.settings().config()));
  }

  public ArterySslEngineProvider(TlsSettings settings) {
    if (!settings.hasTrust()) {
      throw new IllegalArgumentException("Artery TLS needs the cluster's CA: set raftring.tls.ca-file or trust-store");
    }
    this.settings = settings;
    this.context = SslContexts.forNode(settings);
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    SSLEngine engine = SslContexts.withProtocols(context.createSSLEngine(hostname, port), settings.protocols());
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(true);
    return engine;
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    SSLEngine engine = SslContexts.withProtocols(context.createSSLEngine(hostname, port), settings.protocols());
    engine.setUseClientMode(true);
    return engine;
  }

  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return Option.empty();
  }

  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return Option.empty();
  }
}
