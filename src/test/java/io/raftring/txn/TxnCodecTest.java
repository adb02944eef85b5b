package io.raftring.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftring.kv.KeyLock;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCodec;
import io.raftring.kv.KvCodecException;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.txn.Compare.Operator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TxnCodecTest {

  private static final TxnId ID = new TxnId("g7", 1_700_000_000_000L, 12, 2, "n-1");
  private static final KeyValue KV = new KeyValue("k", "v".getBytes(StandardCharsets.UTF_8), 3, 9, 2);
  private static final KeyLock LOCK = new KeyLock("k", ID.toString(), "g7", 1_700_000_003_000L, true);
  private static final TxnRequest REQUEST = new TxnRequest(
      List.of(Compare.value("a", Operator.EQUAL, bytes("1")), Compare.modRevision("b", Operator.LESS, 7),
          Compare.exists("c", false)),
      List.of(TxnOp.put("a", bytes("2")), TxnOp.delete("b"), TxnOp.get("c"), TxnOp.range("{t}/", 50)),
      List.of(TxnOp.get("a")));

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Stream<TxnCommand> commands() {
    return Stream.of(
        new TxnCommand.Execute(ID, 5, REQUEST),
        new TxnCommand.Prepare(ID, 5, 3_005, true, List.of("g7", "g2"), REQUEST),
        new TxnCommand.Prepare(ID, 5, 3_005, false, List.of(), new TxnRequest(List.of(), List.of(), List.of())),
        new TxnCommand.Commit(ID, 9, true, true),
        new TxnCommand.Commit(ID, 9, false, false),
        new TxnCommand.Abort(ID, 9, true));
  }

  static Stream<TxnQuery> queries() {
    return Stream.of(new TxnQuery.Read(REQUEST), new TxnQuery.RecordOf(ID), new TxnQuery.ListPrepared(100));
  }

  static Stream<TxnResult> results() {
    List<OpResult> ops = List.of(new OpResult.PutResult(4, Optional.of(KV)), new OpResult.DeleteResult(0,
        Optional.empty()), new OpResult.GetResult(Optional.of(KV)), new OpResult.RangeResult(List.of(KV), true));
    return Stream.of(
        new TxnResult.Done(true, 4, ops),
        new TxnResult.Blocked(List.of(LOCK), Optional.empty()),
        new TxnResult.Blocked(List.of(LOCK), Optional.of(new TxnResult.Done(false, 4, List.of()))),
        new TxnResult.Prepared(true, ops, List.of()),
        new TxnResult.Refused("locked", List.of(LOCK)),
        new TxnResult.Committed(4, true),
        new TxnResult.Aborted("aborted"),
        new TxnResult.NotPrepared(true),
        new TxnResult.Record(Optional.empty(), 77),
        new TxnResult.Record(Optional.of(TxnRecord.pending(ID, List.of("g7", "g1")).committed(true, 9)), 77),
        new TxnResult.PreparedList(List.of(new TxnResult.PreparedSummary(ID, true, 5, 3_005)), 3, 1),
        new TxnResult.Rejected("bad"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandRoundTripsAndIsToldFromAKvCommand(TxnCommand command) {
    byte[] encoded = TxnCodec.encode(command);
    assertThat(TxnCodec.isTxnMessage(encoded)).isTrue();
    assertThat(TxnCodec.decodeCommand(encoded)).isEqualTo(command);
    assertThatThrownBy(() -> KvCodec.decodeCommand(encoded)).isInstanceOf(KvCodecException.class);
  }

  @ParameterizedTest
  @MethodSource("queries")
  void everyQueryRoundTrips(TxnQuery query) {
    assertThat(TxnCodec.decodeQuery(TxnCodec.encode(query))).isEqualTo(query);
  }

  @ParameterizedTest
  @MethodSource("results")
  void everyResultRoundTrips(TxnResult result) {
    assertThat(TxnCodec.decodeResult(TxnCodec.encode(result))).isEqualTo(result);
  }

  @Test
  void kvMessagesAreNotTakenForTransactionMessages() {
    assertThat(TxnCodec.isTxnMessage(KvCodec.encode(new KvCommand.Put("k", bytes("v"))))).isFalse();
    assertThat(TxnCodec.isTxnMessage(KvCodec.encode(new KvQuery.Prefix("p", 10)))).isFalse();
    assertThat(TxnCodec.isTxnMessage(new byte[0])).isFalse();
  }

  @Test
  void everyTruncationIsRejectedWithACodecException() {
    byte[] encoded = TxnCodec.encode(new TxnCommand.Prepare(ID, 5, 3_005, true, List.of("g7"), REQUEST));
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> TxnCodec.decodeCommand(truncated)).isInstanceOf(KvCodecException.class);
    }
  }

  @Test
  void garbageEitherDecodesOrFailsWithACodecException() {
    Random random = new Random(7);
    byte[] valid = TxnCodec.encode(new TxnCommand.Execute(ID, 5, REQUEST));
    for (int i = 0; i < 500; i++) {
      byte[] mutated = valid.clone();
      mutated[1 + random.nextInt(mutated.length - 1)] = (byte) random.nextInt(256);
      try {
        TxnCodec.decodeCommand(mutated);
      } catch (KvCodecException expected) {
        // the only failure allowed
      }
    }
  }
}
