package io.raftring.kv;

import static io.raftring.kv.KvTestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command, query and result survives encode/decode; garbage fails with a clear KvCodecException. */
class KvCodecTest {

  private static final KeyValue KV = new KeyValue("ключ/\uD83D\uDE00", new byte[] {0, -1, 42}, 3, 300, 7);
  private static final KeyValue BIG_REVISIONS = new KeyValue("b", new byte[0], 1L << 40, Long.MAX_VALUE, 1L << 50);

  static Stream<KvCommand> commands() {
    return Stream.of(
        new KvCommand.Put("k", bytes("v")),
        new KvCommand.Put("ключ/\uD83D\uDE00", new byte[0]),
        new KvCommand.Put("big", new byte[1 << 20]),
        KvCommand.putIfAbsent("k", bytes("v")),
        KvCommand.putIfModRevision("k", bytes("v"), 123_456_789_012L),
        KvCommand.putIfValue("k", bytes("new"), bytes("old")),
        KvCommand.putIfValue("k", bytes("new"), new byte[0]),
        new KvCommand.Delete("k"),
        KvCommand.deleteIfModRevision("k", 0),
        KvCommand.deleteIfModRevision("k", Long.MAX_VALUE),
        KvCommand.deleteIfValue("k", bytes("old")),
        new KvCommand.Put("leased", bytes("v"), KvCondition.absent(), 0x694d7a2c1b3e5f01L),
        new KvCommand.Put("leased", bytes("v"), KvCondition.always(), Long.MAX_VALUE));
  }

  static Stream<KvQuery> queries() {
    return Stream.of(
        new KvQuery.Get("k"),
        new KvQuery.Prefix("", 1),
        new KvQuery.Prefix("app/", 10_000, Optional.of(KvPageToken.encode("app/x"))),
        new KvQuery.Between("", "", 5),
        new KvQuery.Between("a", "z\uD83D\uDE00", 100, Optional.of(KvPageToken.encode("m"))),
        new KvQuery.Export("e-1", 1000, Optional.empty()),
        new KvQuery.Export("0123abcd", 10, Optional.of(KvPageToken.encode("k"))));
  }

  static Stream<KvResult> results() {
    return Stream.of(
        new KvResult.Written(1, Optional.empty()),
        new KvResult.Written(301, Optional.of(KV)),
        new KvResult.Deleted(5, Optional.empty()),
        new KvResult.Deleted(Long.MAX_VALUE, Optional.of(BIG_REVISIONS)),
        new KvResult.Conflict(0, 9),
        new KvResult.Conflict(300, 301),
        new KvResult.Found(KV, 400),
        new KvResult.NotFound(0),
        new KvResult.RangePage(List.of(), Optional.empty(), 0),
        new KvResult.RangePage(List.of(KV, BIG_REVISIONS), Optional.of(KvPageToken.encode("c")), 77),
        new KvResult.Rejected(KvErrorCode.BAD_REQUEST, "log entry 3 is not a KV command"),
        new KvResult.Rejected(KvErrorCode.TOO_LARGE, ""),
        new KvResult.Rejected(KvErrorCode.CONFLICT, "not empty"),
        new KvResult.Rejected(KvErrorCode.NOT_FOUND, "export gone"),
        new KvResult.Rejected(KvErrorCode.NOT_FOUND, "lease 0000000000000001 was revoked or has expired"),
        new KvResult.Restored(0, 0),
        new KvResult.Restored(Long.MAX_VALUE, 12),
        new KvResult.Locked(List.of(new KeyLock("k", "g1-1700000000000-7-0-n2", "g1", 1_700_000_003_000L, true)),
            Optional.empty()),
        new KvResult.Locked(List.of(new KeyLock("k", "t", "g0", 0, false), new KeyLock("k", "u", "g3", 5, false)),
            Optional.of(new KvResult.Found(KV, 400))));
  }

  static Stream<KvRestoreChunk> restoreChunks() {
    return Stream.of(
        new KvRestoreChunk(0, List.of()),
        new KvRestoreChunk(Long.MAX_VALUE, List.of(BIG_REVISIONS, KV)));
  }

  @ParameterizedTest
  @MethodSource("restoreChunks")
  void everyRestoreChunkRoundTripsAndIsToldApartFromACommand(KvRestoreChunk chunk) {
    byte[] encoded = KvCodec.encode(chunk);

    assertThat(KvCodec.isRestoreChunk(encoded)).isTrue();
    assertThat(KvCodec.decodeRestoreChunk(encoded)).isEqualTo(chunk);
    assertThat(KvCodec.encode(KvCodec.decodeRestoreChunk(encoded))).isEqualTo(encoded);
    assertThatThrownBy(() -> KvCodec.decodeCommand(encoded)).isInstanceOf(KvCodecException.class);
    commands().forEach(command -> assertThat(KvCodec.isRestoreChunk(KvCodec.encode(command))).isFalse());
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandRoundTrips(KvCommand command) {
    byte[] encoded = KvCodec.encode(command);

    assertThat(encoded[0]).isEqualTo((byte) KvCodec.FORMAT_V1);
    assertThat(KvCodec.decodeCommand(encoded)).isEqualTo(command);
    assertThat(KvCodec.encode(KvCodec.decodeCommand(encoded))).isEqualTo(encoded);
  }

  @ParameterizedTest
  @MethodSource("queries")
  void everyQueryRoundTrips(KvQuery query) {
    byte[] encoded = KvCodec.encode(query);

    assertThat(KvCodec.decodeQuery(encoded)).isEqualTo(query);
    assertThat(KvCodec.encode(KvCodec.decodeQuery(encoded))).isEqualTo(encoded);
  }

  @ParameterizedTest
  @MethodSource("results")
  void everyResultRoundTrips(KvResult result) {
    byte[] encoded = KvCodec.encode(result);

    assertThat(KvCodec.decodeResult(encoded)).isEqualTo(result);
    assertThat(KvCodec.encode(KvCodec.decodeResult(encoded))).isEqualTo(encoded);
  }

  @Test
  void aSmallPutIsCompact() {
    // format, tag, key length, "k", value length, "v", condition kind
    assertThat(KvCodec.encode(new KvCommand.Put("k", bytes("v")))).hasSize(7);
  }

  @Test
  void aPutWithoutALeaseIsEncodedAsBeforeLeasesExisted() {
    byte[] plain = KvCodec.encode(new KvCommand.Put("k", bytes("v")));
    byte[] leased = KvCodec.encode(new KvCommand.Put("k", bytes("v")).withLease(5));

    assertThat(plain[1]).isEqualTo((byte) 0x01);
    assertThat(leased[1]).isEqualTo((byte) 0x09);
    assertThat(leased).hasSize(plain.length + 1);
  }

  @Test
  void everyTruncationOfEveryEncodingIsRejected() {
    checkEveryPrefixFails(commands().map(KvCodec::encode), KvCodec::decodeCommand);
    checkEveryPrefixFails(queries().map(KvCodec::encode), KvCodec::decodeQuery);
    checkEveryPrefixFails(results().map(KvCodec::encode), KvCodec::decodeResult);
    checkEveryPrefixFails(restoreChunks().map(KvCodec::encode), KvCodec::decodeRestoreChunk);
  }

  private static void checkEveryPrefixFails(Stream<byte[]> encodings, Function<byte[], ?> decoder) {
    encodings.filter(encoded -> encoded.length < 4096).forEach(encoded -> {
      for (int cut = 0; cut < encoded.length; cut++) {
        byte[] truncated = Arrays.copyOf(encoded, cut);
        assertThatThrownBy(() -> decoder.apply(truncated)).isInstanceOf(KvCodecException.class);
      }
    });
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] encoded = KvCodec.encode(new KvCommand.Delete("k"));
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);

    assertThatThrownBy(() -> KvCodec.decodeCommand(longer))
        .isInstanceOf(KvCodecException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void anUnknownFormatIsRejectedWithItsNumber() {
    byte[] encoded = KvCodec.encode(new KvCommand.Delete("k"));
    encoded[0] = 2;

    assertThatThrownBy(() -> KvCodec.decodeCommand(encoded))
        .isInstanceOf(KvCodecException.class)
        .hasMessageContaining("unsupported command format 2");
  }

  @Test
  void bytesOfOneKindHandedToAnotherDecoderAreRejected() {
    byte[] query = KvCodec.encode(new KvQuery.Get("k"));
    byte[] command = KvCodec.encode(new KvCommand.Delete("k"));

    assertThatThrownBy(() -> KvCodec.decodeCommand(query)).isInstanceOf(KvCodecException.class)
        .hasMessageContaining("unknown command tag 0x10");
    assertThatThrownBy(() -> KvCodec.decodeResult(command)).isInstanceOf(KvCodecException.class)
        .hasMessageContaining("unknown result tag 0x2");
  }

  @Test
  void aLengthPastTheEndIsRejectedWithoutAllocatingIt() {
    // format, PUT, key length = 2^31 as a varint, then nothing
    byte[] forged = {1, 0x01, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};

    assertThatThrownBy(() -> KvCodec.decodeCommand(forged))
        .isInstanceOf(KvCodecException.class)
        .hasMessageContaining("claims 2147483648 but only 0 bytes remain");
  }

  @Test
  void aNeverEndingVarintIsRejected() {
    byte[] forged = new byte[64];
    Arrays.fill(forged, (byte) 0xFF);
    forged[0] = 1;
    forged[1] = 0x24; // NOT_FOUND, then a revision whose bytes all say "more follows"

    assertThatThrownBy(() -> KvCodec.decodeResult(forged))
        .isInstanceOf(KvCodecException.class)
        .hasMessageContaining("varint");
  }

  @Test
  void malformedUtf8InAKeyIsRejected() {
    byte[] forged = {1, 0x02, 2, (byte) 0xC3, 0x28, 0};

    assertThatThrownBy(() -> KvCodec.decodeCommand(forged))
        .isInstanceOf(KvCodecException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void fieldsThatBreakARecordsRulesAreRejectedAsMalformed() {
    byte[] emptyKey = {1, 0x02, 0, 0};
    byte[] inconsistentRevisions = {1, 0x23, 1, 'k', 0, 5, 2, 1, 9}; // FOUND with modRevision < createRevision

    assertThatThrownBy(() -> KvCodec.decodeCommand(emptyKey))
        .isInstanceOf(KvCodecException.class)
        .hasMessageContaining("key must not be empty");
    assertThatThrownBy(() -> KvCodec.decodeResult(inconsistentRevisions))
        .isInstanceOf(KvCodecException.class)
        .hasMessageContaining("inconsistent revisions");
  }

  @Test
  void randomGarbageEitherDecodesOrFailsWithACodecExceptionNeverAnythingElse() {
    Random random = new Random(1);
    List<Function<byte[], ?>> decoders = List.of(KvCodec::decodeCommand, KvCodec::decodeQuery, KvCodec::decodeResult);
    List<String> unexpected = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      byte[] garbage = new byte[random.nextInt(40)];
      random.nextBytes(garbage);
      if (garbage.length > 1 && random.nextBoolean()) {
        garbage[0] = 1; // get past the format byte more often
        garbage[1] = (byte) (random.nextBoolean() ? random.nextInt(3) : 0x10 + random.nextInt(3)); // and a known tag
      }
      for (Function<byte[], ?> decoder : decoders) {
        try {
          decoder.apply(garbage);
        } catch (KvCodecException expected) {
          // the one allowed failure
        } catch (RuntimeException | Error e) {
          unexpected.add(Arrays.toString(garbage) + " -> " + e);
        }
      }
    }
    assertThat(unexpected).isEmpty();
  }

  @Test
  void theStateMachineAnswersUndecodableEntriesWithARejectionAndChangesNothing() {
    KvStateMachine machine = new KvStateMachine();
    machine.apply(new KvCommand.Put("k", bytes("v")));

    KvResult result = KvCodec.decodeResult(machine.apply(2, new byte[] {1, 0x7F}));
    KvResult queryResult = KvCodec.decodeResult(machine.query(new byte[] {42}));

    assertThat(result).isInstanceOfSatisfying(KvResult.Rejected.class, rejected -> {
      assertThat(rejected.code()).isEqualTo(KvErrorCode.BAD_REQUEST);
      assertThat(rejected.message()).contains("log entry 2", "unknown command tag 0x7f");
    });
    assertThat(queryResult).isInstanceOf(KvResult.Rejected.class);
    assertThat(machine.revision()).isEqualTo(1);
  }

  @Test
  void aCallerDrivesTheStateMachineWithEncodedCommandsAndDecodesItsResults() {
    KvStateMachine machine = new KvStateMachine();

    byte[] putResult = machine.apply(1, KvCodec.encode(new KvCommand.Put("k", bytes("v"))));
    byte[] getResult = machine.query(KvCodec.encode(new KvQuery.Get("k")));

    assertThat(KvCodec.decodeResult(putResult)).isEqualTo(new KvResult.Written(1, Optional.empty()));
    assertThat(KvCodec.decodeResult(getResult))
        .isEqualTo(new KvResult.Found(new KeyValue("k", bytes("v"), 1, 1, 1), 1));
  }
}
