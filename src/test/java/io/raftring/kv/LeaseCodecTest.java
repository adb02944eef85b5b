package io.raftring.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Lease commands, queries and results survive encode/decode, and live in their own tags beside the KV ones. */
class LeaseCodecTest {

  private static final LeaseRecord LEASE = new LeaseRecord(0x694d7a2c1b3e5f01L, 10_000, false);

  static Stream<LeaseCommand> commands() {
    return Stream.of(
        new LeaseCommand.Grant(1, 1),
        new LeaseCommand.Grant(Long.MAX_VALUE, 86_400_000),
        new LeaseCommand.Revoke(42),
        new LeaseCommand.Expire(3, List.of(1L, 2L, Long.MAX_VALUE)),
        new LeaseCommand.Expire(0, List.of()),
        new LeaseCommand.Promote("n2", 7),
        new LeaseCommand.DeleteKeys(List.of(9L)),
        new LeaseCommand.Forget(List.of(9L, 10L)));
  }

  static Stream<LeaseQuery> queries() {
    return Stream.of(new LeaseQuery.Get(5), new LeaseQuery.KeepAlive(Long.MAX_VALUE), new LeaseQuery.List(),
        new LeaseQuery.KeepAliveMany(List.of(1L, Long.MAX_VALUE, 7L)));
  }

  static Stream<LeaseResult> results() {
    return Stream.of(
        new LeaseResult.Granted(5, 2_000),
        new LeaseResult.Refused(LeaseResult.Reason.EXISTS, "taken"),
        new LeaseResult.Refused(LeaseResult.Reason.NOT_FOUND, ""),
        new LeaseResult.Refused(LeaseResult.Reason.STALE_EPOCH, "epoch 3"),
        new LeaseResult.Refused(LeaseResult.Reason.NOT_LESSOR, "not here"),
        new LeaseResult.Applied(0, 0),
        new LeaseResult.Applied(12, 3_000),
        new LeaseResult.Promoted(4),
        new LeaseResult.Info(LEASE, -1),
        new LeaseResult.Info(new LeaseRecord(2, 5, true), 0),
        new LeaseResult.Info(LEASE, 9_999),
        new LeaseResult.Listing(LeaseTable.View.EMPTY),
        new LeaseResult.Renewals(List.of()),
        new LeaseResult.Renewals(List.of(new LeaseResult.Renewal(1, true, 10_000), new LeaseResult.Renewal(2, false, 0),
            new LeaseResult.Renewal(Long.MAX_VALUE, true, 0))),
        new LeaseResult.Listing(new LeaseTable.View(List.of(LEASE, new LeaseRecord(3, 1, true)), "n1", 2)));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandRoundTripsAndIsRecognisedAsALeaseCommand(LeaseCommand command) {
    byte[] encoded = LeaseCodec.encode(command);

    assertThat(LeaseCodec.isCommand(encoded)).isTrue();
    assertThat(LeaseCodec.decodeCommand(encoded)).isEqualTo(command);
  }

  @ParameterizedTest
  @MethodSource("queries")
  void everyQueryRoundTrips(LeaseQuery query) {
    byte[] encoded = LeaseCodec.encode(query);

    assertThat(LeaseCodec.isQuery(encoded)).isTrue();
    assertThat(LeaseCodec.decodeQuery(encoded)).isEqualTo(query);
  }

  @ParameterizedTest
  @MethodSource("results")
  void everyResultRoundTrips(LeaseResult result) {
    assertThat(LeaseCodec.decodeResult(LeaseCodec.encode(result))).isEqualTo(result);
  }

  @Test
  void kvCommandsAndQueriesAreNotTakenForLeaseOnes() {
    Stream.concat(KvCodecTest.commands().map(KvCodec::encode), KvCodecTest.queries().map(KvCodec::encode))
        .forEach(bytes -> {
          assertThat(LeaseCodec.isCommand(bytes)).isFalse();
          assertThat(LeaseCodec.isQuery(bytes)).isFalse();
        });
    assertThat(LeaseCodec.isCommand(new byte[0])).isFalse();
    assertThat(LeaseCodec.isCommand(null)).isFalse();
  }

  @Test
  void everyTruncationIsRejected() {
    Stream.of(commands().map(LeaseCodec::encode), queries().map(LeaseCodec::encode),
        results().map(LeaseCodec::encode)).flatMap(s -> s).forEach(encoded -> {
          for (int cut = 0; cut < encoded.length; cut++) {
            byte[] truncated = Arrays.copyOf(encoded, cut);
            assertThatThrownBy(() -> {
              LeaseCodec.decodeCommand(truncated);
              LeaseCodec.decodeQuery(truncated);
              LeaseCodec.decodeResult(truncated);
            }).isInstanceOf(KvCodecException.class);
          }
        });
  }

  @Test
  void aKeepAliveOfNoLeasesOrOfTooManyIsRefusedBeforeItIsSent() {
    assertThatThrownBy(() -> new LeaseQuery.KeepAliveMany(List.of())).isInstanceOf(IllegalArgumentException.class);
    List<Long> tooMany = java.util.stream.LongStream.rangeClosed(1, LeaseCommand.MAX_IDS + 1).boxed().toList();
    assertThatThrownBy(() -> new LeaseQuery.KeepAliveMany(tooMany)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aGrantOfANonPositiveTtlDoesNotDecode() {
    byte[] encoded = LeaseCodec.encode(new LeaseCommand.Grant(1, 1));
    encoded[encoded.length - 1] = 0;

    assertThatThrownBy(() -> LeaseCodec.decodeCommand(encoded))
        .isInstanceOf(KvCodecException.class)
        .hasMessageContaining("ttl");
  }
}
