package io.raftring.kv;

import static io.raftring.kv.KvTestData.bytes;
import static io.raftring.kv.KvTestData.restoredFrom;
import static io.raftring.kv.KvTestData.snapshotOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Snapshots carry the whole state, revisions included, and a damaged snapshot is refused without harm. */
class KvSnapshotTest {

  private static KvStateMachine machineWithHistory() {
    KvStateMachine machine = new KvStateMachine();
    machine.apply(new KvCommand.Put("a", bytes("1")));
    machine.apply(new KvCommand.Put("b", bytes("2")));
    machine.apply(new KvCommand.Put("a", bytes("3")));
    machine.apply(new KvCommand.Put("gone", bytes("x")));
    machine.apply(new KvCommand.Delete("gone"));
    machine.apply(new KvCommand.Put("ключ/\uD83D\uDE00", new byte[] {0, -1, 127}));
    machine.apply(new KvCommand.Put("empty", new byte[0]));
    return machine;
  }

  @Test
  void restoreRebuildsEveryKeyWithItsRevisionsAndTheStoreRevision() throws IOException {
    KvStateMachine original = machineWithHistory();

    KvStateMachine restored = restoredFrom(snapshotOf(original));

    assertThat(restored.entries()).isEqualTo(original.entries());
    assertThat(restored.revision()).isEqualTo(7);
    assertThat(restored.get("a")).contains(new KeyValue("a", bytes("3"), 1, 3, 2));
    assertThat(snapshotOf(restored)).isEqualTo(snapshotOf(original));
  }

  @Test
  void aRestoredMachineContinuesExactlyAsTheOriginal() throws IOException {
    KvStateMachine original = machineWithHistory();
    KvStateMachine restored = restoredFrom(snapshotOf(original));

    KvCommand next = KvCommand.putIfModRevision("a", bytes("4"), 3);
    assertThat(restored.apply(next)).isEqualTo(original.apply(next));
    assertThat(restored.apply(new KvCommand.Put("gone", bytes("again"))))
        .isEqualTo(original.apply(new KvCommand.Put("gone", bytes("again"))));
    assertThat(snapshotOf(restored)).isEqualTo(snapshotOf(original));
  }

  @Test
  void aSnapshotViewIsThePointInTimeStateEvenWhenWritesFollowBeforeItIsWritten() throws IOException {
    KvStateMachine machine = machineWithHistory();
    byte[] expected = snapshotOf(machine);
    io.raftring.raft.StateMachine.SnapshotView view = machine.snapshotView();
    machine.apply(new KvCommand.Put("a", bytes("later")));
    machine.apply(new KvCommand.Delete("b"));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    view.writeTo(out);
    assertThat(out.toByteArray()).isEqualTo(expected);
    assertThat(restoredFrom(out.toByteArray()).revision()).isEqualTo(7);
  }

  @Test
  void anEmptyMachineRoundTrips() throws IOException {
    KvStateMachine restored = restoredFrom(snapshotOf(new KvStateMachine()));

    assertThat(restored.size()).isZero();
    assertThat(restored.revision()).isZero();
  }

  @Test
  void restoreReplacesWhatWasThereBefore() throws IOException {
    KvStateMachine machine = new KvStateMachine();
    machine.apply(new KvCommand.Put("stale", bytes("x")));

    machine.restore(new ByteArrayInputStream(snapshotOf(machineWithHistory())));

    assertThat(machine.get("stale")).isEmpty();
    assertThat(machine.entries()).isEqualTo(machineWithHistory().entries());
  }

  @Test
  void aTruncatedSnapshotIsRejectedAtEveryCutAndTheStateIsUnchanged() {
    byte[] snapshot = snapshotOf(machineWithHistory());
    KvStateMachine target = new KvStateMachine();
    target.apply(new KvCommand.Put("keep", bytes("me")));
    byte[] before = snapshotOf(target);

    for (int cut = 0; cut < snapshot.length; cut++) {
      byte[] truncated = Arrays.copyOf(snapshot, cut);
      assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(truncated)))
          .as("cut at %d of %d", cut, snapshot.length)
          .isInstanceOf(KvSnapshotException.class);
    }
    assertThat(snapshotOf(target)).isEqualTo(before);
  }

  @Test
  void aSnapshotWithAnyFlippedByteIsRejectedAndTheStateIsUnchanged() {
    byte[] snapshot = snapshotOf(machineWithHistory());
    KvStateMachine target = new KvStateMachine();
    target.apply(new KvCommand.Put("keep", bytes("me")));
    byte[] before = snapshotOf(target);

    for (int at = 0; at < snapshot.length; at++) {
      byte[] corrupt = snapshot.clone();
      corrupt[at] ^= 0x5A;
      assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(corrupt)))
          .as("byte %d of %d flipped", at, snapshot.length)
          .isInstanceOf(KvSnapshotException.class);
    }
    assertThat(snapshotOf(target)).isEqualTo(before);
  }

  @Test
  void aChecksumMismatchSaysSo() {
    byte[] snapshot = snapshotOf(machineWithHistory());
    int valueOfB = indexOf(snapshot, bytes("2"), indexOf(snapshot, bytes("b"), 0));
    snapshot[valueOfB] = '9';

    assertThatThrownBy(() -> restoredFrom(snapshot))
        .isInstanceOf(KvSnapshotException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void anUnknownFormatIsRejectedWithItsNumber() {
    byte[] snapshot = snapshotOf(machineWithHistory());
    snapshot[0] = 9;

    assertThatThrownBy(() -> restoredFrom(snapshot))
        .isInstanceOf(KvSnapshotException.class)
        .hasMessageContaining("unsupported snapshot format 9");
  }

  @Test
  void aHugeLengthInAShortStreamFailsAsTruncatedWithoutAllocatingIt() {
    ByteBuffer forged = ByteBuffer.allocate(1 + 8 + 1 + 4);
    forged.put((byte) KvSnapshot.FORMAT_V1).putLong(1).put((byte) 1).putInt(Integer.MAX_VALUE - 16);

    assertThatThrownBy(() -> restoredFrom(forged.array()))
        .isInstanceOf(KvSnapshotException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void restoreReadsNoFurtherThanTheSnapshotsLastByte() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    machineWithHistory().writeSnapshot(out);
    out.write(bytes("TRAILER"));
    InputStream in = new ByteArrayInputStream(out.toByteArray());

    new KvStateMachine().restore(in);

    assertThat(in.readAllBytes()).isEqualTo(bytes("TRAILER"));
  }

  @Test
  void anIoErrorWhileRestoringPropagatesAndLeavesTheStateUnchanged() {
    byte[] snapshot = snapshotOf(machineWithHistory());
    KvStateMachine target = new KvStateMachine();
    target.apply(new KvCommand.Put("keep", bytes("me")));
    InputStream failing = new InputStream() {
      private int served;

      @Override
      public int read() throws IOException {
        if (served == snapshot.length / 2) {
          throw new IOException("disk on fire");
        }
        return snapshot[served++] & 0xFF;
      }
    };

    assertThatThrownBy(() -> target.restore(failing)).isInstanceOf(IOException.class).hasMessage("disk on fire");
    assertThat(target.get("keep")).isPresent();
    assertThat(target.revision()).isEqualTo(1);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    for (int i = from; i <= haystack.length - needle.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
