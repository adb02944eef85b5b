package io.raftring.kv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the KV tests. */
final class KvTestData {

  private KvTestData() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] snapshotOf(KvStateMachine machine) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      machine.writeSnapshot(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static KvStateMachine restoredFrom(byte[] snapshot) throws IOException {
    KvStateMachine machine = new KvStateMachine();
    machine.restore(new ByteArrayInputStream(snapshot));
    return machine;
  }
}
