package io.raftring.raft;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A state machine that records what it applied, in order, and answers "applied:<command>@<index>". */
public final class RecordingStateMachine implements StateMachine {

  public final List<String> applied = new CopyOnWriteArrayList<>();
  /** Runs on the replica's thread before each command is applied: a test may hold the replica there. */
  public volatile Consumer<String> beforeApply = c -> {};

  @Override
  public byte[] apply(long index, byte[] command) {
    String c = new String(command, StandardCharsets.UTF_8);
    beforeApply.accept(c);
    applied.add(c);
    return ("applied:" + c + "@" + index).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] query(byte[] query) {
    return String.join(",", applied).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void writeSnapshot(OutputStream out) throws IOException {
    write(applied, out);
  }

  /** A copy of the list: cheap enough here, and it lets the replica write the snapshot off its thread. */
  @Override
  public SnapshotView snapshotView() {
    List<String> copy = List.copyOf(applied);
    return out -> write(copy, out);
  }

  private static void write(List<String> commands, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(commands.size());
    for (String s : commands) {
      data.writeUTF(s);
    }
    data.flush();
  }

  /** The snapshot bytes of a machine that applied {@code commands}. */
  public static byte[] snapshotOf(List<String> commands) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    write(commands, out);
    return out.toByteArray();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int n = data.readInt();
    List<String> read = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      read.add(data.readUTF());
    }
    applied.clear();
    applied.addAll(read);
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
