package io.raftring.kv;

import static io.raftring.kv.KvTestData.restoredFrom;
import static io.raftring.kv.KvTestData.snapshotOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Replicas fed the same log answer the same and end in the same state, whether they replayed or restored. */
class KvDeterminismTest {

  /** A log of random writes over a small key space, so conditions both hold and fail. */
  private static List<byte[]> randomLog(long seed, int length) {
    Random random = new Random(seed);
    List<byte[]> log = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      String key = "k" + random.nextInt(20);
      byte[] value = new byte[random.nextInt(8)];
      random.nextBytes(value);
      byte[] guess = new byte[] {(byte) random.nextInt(2)};
      KvCommand command = switch (random.nextInt(7)) {
        case 0, 1 -> new KvCommand.Put(key, value);
        case 2 -> KvCommand.putIfModRevision(key, value, random.nextInt(i + 1));
        case 3 -> KvCommand.putIfAbsent(key, value);
        case 4 -> KvCommand.putIfValue(key, value, guess);
        case 5 -> new KvCommand.Delete(key);
        default -> random.nextBoolean()
            ? KvCommand.deleteIfModRevision(key, random.nextInt(i + 1))
            : KvCommand.deleteIfValue(key, guess);
      };
      log.add(KvCodec.encode(command));
    }
    return log;
  }

  @Test
  void twoMachinesFedTheSameCommandsGiveTheSameResultsAndEndEqual() {
    List<byte[]> log = randomLog(7, 5_000);
    KvStateMachine first = new KvStateMachine();
    KvStateMachine second = new KvStateMachine();

    for (int i = 0; i < log.size(); i++) {
      assertThat(second.apply(i + 1, log.get(i))).as("result at index %d", i + 1)
          .isEqualTo(first.apply(i + 1, log.get(i)));
    }

    assertThat(first.revision()).isPositive();
    assertThat(second.entries()).isEqualTo(first.entries());
    assertThat(snapshotOf(second)).isEqualTo(snapshotOf(first));
  }

  @Test
  void aMachineRestoredMidwayAndFedTheRestEndsEqualToOneThatReplayedEverything() throws IOException {
    List<byte[]> log = randomLog(11, 3_000);
    KvStateMachine replayed = new KvStateMachine();
    byte[] midway = null;
    for (int i = 0; i < log.size(); i++) {
      replayed.apply(i + 1, log.get(i));
      if (i + 1 == 1_234) {
        midway = snapshotOf(replayed);
      }
    }

    KvStateMachine restored = restoredFrom(midway);
    for (int i = 1_234; i < log.size(); i++) {
      restored.apply(i + 1, log.get(i));
    }

    assertThat(snapshotOf(restored)).isEqualTo(snapshotOf(replayed));
  }

  @Test
  void aCommandEncodesToTheSameBytesEveryTime() {
    assertThat(randomLog(3, 200)).usingElementComparator(java.util.Arrays::compare).isEqualTo(randomLog(3, 200));
  }
}
