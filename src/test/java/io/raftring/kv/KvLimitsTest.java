package io.raftring.kv;

import static io.raftring.kv.KvTestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Limits and well-formedness are checked before proposing, with codes the HTTP layer maps to 400 and 413. */
class KvLimitsTest {

  private final KvLimits limits = KvLimits.DEFAULT;

  private static void assertRefused(ThrowingCallable call, KvErrorCode code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(KvValidationException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void theDefaultsAreOneKibibyteKeysAndOneMebibyteValues() {
    assertThat(limits.maxKeyBytes()).isEqualTo(1024);
    assertThat(limits.maxValueBytes()).isEqualTo(1024 * 1024);
  }

  @Test
  void anEmptyKeyIsABadRequest() {
    assertRefused(() -> limits.validateKey(""), KvErrorCode.BAD_REQUEST, "empty");
    assertRefused(() -> limits.validateKey(new byte[0]), KvErrorCode.BAD_REQUEST, "empty");
    assertRefused(() -> new KvCommand.Put("", bytes("v")), KvErrorCode.BAD_REQUEST, "empty");
    assertRefused(() -> new KvQuery.Get(""), KvErrorCode.BAD_REQUEST, "empty");
  }

  @Test
  void aKeyOfExactly1024BytesIsAcceptedAnd1025IsTooLarge() {
    assertThat(limits.validateKey("k".repeat(1024))).hasSize(1024);
    assertRefused(() -> limits.validateKey("k".repeat(1025)), KvErrorCode.TOO_LARGE, "1025 bytes");
    assertRefused(() -> limits.validateKey(new byte[1025]), KvErrorCode.TOO_LARGE, "1025 bytes");
  }

  @Test
  void theKeyLimitCountsUtf8BytesNotChars() {
    String twoBytesEach = "é".repeat(512);
    assertThat(limits.validateKey(twoBytesEach)).isEqualTo(twoBytesEach);
    assertRefused(() -> limits.validateKey(twoBytesEach + "x"), KvErrorCode.TOO_LARGE, "1025 bytes");
    String fourBytesEach = "\uD83D\uDE00".repeat(257);
    assertRefused(() -> limits.validateKey(fourBytesEach), KvErrorCode.TOO_LARGE, "1028 bytes");
  }

  @Test
  void malformedUtf8KeyBytesAreABadRequest() {
    byte[][] malformed = {
      {(byte) 0xC3, 0x28}, // a lead byte followed by a non-continuation
      {(byte) 0xFF}, // never valid in UTF-8
      {(byte) 0xC0, (byte) 0xAF}, // an overlong '/'
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate (CESU-8)
      {'a', (byte) 0xE2, (byte) 0x82}, // cut in the middle of a character
    };
    for (byte[] key : malformed) {
      assertRefused(() -> limits.validateKey(key), KvErrorCode.BAD_REQUEST, "not valid UTF-8");
    }
  }

  @Test
  void wellFormedUtf8KeyBytesDecodeToTheKey() {
    assertThat(limits.validateKey(bytes("ключ/\uD83D\uDE00"))).isEqualTo("ключ/\uD83D\uDE00");
  }

  @Test
  void aStringKeyWithAnUnpairedSurrogateIsABadRequest() {
    assertRefused(() -> limits.validateKey("a\uD800b"), KvErrorCode.BAD_REQUEST, "not valid Unicode");
    assertRefused(() -> new KvCommand.Delete("\uDC00"), KvErrorCode.BAD_REQUEST, "not valid Unicode");
    assertRefused(() -> new KvQuery.Prefix("x\uD800", 1), KvErrorCode.BAD_REQUEST, "not valid Unicode");
  }

  @Test
  void aValueOfExactlyTheLimitIsAcceptedAndOneMoreByteIsTooLarge() {
    assertThat(limits.validateValue(new byte[1024 * 1024])).hasSize(1024 * 1024);
    assertRefused(() -> limits.validateValue(new byte[1024 * 1024 + 1]), KvErrorCode.TOO_LARGE, "1048577 bytes");
  }

  @Test
  void validatingACommandChecksItsKeyItsValueAndTheValueItComparesWith() {
    byte[] oversize = new byte[1024 * 1024 + 1];
    assertRefused(() -> limits.validate(new KvCommand.Put("k".repeat(1025), bytes("v"))), KvErrorCode.TOO_LARGE, "key");
    assertRefused(() -> limits.validate(new KvCommand.Put("k", oversize)), KvErrorCode.TOO_LARGE, "value");
    assertRefused(() -> limits.validate(KvCommand.deleteIfValue("k", oversize)), KvErrorCode.TOO_LARGE, "value");
    KvCommand fine = KvCommand.putIfValue("k", bytes("new"), bytes("old"));
    assertThat(limits.validate(fine)).isSameAs(fine);
  }

  @Test
  void validatingAQueryChecksItsKeyAndBounds() {
    assertRefused(() -> limits.validate(new KvQuery.Get("k".repeat(1025))), KvErrorCode.TOO_LARGE, "key");
    assertRefused(() -> limits.validate(new KvQuery.Prefix("p".repeat(1025), 10)), KvErrorCode.TOO_LARGE, "prefix");
    assertRefused(() -> limits.validate(new KvQuery.Between("a", "z".repeat(1025), 10)),
        KvErrorCode.TOO_LARGE, "toKey");
    String longKeyToken = KvPageToken.encode("p".repeat(1025));
    assertRefused(() -> limits.validate(new KvQuery.Prefix("p", 10, Optional.of(longKeyToken))),
        KvErrorCode.TOO_LARGE, "page token");
    assertThat(limits.validate(new KvQuery.Between("", "", 10))).isNotNull();
  }

  @Test
  void limitsAreConfigurable() {
    KvLimits small = new KvLimits(4, 2);

    assertThat(small.validateKey("abcd")).isEqualTo("abcd");
    assertRefused(() -> small.validateKey("abcde"), KvErrorCode.TOO_LARGE, "limit is 4 bytes");
    assertRefused(() -> small.validateValue(new byte[3]), KvErrorCode.TOO_LARGE, "limit is 2 bytes");
  }

  @Test
  void aNegativeExpectedModRevisionIsABadRequest() {
    assertRefused(() -> KvCommand.putIfModRevision("k", bytes("v"), -1), KvErrorCode.BAD_REQUEST, "mod_revision");
  }

  @Test
  void refusedInputNeverReachesTheStateMachineSoNothingChanges() {
    KvStateMachine machine = new KvStateMachine();
    machine.apply(new KvCommand.Put("k", bytes("v")));

    // What the proposing edge does: validate, and only then encode and propose.
    KvCommand oversize = new KvCommand.Put("k", new byte[1024 * 1024 + 1]);
    assertRefused(() -> machine.apply(1, KvCodec.encode(limits.validate(oversize))), KvErrorCode.TOO_LARGE, "value");

    assertThat(machine.revision()).isEqualTo(1);
    assertThat(machine.get("k").orElseThrow().value()).isEqualTo(bytes("v"));
  }
}
