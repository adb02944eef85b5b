package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Json#readBounded}: the limits are checked by a streaming pass before any tree is built. */
class JsonBoundsTest {

  private static final JsonLimits LIMITS = new JsonLimits(8, 1024);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertRefused(String body, JsonLimits limits, ErrorCode code, String messagePart) {
    assertThatThrownBy(() -> Json.readBounded(utf8(body), limits))
        .isInstanceOfSatisfying(RaftRingException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void tenThousandNestedArraysAreRefusedWithoutOverflowingTheStack() {
    String nested = "[".repeat(10_000) + "]".repeat(10_000);
    assertRefused(nested, new JsonLimits(32, 1 << 20), ErrorCode.BAD_REQUEST, "deeper than the limit of 32 levels");
    String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    assertRefused(objects, new JsonLimits(32, 1 << 20), ErrorCode.BAD_REQUEST, "raftring.http.json.max-depth");
  }

  @Test
  void nestingUpToTheLimitIsRead() {
    String eight = "[".repeat(8) + "]".repeat(8);
    assertThat(Json.readBounded(utf8(eight), LIMITS).isArray()).isTrue();
    assertRefused("[".repeat(9) + "]".repeat(9), LIMITS, ErrorCode.BAD_REQUEST, "limit of 8 levels");
  }

  @Test
  void aBodyOverTheSizeLimitIsTooLargeAndNamesTheLimit() {
    String big = "{\"a\":\"" + "x".repeat(2000) + "\"}";
    assertRefused(big, LIMITS, ErrorCode.TOO_LARGE, "the limit is 1024 bytes (raftring.http.json.max-bytes)");
  }

  @Test
  void numbersLongerThanAnyRealOneAreRefused() {
    assertRefused("{\"n\":" + "9".repeat(100) + "}", LIMITS, ErrorCode.BAD_REQUEST, "number is longer than 64");
    assertRefused("[1." + "5".repeat(100) + "]", LIMITS, ErrorCode.BAD_REQUEST, "number is longer than 64");
    assertThat(Json.readBounded(utf8("{\"n\":1e400}"), LIMITS).get("n").isNumber()).isTrue();
  }

  @Test
  void malformedEmptyTrailingAndDuplicateFieldBodiesAreBadRequests() {
    assertRefused("{\"a\":", LIMITS, ErrorCode.BAD_REQUEST, "not valid JSON");
    assertRefused("", LIMITS, ErrorCode.BAD_REQUEST, "empty");
    assertRefused("{} {}", LIMITS, ErrorCode.BAD_REQUEST, "not valid JSON");
    assertRefused("{\"n\":1,\"n\":2}", LIMITS, ErrorCode.BAD_REQUEST, "Duplicate field 'n'");
    assertRefused("[1]]", LIMITS, ErrorCode.BAD_REQUEST, "not valid JSON");
  }

  @Test
  void anOrdinaryBodyIsReadAsItsTree() {
    var tree = Json.readBounded(utf8("{\"algorithm\":\"om\",\"n\":7,\"traitors\":[2,5]}"), LIMITS);
    assertThat(tree.get("n").intValue()).isEqualTo(7);
    assertThat(tree.get("traitors").size()).isEqualTo(2);
  }
}
