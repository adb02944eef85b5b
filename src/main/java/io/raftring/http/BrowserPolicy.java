package io.raftring.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a node accepts from web browsers. Browsers let any page send "simple" cross-site requests (a form POST, a
 * text/plain fetch) without asking first, so a page on any site could write to a node on the visitor's localhost.
 * Browsers name the page's origin in {@code Origin}; requests from other clients (curl, the CLI, SDKs) carry none.
 *
 * <ul>
 *   <li>no {@code Origin}: not a cross-site browser request, passes;
 *   <li>{@code Origin} in {@code raftring.http.cors.allowed-origins}: passes, answered with CORS headers;
 *   <li>{@code Origin} equal to the request's own origin (a page the node itself served): passes;
 *   <li>any other {@code Origin}: refused with 403 FORBIDDEN (a preflight too, so the real request never comes).
 * </ul>
 *
 * <p>A same-origin request can also come from a page that rebound its own host name to 127.0.0.1 (DNS rebinding).
 * With authentication on, such a page has no token; with it off (loopback only) the node also requires the
 * {@code Host} header to name loopback literally ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}), which a
 * rebinding page cannot send.
 */
final class BrowserPolicy {

  enum Verdict {
    /** Not a cross-site request. */
    PASS,
    /** A cross-site request from an allowed origin: answer with CORS headers. */
    CROSS_ORIGIN_ALLOWED,
    /** A cross-site request from an origin not allowed. */
    ORIGIN_REFUSED,
    /** A Host that is not loopback while the node relies on being reachable only from this machine. */
    HOST_REFUSED
  }

  /** Compiled once: every request's Host header is checked against it. */
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");

  private final Set<String> allowedOrigins;
  private final boolean requireLoopbackHost;

  /**
   * @param allowedOrigins      origins as browsers send them, e.g. {@code https://ops.example.com}; {@code *} allows all
   * @param requireLoopbackHost whether the Host header must name loopback (authentication off, loopback binding)
   */
  BrowserPolicy(List<String> allowedOrigins, boolean requireLoopbackHost) {
    this.allowedOrigins = allowedOrigins.stream().map(BrowserPolicy::normalize).collect(Collectors.toSet());
    this.requireLoopbackHost = requireLoopbackHost;
  }

  /**
   * @param origin the request's Origin header, if any
   * @param host   its Host header (host[:port]); empty when it sent none
   * @param scheme {@code http} or {@code https}, as the node serves
   */
  Verdict check(Optional<String> origin, String host, String scheme) {
    if (requireLoopbackHost && !isLoopbackLiteral(host)) {
      return Verdict.HOST_REFUSED;
    }
    if (origin.isEmpty()) {
      return Verdict.PASS;
    }
    String o = normalize(origin.get());
    if (allowedOrigins.contains(o) || allowedOrigins.contains("*")) {
      return Verdict.CROSS_ORIGIN_ALLOWED;
    }
    if (!host.isEmpty() && o.equals(normalize(scheme + "://" + host))) {
      return Verdict.PASS;
    }
    return Verdict.ORIGIN_REFUSED;
  }

  /** Whether a Host header names loopback without a DNS lookup: localhost, 127.x.x.x or [::1], any port. */
  static boolean isLoopbackLiteral(String hostHeader) {
    String h = hostHeader.toLowerCase(Locale.ROOT);
    String name;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      name = end < 0 ? h : h.substring(0, end + 1);
    } else {
      int colon = h.indexOf(':');
      name = colon < 0 ? h : h.substring(0, colon);
    }
    return name.equals("localhost") || name.equals("[::1]") || LOOPBACK_V4.matcher(name).matches();
  }

  private static String normalize(String origin) {
    String o = origin.strip().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }
}
