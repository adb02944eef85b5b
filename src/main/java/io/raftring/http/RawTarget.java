package io.raftring.http;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawRequestURI;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request's path and query as the client sent them. akka-http decodes percent-escapes when it parses the URI and
 * replaces malformed UTF-8 with U+FFFD, so {@code /v1/kv/%FF} and {@code /v1/kv/%EF%BF%BD} would name the same key;
 * keys and compared values must instead be decoded strictly and refused when malformed. The raw target comes from the
 * {@code Raw-Request-URI} header, which {@link HttpServer} turns on ({@code akka.http.server.raw-request-uri-header});
 * without it (routes bound elsewhere) this falls back to akka-http's decoding, and malformed UTF-8 goes unnoticed.
 */
final class RawTarget {

  private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,9})(ms|s)?");

  private final String rawPath;
  private final boolean strict;
  private final String parsedPath;
  private final Map<String, List<String>> query;

  private RawTarget(String rawPath, boolean strict, String parsedPath, Map<String, List<String>> query) {
    this.rawPath = rawPath;
    this.strict = strict;
    this.parsedPath = parsedPath;
    this.query = query;
  }

  /** The request's target; a malformed query (bad escape, malformed UTF-8) is a BAD_REQUEST. */
  static RawTarget of(HttpRequest request) {
    String parsedPath = request.getUri().path();
    Optional<RawRequestURI> raw = request.getHeader(RawRequestURI.class);
    if (raw.isEmpty()) {
      Map<String, List<String>> query = new LinkedHashMap<>(request.getUri().query().toMultiMap());
      return new RawTarget(parsedPath, false, parsedPath, query);
    }
    String uri = raw.get().uri();
    int hash = uri.indexOf('#');
    if (hash >= 0) {
      uri = uri.substring(0, hash);
    }
    int scheme = uri.indexOf("://");
    if (!uri.startsWith("/") && scheme >= 0) { // absolute-form: drop scheme and authority
      int end = scheme + 3;
      while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
        end++;
      }
      uri = end < uri.length() && uri.charAt(end) == '/' ? uri.substring(end) : "/" + uri.substring(end);
    }
    int question = uri.indexOf('?');
    String path = question < 0 ? uri : uri.substring(0, question);
    String rawQuery = question < 0 ? "" : uri.substring(question + 1);
    return new RawTarget(path, true, parsedPath, parseQuery(rawQuery));
  }

  /**
   * The bytes of the path after its first {@code segments} segments and their slash ({@code /v1/kv/a%2Fb/c} after 2:
   * {@code a/b/c}), percent-decoded; not checked for UTF-8.
   */
  byte[] pathBytesAfter(int segments) {
    byte[] bytes = percentDecode(after(rawPath, segments), false, "path");
    if (strict) {
      // The raw header and the parsed URI must name the same key (a client could send its own Raw-Request-URI).
      String lenient = new String(bytes, StandardCharsets.UTF_8);
      String parsed = new String(percentDecode(after(parsedPath, segments), false, "path"), StandardCharsets.UTF_8);
      if (!lenient.equals(parsed)) {
        throw new RaftRingException(ErrorCode.BAD_REQUEST, "Raw-Request-URI does not match the request's URI");
      }
    }
    return bytes;
  }

  /**
   * Whether the path as sent has a {@code .} or {@code ..} segment, also percent-encoded ({@code %2E%2E}). akka-http
   * removes them while parsing (RFC 3986's dot-segment removal, after decoding), so {@code /v1/kv/../admin/x} would
   * be routed as {@code /v1/admin/x}, past a proxy that allows only {@code /v1/kv/*}. The keys "." and ".." cannot be
   * named in a path for the same reason.
   */
  boolean hasDotSegment() {
    for (String segment : rawPath.split("/", -1)) {
      String decoded = segment.replace("%2E", ".").replace("%2e", ".");
      if (decoded.equals(".") || decoded.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** The query parameter names, in order of first appearance. */
  Iterable<String> parameterNames() {
    return query.keySet();
  }

  /** The single value of a query parameter; given twice is a BAD_REQUEST (which one would win is not obvious). */
  Optional<String> parameter(String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, "query parameter '" + name + "' is given more than once");
    }
    return Optional.of(values.get(0));
  }

  /** Refuses (400) any query parameter not in {@code allowed}: a misspelt condition must not be silently ignored. */
  void requireOnly(Set<String> allowed) {
    for (String name : parameterNames()) {
      if (!allowed.contains(name)) {
        throw new RaftRingException(ErrorCode.BAD_REQUEST,
            "unknown query parameter '" + name + "'; this endpoint takes " + allowed.stream().sorted().toList());
      }
    }
  }

  /**
   * The request's deadline: {@code ?timeout=500ms|2s|1500} (milliseconds when no unit), at most {@code max};
   * {@code otherwise} when absent.
   */
  Duration timeout(Duration otherwise, Duration max) {
    Optional<String> text = parameter("timeout");
    if (text.isEmpty()) {
      return otherwise;
    }
    Matcher m = TIMEOUT.matcher(text.get());
    if (!m.matches()) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST,
          "timeout must look like 500ms, 2s or 1500 (milliseconds), was '" + text.get() + "'");
    }
    long amount = Long.parseLong(m.group(1));
    Duration timeout = "s".equals(m.group(2))
        ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
    if (timeout.isZero()) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, "timeout must be positive");
    }
    if (timeout.compareTo(max) > 0) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST,
          "timeout must be at most " + max.toMillis() + "ms, was " + text.get());
    }
    return timeout;
  }

  private static String after(String path, int segments) {
    int at = 0;
    for (int i = 0; i <= segments; i++) {
      int slash = path.indexOf('/', at);
      if (slash < 0) {
        return "";
      }
      at = slash + 1;
    }
    return path.substring(at);
  }

  private static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = strictUtf8(percentDecode(eq < 0 ? pair : pair.substring(0, eq), true, "query"), "a query name");
      String value = eq < 0 ? "" : strictUtf8(percentDecode(pair.substring(eq + 1), true, "query"),
          "query parameter '" + name + "'");
      query.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
    }
    return query;
  }

  /** Percent-decodes {@code s}; in a query '+' is a space. A bad escape is a BAD_REQUEST. */
  static byte[] percentDecode(String s, boolean plusIsSpace, String where) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new RaftRingException(ErrorCode.BAD_REQUEST, "bad percent-escape in the " + where);
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new RaftRingException(ErrorCode.BAD_REQUEST, "bad percent-escape in the " + where);
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else if (c < 0x80) {
        out.write(c);
      } else { // not legal unescaped in a URI, but be liberal: take its UTF-8
        int codePoint = s.codePointAt(i);
        byte[] b = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(codePoint) - 1;
      }
    }
    return out.toByteArray();
  }

  /** Decodes UTF-8 refusing malformed input, which would otherwise silently become U+FFFD. */
  static String strictUtf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, what + " is not valid UTF-8");
    }
  }
}
