package io.raftring.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireReaderWriterTest {

  // ---- varints -----------------------------------------------------------------------------------------------------

  @Test
  void smallNumbersTakeOneByteAndEachFurtherSevenBitsOneMore() {
    assertThat(written(out -> out.writeVarLong(0))).containsExactly(0);
    assertThat(written(out -> out.writeVarLong(127))).containsExactly(0x7F);
    assertThat(written(out -> out.writeVarLong(128))).containsExactly(0x80, 0x01);
    assertThat(written(out -> out.writeVarLong(Long.MAX_VALUE)))
        .containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, 1L << 62, Long.MAX_VALUE})
  void aNonNegativeNumberReadsBackTheSameThroughEitherReaderAndEitherWriter(long value) {
    byte[] any = written(out -> out.writeVarLong(value));
    byte[] nonNegative = written(out -> out.writeNonNegativeVarLong(value));

    assertThat(nonNegative).isEqualTo(any).hasSize(WireWriter.varLongSize(value));
    assertThat(new WireReader(any).readVarLong()).isEqualTo(value);
    assertThat(new WireReader(any).readNonNegativeVarLong()).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, -128, Integer.MIN_VALUE, Long.MIN_VALUE})
  void aNegativeNumberTakesTenBytesAndReadsBackOnlyThroughTheFullRangeReader(long value) {
    byte[] bytes = written(out -> out.writeVarLong(value));

    assertThat(bytes).hasSize(10).hasSize(WireWriter.varLongSize(value));
    assertThat(new WireReader(bytes).readVarLong()).isEqualTo(value);
    assertThatThrownBy(() -> new WireReader(bytes).readNonNegativeVarLong())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("varint at offset 0 is longer than 9 bytes");
  }

  @Test
  void theNonNegativeWriterRefusesANegativeNumberBeforeWritingAnything() {
    WireWriter out = WireWriter.growing(16);

    assertThatThrownBy(() -> out.writeNonNegativeVarLong(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
    assertThat(out.toByteArray()).isEmpty();
  }

  @Test
  void aVarintPastSixtyFourBitsIsRefused() {
    byte[] sixtyFiveBits = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, 0x02};

    assertThatThrownBy(() -> new WireReader(sixtyFiveBits).readVarLong())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("varint at offset 0 does not fit in 64 bits");
  }

  // ---- lengths and counts are checked before anything is allocated -------------------------------------------------

  @Test
  void aPlainLengthPastTheEndIsRefusedWithoutAllocatingIt() {
    byte[] claims2GiB = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};

    assertThatThrownBy(() -> new WireReader(claims2GiB).readBytes("value"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value length at offset 0 claims 2147483648 but only 0 bytes remain");
  }

  @Test
  void aNullableLengthPastTheEndIsRefusedWithoutAllocatingIt() {
    byte[] claims2To62Bytes = written(out -> out.writeVarLong((1L << 62) + 1));

    assertThatThrownBy(() -> new WireReader(claims2To62Bytes).readNullableBytes("entry data"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entry data at offset 0 claims 4611686018427387904 but only 0 bytes remain");
  }

  @Test
  void aNullableLengthThatIsNegativeAsALongIsRefusedAndNamedUnsigned() {
    byte[] lengthPlusOneIsMinusOne = written(out -> out.writeVarLong(-1));

    assertThatThrownBy(() -> new WireReader(lengthPlusOneIsMinusOne).readNullableString("from"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims 18446744073709551614");
  }

  @Test
  void aCountMustLeaveItsMinimumBytesForEveryElement() {
    byte[] twoOfFourBytesEach = {2, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] threeOfFourBytesEach = {3, 0, 0, 0, 0, 0, 0, 0, 0};

    assertThat(new WireReader(twoOfFourBytesEach).readCount("entry count", 4)).isEqualTo(2);
    assertThatThrownBy(() -> new WireReader(threeOfFourBytesEach).readCount("entry count", 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entry count at offset 0 claims 3 but only 8 bytes remain");
  }

  @Test
  void aNegativeCountIsRefused() {
    byte[] minusOne = written(out -> out.writeVarLong(-1));

    assertThatThrownBy(() -> new WireReader(minusOne).readCount("entry count", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims 18446744073709551615");
  }

  // ---- truncation and trailing bytes -------------------------------------------------------------------------------

  @Test
  void everyTruncationOfARecordIsRefused() {
    byte[] record = written(out -> {
      out.writeVarLong(-1);
      out.writeNonNegativeVarLong(300);
      out.writeBoolean(true);
      out.writeBytes("key".getBytes(StandardCharsets.UTF_8));
      out.writeNullableBytes("node".getBytes(StandardCharsets.UTF_8));
      out.writeByte(7);
    });
    WireReader whole = new WireReader(record);
    readRecord(whole);
    whole.expectEnd();

    for (int length = 0; length < record.length; length++) {
      WireReader cut = new WireReader(Arrays.copyOf(record, length));
      assertThatThrownBy(() -> readRecord(cut)).as("cut to " + length).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static void readRecord(WireReader in) {
    assertThat(in.readVarLong()).isEqualTo(-1);
    assertThat(in.readNonNegativeVarLong()).isEqualTo(300);
    assertThat(in.readBoolean()).isTrue();
    assertThat(in.readString("key")).isEqualTo("key");
    assertThat(in.readNullableString("node")).isEqualTo("node");
    assertThat(in.readByte()).isEqualTo(7);
  }

  @Test
  void trailingBytesAreRefused() {
    WireReader in = new WireReader(new byte[] {1, 2});
    in.readByte();

    assertThatThrownBy(in::expectEnd)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("1 unexpected trailing bytes at offset 1");
  }

  // ---- booleans, strings, null versus empty ------------------------------------------------------------------------

  @Test
  void aBooleanIsOneByteZeroOrOneAndNothingElse() {
    WireReader in = new WireReader(written(out -> {
      out.writeBoolean(false);
      out.writeBoolean(true);
    }));

    assertThat(in.readBoolean()).isFalse();
    assertThat(in.readBoolean()).isTrue();
    assertThatThrownBy(() -> new WireReader(new byte[] {2}).readBoolean())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a boolean (0 or 1) at offset 0, found 2");
  }

  @Test
  void theNullableFormTellsNullFromEmptyByLengthPlusOne() {
    byte[] bytes = written(out -> {
      out.writeNullableBytes(null);
      out.writeNullableBytes(new byte[0]);
      out.writeNullableBytes(new byte[] {9});
    });
    WireReader in = new WireReader(bytes);

    assertThat(bytes).containsExactly(0, 1, 2, 9);
    assertThat(in.readNullableBytes("a")).isNull();
    assertThat(in.readNullableBytes("b")).isEmpty();
    assertThat(in.readNullableBytes("c")).containsExactly(9);
    assertThat(new WireReader(new byte[] {0}).readNullableString("s")).isNull();
    assertThat(new WireReader(new byte[] {1}).readNullableString("s")).isEmpty();
  }

  @Test
  void thePlainFormPutsTheLengthItselfInFront() {
    byte[] bytes = written(out -> {
      out.writeBytes(new byte[0]);
      out.writeBytes(new byte[] {9});
    });
    WireReader in = new WireReader(bytes);

    assertThat(bytes).containsExactly(0, 1, 9);
    assertThat(in.readBytes("a")).isEmpty();
    assertThat(in.readString("b")).isEqualTo("\t");
  }

  @Test
  void malformedUtf8IsRefusedRatherThanReplaced() {
    byte[] plain = {2, (byte) 0xC3, 0x28};
    byte[] nullable = {3, (byte) 0xC3, 0x28};

    assertThatThrownBy(() -> new WireReader(plain).readString("key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key at offset 1 is not valid UTF-8");
    assertThatThrownBy(() -> new WireReader(nullable).readNullableString("from"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("from at offset 1 is not valid UTF-8");
  }

  // ---- sizing ------------------------------------------------------------------------------------------------------

  @Test
  void anExactWriterReturnsItsOwnArrayWhenFilledAndFailsWhenSizedWrong() {
    byte[] data = {1, 2, 3};
    WireWriter exact = WireWriter.exactly(WireWriter.nullableBytesSize(data) + WireWriter.varLongSize(300));
    exact.writeNullableBytes(data);
    exact.writeVarLong(300);
    WireWriter tooBig = WireWriter.exactly(2);
    tooBig.writeByte(1);
    WireWriter tooSmall = WireWriter.exactly(1);

    assertThat(exact.toByteArray()).containsExactly(4, 1, 2, 3, 0xAC, 0x02).isSameAs(exact.toByteArray());
    assertThatThrownBy(tooBig::toByteArray).isInstanceOf(IllegalStateException.class)
        .hasMessage("sized 2 bytes but wrote 1");
    assertThatThrownBy(() -> tooSmall.writeVarLong(128)).isInstanceOf(IllegalStateException.class);
    assertThat(WireWriter.nullableBytesSize(null)).isEqualTo(1);
  }

  @Test
  void aGrowingWriterGrowsPastItsEstimate() {
    byte[] big = new byte[1000];
    Arrays.fill(big, (byte) 5);
    WireWriter out = WireWriter.growing(1);
    out.writeBytes(big);

    assertThat(new WireReader(out.toByteArray()).readBytes("big")).isEqualTo(big);
  }

  private static byte[] written(Consumer<WireWriter> body) {
    WireWriter out = WireWriter.growing(16);
    body.accept(out);
    return out.toByteArray();
  }
}
