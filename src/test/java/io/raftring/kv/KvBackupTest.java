package io.raftring.kv;

import static io.raftring.kv.KvTestData.bytes;
import static io.raftring.kv.KvTestData.restoredFrom;
import static io.raftring.kv.KvTestData.snapshotOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Exports (a group's point-in-time state, page by page) and restore chunks (that state put back). */
class KvBackupTest {

  private final KvStateMachine machine = new KvStateMachine();

  private KvResult.RangePage page(String exportId, int limit, Optional<String> token) {
    return (KvResult.RangePage) machine.query(new KvQuery.Export(exportId, limit, token));
  }

  /** Every page of an export, from the first. */
  private List<KeyValue> exportAll(String exportId, int limit) {
    List<KeyValue> all = new ArrayList<>();
    Optional<String> token = Optional.empty();
    do {
      KvResult.RangePage page = page(exportId, limit, token);
      all.addAll(page.keyValues());
      token = page.nextPageToken();
    } while (token.isPresent());
    return all;
  }

  @Test
  void everyPageOfAnExportReadsTheStateOfItsFirstPageWhateverIsWrittenBetween() {
    for (int i = 0; i < 10; i++) {
      machine.apply(new KvCommand.Put("k" + i, bytes("v" + i)));
    }
    List<KeyValue> before = new ArrayList<>(machine.entries().values());

    KvResult.RangePage first = page("e1", 3, Optional.empty());
    machine.apply(new KvCommand.Put("k0", bytes("changed")));
    machine.apply(new KvCommand.Delete("k5"));
    machine.apply(new KvCommand.Put("k99", bytes("new")));
    List<KeyValue> all = new ArrayList<>(first.keyValues());
    Optional<String> token = first.nextPageToken();
    while (token.isPresent()) {
      KvResult.RangePage next = page("e1", 3, token);
      assertThat(next.revision()).isEqualTo(first.revision());
      all.addAll(next.keyValues());
      token = next.nextPageToken();
    }

    assertThat(first.revision()).isEqualTo(10);
    assertThat(all).isEqualTo(before);
    assertThat(machine.revision()).isEqualTo(13);
  }

  @Test
  void aPageOfAnExportThisReplicaDoesNotHoldIsNotFound() {
    machine.apply(new KvCommand.Put("a", bytes("1")));

    KvResult result = machine.query(new KvQuery.Export("unknown", 10, Optional.of(KvPageToken.encode("a"))));

    assertThat(result).isInstanceOfSatisfying(KvResult.Rejected.class,
        r -> assertThat(r.code()).isEqualTo(KvErrorCode.NOT_FOUND));
  }

  @Test
  void aFinishedExportIsDroppedAndANewExportPushesOutTheLeastRecentlyReadOne() {
    for (int i = 0; i < 4; i++) {
      machine.apply(new KvCommand.Put("k" + i, bytes("v")));
    }
    exportAll("done", 10);
    assertThat(machine.query(new KvQuery.Export("done", 1, Optional.of(KvPageToken.encode("k1")))))
        .isInstanceOf(KvResult.Rejected.class);

    Optional<String> oldest = page("oldest", 1, Optional.empty()).nextPageToken();
    Optional<String> newer = page("newer", 1, Optional.empty()).nextPageToken();
    page("newest", 1, Optional.empty());

    assertThat(machine.query(new KvQuery.Export("oldest", 1, oldest))).isInstanceOf(KvResult.Rejected.class);
    assertThat(machine.query(new KvQuery.Export("newer", 1, newer))).isInstanceOf(KvResult.RangePage.class);
  }

  @Test
  void restoreIntoAnEmptyGroupInstallsEveryKeyWithItsRevisionsAndTheGroupsRevision() {
    KeyValue a = new KeyValue("a", bytes("1"), 3, 17, 4);
    KeyValue b = new KeyValue("b", bytes("2"), 9, 9, 1);

    KvResult result = machine.restore(new KvRestoreChunk(20, List.of(a, b)));

    assertThat(result).isEqualTo(new KvResult.Restored(20, 2));
    assertThat(machine.revision()).isEqualTo(20);
    assertThat(machine.get("a")).contains(a);
    assertThat(machine.get("b")).contains(b);
    // and it goes on from there as the original would have
    assertThat(machine.apply(new KvCommand.Put("a", bytes("next"))))
        .isEqualTo(new KvResult.Written(21, Optional.of(a)));
    assertThat(machine.get("a")).contains(new KeyValue("a", bytes("next"), 3, 21, 5));
  }

  @Test
  void aGroupRestoresInChunksAndAChunkSentTwiceIsAcceptedWithoutChange() {
    KvRestoreChunk first = new KvRestoreChunk(8, List.of(new KeyValue("a", bytes("1"), 1, 2, 2)));
    KvRestoreChunk second = new KvRestoreChunk(8, List.of(new KeyValue("b", bytes("2"), 5, 8, 3)));

    machine.restore(first);
    machine.restore(second);
    KvResult again = machine.restore(second);

    assertThat(again).isEqualTo(new KvResult.Restored(8, 2));
    assertThat(machine.revision()).isEqualTo(8);
  }

  @Test
  void aGroupWithOtherDataRefusesARestoreAndStaysAsItWas() {
    machine.apply(new KvCommand.Put("mine", bytes("x")));

    KvResult result = machine.restore(new KvRestoreChunk(5, List.of(new KeyValue("a", bytes("1"), 1, 5, 1))));

    assertThat(result).isInstanceOfSatisfying(KvResult.Rejected.class,
        r -> assertThat(r.code()).isEqualTo(KvErrorCode.CONFLICT));
    assertThat(machine.revision()).isEqualTo(1);
    assertThat(machine.get("a")).isEmpty();
  }

  @Test
  void aWriteDuringARestoreMakesTheNextChunkFailWithoutChangingAnything() {
    machine.restore(new KvRestoreChunk(8, List.of(new KeyValue("a", bytes("1"), 1, 2, 2))));
    machine.apply(new KvCommand.Put("intruder", bytes("x")));

    KvResult result = machine.restore(new KvRestoreChunk(8, List.of(new KeyValue("b", bytes("2"), 5, 8, 3))));

    assertThat(result).isInstanceOf(KvResult.Rejected.class);
    assertThat(machine.get("b")).isEmpty();
  }

  @Test
  void aChunkWhoseKeyIsAlreadyThereWithOtherContentIsRefusedWhole() {
    machine.restore(new KvRestoreChunk(8, List.of(new KeyValue("b", bytes("2"), 5, 8, 3))));

    KvResult result = machine.restore(new KvRestoreChunk(8, List.of(
        new KeyValue("a", bytes("1"), 1, 2, 2), new KeyValue("b", bytes("other"), 5, 8, 3))));

    assertThat(result).isInstanceOf(KvResult.Rejected.class);
    assertThat(machine.get("a")).isEmpty();
  }

  @Test
  void chunksWithKeysOutOfOrderOrBeyondTheirRevisionCannotBeMade() {
    assertThatThrownBy(() -> new KvRestoreChunk(8, List.of(
        new KeyValue("b", bytes("2"), 1, 1, 1), new KeyValue("a", bytes("1"), 1, 1, 1))))
        .isInstanceOf(KvValidationException.class);
    assertThatThrownBy(() -> new KvRestoreChunk(8, List.of(new KeyValue("a", bytes("1"), 1, 9, 1))))
        .isInstanceOf(KvValidationException.class);
  }

  @Test
  void aChunkAppliedAsALogEntryIsAnsweredWithItsEncodedResult() {
    byte[] entry = KvCodec.encode(new KvRestoreChunk(4, List.of(new KeyValue("a", bytes("1"), 2, 4, 2))));

    assertThat(KvCodec.isRestoreChunk(entry)).isTrue();
    assertThat(KvCodec.decodeResult(machine.apply(7, entry))).isEqualTo(new KvResult.Restored(4, 1));
  }

  @Test
  void anExportRestoredIntoANewMachineGivesTheSameSnapshotBytes() throws IOException {
    for (int i = 0; i < 50; i++) {
      machine.apply(new KvCommand.Put("k" + (i % 17), bytes("v" + i)));
      if (i % 5 == 0) {
        machine.apply(new KvCommand.Delete("k" + (i % 13)));
      }
    }
    KvResult.RangePage first = page("full", 1000, Optional.empty());
    KvStateMachine copy = new KvStateMachine();

    copy.restore(new KvRestoreChunk(first.revision(), first.keyValues()));

    assertThat(snapshotOf(copy)).isEqualTo(snapshotOf(machine));
    assertThat(restoredFrom(snapshotOf(copy)).entries()).isEqualTo(machine.entries());
  }
}
