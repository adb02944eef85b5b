package io.raftring.http;

import akka.Done;
import akka.NotUsed;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.ServerBuilder;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.settings.ServerSettings;
import akka.stream.javadsl.Flow;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.admission.Admission;
import io.raftring.api.ClusterApi;
import io.raftring.api.ErrorCode;
import io.raftring.api.KvApi;
import io.raftring.api.TxnApi;
import io.raftring.metrics.MetricsRegistry;
import io.raftring.security.NetworkExposure;
import io.raftring.security.SslContexts;
import io.raftring.security.TokenStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP server: KV, transaction, cluster and health, metrics and BFT routes behind one security gate (TLS, bearer
 * tokens and roles, browser origins; {@link SecurityGuard}) and one JSON error handling, every request counted in the
 * metrics. Bound at {@code raftring.http.host}:{@code raftring.http.port}; unbound and drained
 * by CoordinatedShutdown (phase service-unbind).
 *
 * <p>It turns on two akka-http server settings for its own binding only: {@code raw-request-uri-header} (keys are
 * decoded strictly from the raw URI, see {@link RawTarget}) and a JSON {@code parsing.error-handler}; it sets the
 * server's request-timeout a little above {@code raftring.http.max-request-timeout}, so the routes' own deadlines
 * answer first, and max-connections to {@code raftring.http.max-connections}. Each connection runs the routes behind
 * a request head deadline ({@link #connectionFlow}).
 */
public final class HttpServer {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system, KvApi kv, ClusterApi cluster, MetricsRegistry metrics, HttpSettings settings) {
    return start(system, kv, cluster, metrics, settings, null);
  }

  /** As above, with admission control (rate limits, bounded in-flight requests) in front of the KV routes. */
  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      KvApi kv,
      ClusterApi cluster,
      MetricsRegistry metrics,
      HttpSettings settings,
      Admission admission) {
    return start(system, kv, cluster, metrics, settings, admission,
        HttpSecurity.fromConfig(system.settings().config()));
  }

  /**
   * As above, protected as {@code security} says: HTTPS, bearer tokens and roles, allowed browser origins. Fails (an
   * IllegalArgumentException in the stage) when the binding would expose the API unauthenticated on a non-loopback
   * address without {@code raftring.http.insecure = on}, or when a TLS or tokens file cannot be used.
   */
  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      KvApi kv,
      ClusterApi cluster,
      MetricsRegistry metrics,
      HttpSettings settings,
      Admission admission,
      HttpSecurity security) {
    return start(system, kv, txnOf(cluster), cluster, metrics, settings, admission, security);
  }

  /** As above, with the transaction routes ({@code /v1/txn}) over {@code txn}, when it is not null. */
  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      KvApi kv,
      TxnApi txn,
      ClusterApi cluster,
      MetricsRegistry metrics,
      HttpSettings settings,
      Admission admission,
      HttpSecurity security) {
    Route routes;
    ServerBuilder server;
    try {
      Optional<String> refusal = NetworkExposure.httpRefusal(settings.host(), security.authenticates(),
          system.settings().config().getBoolean("raftring.http.insecure"));
      if (refusal.isPresent()) {
        throw new IllegalArgumentException(refusal.get());
      }
      routes = routes(system, kv, txn, cluster, metrics, settings, admission, security);
      server = Http.get(system)
          .newServerAt(settings.host(), settings.port())
          .withSettings(serverSettings(system.settings().config(), settings));
      if (security.tls()) {
        server = server.enableHttps(httpsContext(security));
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return server
        .bindFlow(connectionFlow(system, routes, settings))
        .thenApply(binding -> {
          log.info("HTTP API bound at {} ({}, {})", binding.localAddress(), security.tls() ? "HTTPS" : "plain HTTP",
              security.authenticates() ? "bearer tokens from " + security.tokensFile() : "no authentication");
          CoordinatedShutdown.get(system).addTask(
              CoordinatedShutdown.PhaseServiceUnbind(),
              "raftring-http-unbind",
              () -> binding.unbind()
                  .thenCompose(unbound -> binding.terminate(settings.terminationDeadline()))
                  .thenApply(terminated -> Done.getInstance()));
          return binding;
        });
  }

  /**
   * HTTPS with the node's certificate; client certificates asked for or required as configured. With client
   * certificates the server offers TLS 1.2 only (when configured): akka-http 10.2's TLS stage left a TLS 1.3
   * handshake with a client certificate from Java's HttpClient hanging (SecureHttpServerTest), while TLS 1.2 works.
   */
  private static HttpsConnectionContext httpsContext(HttpSecurity security) {
    SSLContext context = SslContexts.forNode(security.tlsFiles());
    List<String> protocols = security.tlsFiles().protocols();
    if (security.clientAuth() != HttpSecurity.ClientAuth.NONE && protocols.contains("TLSv1.2")) {
      protocols = protocols.stream().filter(p -> !p.equals("TLSv1.3")).toList();
    }
    List<String> offered = protocols;
    return ConnectionContext.httpsServer(() -> {
      SSLEngine engine = SslContexts.withProtocols(context.createSSLEngine(), offered);
      engine.setUseClientMode(false);
      switch (security.clientAuth()) {
        case NEED -> engine.setNeedClientAuth(true);
        case WANT -> engine.setWantClientAuth(true);
        case NONE -> { }
      }
      return engine;
    });
  }

  /** All routes with JSON errors and metrics around them, for binding elsewhere (or testing). */
  public static Route routes(
      ActorSystem<?> system, KvApi kv, ClusterApi cluster, MetricsRegistry metrics, HttpSettings settings) {
    return routes(system, kv, cluster, metrics, settings, null);
  }

  public static Route routes(
      ActorSystem<?> system,
      KvApi kv,
      ClusterApi cluster,
      MetricsRegistry metrics,
      HttpSettings settings,
      Admission admission) {
    return routes(system, kv, cluster, metrics, settings, admission,
        HttpSecurity.fromConfig(system.settings().config()));
  }

  public static Route routes(
      ActorSystem<?> system,
      KvApi kv,
      ClusterApi cluster,
      MetricsRegistry metrics,
      HttpSettings settings,
      Admission admission,
      HttpSecurity security) {
    return routes(system, kv, txnOf(cluster), cluster, metrics, settings, admission, security);
  }

  /** All routes behind the security gate ({@link SecurityGuard}), with JSON errors and metrics around them. */
  public static Route routes(
      ActorSystem<?> system,
      KvApi kv,
      TxnApi txn,
      ClusterApi cluster,
      MetricsRegistry metrics,
      HttpSettings settings,
      Admission admission,
      HttpSecurity security) {
    Directives d = new Directives();
    HttpErrors errors = new HttpErrors(settings.retryAfter());
    RequestBodies bodies = new RequestBodies(settings, errors);
    metrics.gauge("raftring_http_request_body_bytes",
        "Bytes of request bodies being read into memory now (bounded by raftring.http.max-buffered-body-bytes).",
        bodies::bufferedBytes);
    Route kvRoute = new KvRoutes(kv, settings, bodies).route();
    Route txnRoute = txn == null ? d.reject() : new TxnRoutes(txn, settings, bodies, maxTxnBytes(system)).route();
    // The eventual keyspace, when the cluster side is a RaftRing node that serves it.
    Route evRoute = cluster instanceof io.raftring.RaftRing node && node.eventualEnabled()
        ? new EventualRoutes(node.eventual(), settings, bodies).route()
        : d.reject();
    Route admin = d.reject();
    if (admission != null) {
      // Only KV, transaction and eventual requests pass admission control; health, metrics and admin answer however
      // loaded the node is.
      AdmissionGuard guard = new AdmissionGuard(admission, bodies, settings, errors, metrics);
      Route guardedKv = guard.guard(kvRoute);
      Route guardedTxn = guard.guard(txnRoute);
      Route guardedEv = guard.guard(evRoute);
      kvRoute = d.pathPrefixTest(PathMatchers.segment("v1").slash("kv"), () -> guardedKv);
      txnRoute = d.pathPrefixTest(PathMatchers.segment("v1").slash("txn"), () -> guardedTxn);
      evRoute = d.pathPrefixTest(PathMatchers.segment("v1").slash("ev"), () -> guardedEv);
      admin = new AdminRoutes(admission.rateLimits(), bodies).route();
    }
    // Membership changes by hand, placement, backup and restore, watches, leases and locks, when the cluster side is a
    // RaftRing node.
    Route membership = cluster instanceof io.raftring.RaftRing ring
        ? d.concat(new MembershipRoutes(ring.membership(), settings).route(), new PlacementRoutes(ring, settings).route(),
            new BackupRoutes(ring.backup(), settings, bodies).route(),
            new WatchRoutes(ring.watch(), settings, bodies).route(), new LeaseRoutes(ring.leases(), settings, bodies).route(),
            new LockRoutes(ring.locks(), ring.elections(), settings, bodies).route())
        : d.reject();
    HttpMetrics httpMetrics = new HttpMetrics(metrics);
    Route dashboard = cluster instanceof io.raftring.RaftRing ring
        ? new DashboardRoutes(system, ring, httpMetrics::kvTotals, settings).route()
        : DashboardRoutes.staticFiles(d);
    Route served = d.concat(
        kvRoute,
        txnRoute,
        evRoute,
        admin,
        membership,
        dashboard,
        new ClusterRoutes(cluster, settings).route(),
        new MetricsRoutes(metrics).route(),
        new BftRoutes(system, bodies, errors).route());
    // Tests only: raftring.test.fault-injection and Artery's test-mode, both off by default.
    Route unguarded = FaultInjectionRoutes.enabledIn(system.settings().config())
        ? d.concat(served, new FaultInjectionRoutes(system, settings, bodies).route())
        : served;
    Route all = securityGuard(security, settings, errors, metrics).guard(unguarded);
    // Built once: the Java DSL calls the inner suppliers on every request, and building a rejection handler showed
    // up at 1% of a busy leader's CPU samples.
    ExceptionHandler exceptionHandler = errors.exceptionHandler();
    RejectionHandler rejectionHandler = errors.rejectionHandler();
    Route handled = d.withRequestTimeoutResponse(
        request -> timeoutResponse(errors),
        () -> d.handleExceptions(exceptionHandler, () -> d.handleRejections(rejectionHandler,
            () -> d.extractRequest(request -> RawTarget.of(request).hasDotSegment()
                ? d.complete(errors.response(ErrorCode.BAD_REQUEST,
                    "the path has a dot segment ('.' or '..'); percent-encode a key that is one (%2E)"))
                : all))));
    return httpMetrics.instrument(handled);
  }

  /** The transactions of a RaftRing node (null for another cluster side: then no {@code /v1/txn}). */
  private static TxnApi txnOf(ClusterApi cluster) {
    return cluster instanceof io.raftring.RaftRing ring ? ring.txn() : null;
  }

  private static long maxTxnBytes(ActorSystem<?> system) {
    com.typesafe.config.Config config = system.settings().config();
    return config.hasPath("raftring.txn.max-bytes") ? config.getBytes("raftring.txn.max-bytes")
        : io.raftring.txn.TxnSettings.DEFAULT.maxBytes();
  }

  private static SecurityGuard securityGuard(
      HttpSecurity security, HttpSettings settings, HttpErrors errors, MetricsRegistry metrics) {
    TokenStore tokens = security.authenticates()
        ? TokenStore.open(security.tokensFile(), security.reloadInterval(), System::nanoTime)
        : null;
    // Without authentication only this machine may call, so the Host must name loopback (DNS rebinding).
    boolean loopbackOnly = tokens == null && NetworkExposure.isLoopback(settings.host());
    return new SecurityGuard(new BrowserPolicy(security.allowedOrigins(), loopbackOnly), tokens, errors,
        security.tls() ? "https" : "http", metrics);
  }

  /**
   * What each connection runs: {@code routes} behind the request head deadline ({@link RequestHeadDeadline}). An
   * application binding the routes itself should bind this flow too.
   */
  public static Flow<HttpRequest, HttpResponse, NotUsed> connectionFlow(
      ActorSystem<?> system, Route routes, HttpSettings settings) {
    return RequestHeadDeadline.around(routes.flow(system), settings.reads().requestHeadTimeout());
  }

  /** The server settings of this binding: the node's akka.http.server settings plus what the routes rely on. */
  static ServerSettings serverSettings(Config config, HttpSettings settings) {
    long serverTimeoutMillis = settings.maxRequestTimeout().toMillis() + 5_000;
    // A key or range bound of max-key-bytes must be reachable fully percent-encoded (3 characters a byte): from and
    // to of a range, its page token (base64, 4/3 a byte) and the other parameters fit in 8 characters a key byte.
    long maxUriLength = Math.max(2048, 8L * settings.limits().maxKeyBytes() + 2048);
    Config overrides = ConfigFactory.parseString(
        "akka.http.server.raw-request-uri-header = on\n"
            + "akka.http.server.remote-address-attribute = on\n"
            + "akka.http.server.parsing.error-handler = \"" + JsonParsingErrorHandler.class.getName() + "\"\n"
            + "akka.http.server.request-timeout = " + serverTimeoutMillis + "ms\n"
            + "akka.http.server.max-connections = " + settings.reads().maxConnections() + "\n"
            + "akka.http.server.parsing.max-uri-length = " + maxUriLength + "\n"
            + webSocketKeepAlive(config));
    return ServerSettings.create(overrides.withFallback(config));
  }

  /**
   * A WebSocket on which nothing happens (a watch stream with no watches) would be closed by the idle timeout: unless
   * the operator set a keep-alive, the server pings such a socket at half the idle timeout, and the client's pong
   * (every WebSocket client answers pings) keeps the connection in use.
   */
  private static String webSocketKeepAlive(Config config) {
    String keepAlive = "akka.http.server.websocket.periodic-keep-alive-max-idle";
    String idle = config.getString("akka.http.server.idle-timeout");
    if (!config.getString(keepAlive).equals("infinite") || idle.equals("infinite")) {
      return "";
    }
    return keepAlive + " = " + Math.max(1, config.getDuration("akka.http.server.idle-timeout").toMillis() / 2) + "ms\n";
  }

  private static HttpResponse timeoutResponse(HttpErrors errors) {
    return errors.response(ErrorCode.TIMEOUT, "the server's request timeout passed; the outcome is unknown");
  }

  private static final class Directives extends AllDirectives {}
}
