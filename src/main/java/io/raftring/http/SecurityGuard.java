package io.raftring.http;

import akka.http.javadsl.model.AttributeKey;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.raftring.api.ErrorCode;
import io.raftring.metrics.Counter;
import io.raftring.metrics.MetricsRegistry;
import io.raftring.security.Principal;
import io.raftring.security.TokenStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The gate in front of every route: first what browsers may do ({@link BrowserPolicy}: cross-site requests and CORS
 * preflights), then who the caller is (a bearer token from the tokens file) and whether its role covers the request
 * ({@link AccessPolicy}). Refusals are JSON errors: 401 UNAUTHENTICATED (no token, or one not listed) and 403
 * FORBIDDEN (a role short of the request's, or an origin or host not allowed), with {@code WWW-Authenticate} as RFC
 * 6750 says. A request that passes carries its caller in the {@link #CALLER} attribute, for what comes after (rate
 * limits key on it). Nothing is read of the body before the gate decides.
 */
final class SecurityGuard extends AllDirectives {

  /** The authenticated caller of a request that passed the gate; absent when authentication is off. */
  static final AttributeKey<Principal> CALLER = AttributeKey.create("raftring-caller", Principal.class);

  private static final String BEARER = "bearer ";

  private final BrowserPolicy browsers;
  private final TokenStore tokens;
  private final HttpErrors errors;
  private final String scheme;
  private final Counter refused;

  /**
   * @param tokens null when authentication is off: every request passes the role check
   * @param scheme {@code https} or {@code http}, what the node serves (for same-origin checks)
   */
  SecurityGuard(BrowserPolicy browsers, TokenStore tokens, HttpErrors errors, String scheme, MetricsRegistry metrics) {
    this.browsers = browsers;
    this.tokens = tokens;
    this.errors = errors;
    this.scheme = scheme;
    this.refused = metrics.counter("raftring_http_refused_total",
        "Requests refused by the security gate before any route, by reason.", "reason");
  }

  /** The authenticated caller of {@code request}, if authentication is on and it passed the gate. */
  static Optional<Principal> caller(HttpRequest request) {
    return request.getAttribute(CALLER);
  }

  Route guard(Route inner) {
    return extractRequest(request -> {
      Optional<String> origin = header(request, "Origin");
      String host = header(request, "Host").orElse("");
      BrowserPolicy.Verdict verdict = browsers.check(origin, host, scheme);
      switch (verdict) {
        case HOST_REFUSED -> {
          return refuse("host", errors.response(ErrorCode.FORBIDDEN, "Host '" + host + "' is not a loopback name:"
              + " without authentication this node answers only requests addressed to localhost, 127.0.0.1 or"
              + " [::1] (raftring.http.auth.tokens-file turns authentication on)"));
        }
        case ORIGIN_REFUSED -> {
          return refuse("origin", errors.response(ErrorCode.FORBIDDEN, "cross-origin request from " + origin.get()
              + " refused; allow the origin in raftring.http.cors.allowed-origins"));
        }
        case CROSS_ORIGIN_ALLOWED -> {
          List<HttpHeader> cors = corsHeaders(origin.get());
          if (isPreflight(request)) {
            return complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT).addHeaders(preflight(cors)));
          }
          return respondWithHeaders(cors, () -> authorize(request, inner));
        }
        default -> {
          return authorize(request, inner);
        }
      }
    });
  }

  private Route authorize(HttpRequest request, Route inner) {
    if (tokens == null) {
      return inner;
    }
    List<String> segments = new ArrayList<>();
    request.getUri().pathSegments().forEach(segments::add);
    AccessPolicy.Access access = AccessPolicy.required(request.method().value(), segments);
    if (access.isOpen()) {
      return inner;
    }
    String needed = access.role().get().label();
    Optional<String> authorization = header(request, "Authorization");
    if (authorization.isEmpty()) {
      return refuse("missing_token", errors.bearerRefusal(ErrorCode.UNAUTHENTICATED, null,
          "this request needs a bearer token with role " + needed + ": send Authorization: Bearer TOKEN"));
    }
    String value = authorization.get().strip();
    if (!value.toLowerCase(Locale.ROOT).startsWith(BEARER) || value.length() == BEARER.length()) {
      return refuse("invalid_token", errors.bearerRefusal(ErrorCode.UNAUTHENTICATED, "invalid_request",
          "the Authorization header must be Bearer TOKEN"));
    }
    Optional<Principal> caller = tokens.authenticate(value.substring(BEARER.length()).strip());
    if (caller.isEmpty()) {
      return refuse("invalid_token", errors.bearerRefusal(ErrorCode.UNAUTHENTICATED, "invalid_token",
          "the bearer token is not valid (unknown or revoked)"));
    }
    Principal principal = caller.get();
    if (!principal.role().includes(access.role().get())) {
      return refuse("forbidden_role", errors.bearerRefusal(ErrorCode.FORBIDDEN, "insufficient_scope",
          "this request needs role " + needed + "; the token of '" + principal.name() + "' has role "
              + principal.role().label()));
    }
    return mapRequest(r -> r.addAttribute(CALLER, principal), () -> inner);
  }

  private Route refuse(String reason, HttpResponse response) {
    refused.labels(reason).inc();
    return complete(response);
  }

  private static boolean isPreflight(HttpRequest request) {
    return request.method().value().equals("OPTIONS")
        && header(request, "Access-Control-Request-Method").isPresent();
  }

  private static List<HttpHeader> corsHeaders(String origin) {
    return List.of(
        RawHeader.create("Access-Control-Allow-Origin", origin),
        RawHeader.create("Vary", "Origin"),
        RawHeader.create("Access-Control-Expose-Headers", "Retry-After, WWW-Authenticate"));
  }

  private static List<HttpHeader> preflight(List<HttpHeader> cors) {
    List<HttpHeader> headers = new ArrayList<>(cors);
    headers.add(RawHeader.create("Access-Control-Allow-Methods", "GET, HEAD, PUT, POST, DELETE"));
    headers.add(RawHeader.create("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept"));
    headers.add(RawHeader.create("Access-Control-Max-Age", "600"));
    return headers;
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }
}
