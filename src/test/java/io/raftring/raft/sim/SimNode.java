package io.raftring.raft.sim;

import io.raftring.raft.Configuration;
import io.raftring.raft.DurableLog;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.RaftCore;
import io.raftring.raft.RaftSettings;
import io.raftring.raft.Ready;
import io.raftring.raft.RoleName;
import io.raftring.raft.SnapshotMeta;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One simulated replica: a {@link RaftCore} and what its driver keeps beside it, in memory. Its storage (a journal
 * replayed into a {@link DurableLog}, and snapshot files) survives a crash; everything else does not.
 */
final class SimNode {

  final String id;
  final Configuration bootstrap;
  final RaftSettings settings;

  // Durable: survives crashes.
  final DurableLog storage = new DurableLog();
  final Map<String, byte[]> snapshotFiles = new HashMap<>();

  // Volatile: lost in a crash.
  RaftCore core;
  boolean up;
  /** Counts restarts; events scheduled for an earlier incarnation are void. */
  int incarnation;
  /** The state machine: the command applied at each index, in order (NO-OPs and configurations apply nothing). */
  StateMachine machine;
  final Deque<Ready.Write> writesInFlight = new ArrayDeque<>();
  Receiver receiver;
  /** The (role, term) the timers were last armed for; a change re-arms them. */
  RoleName timersRole;
  long timersTerm = -1;
  /** Bumped to cancel the armed timer. */
  int timerGeneration;
  /** Whether the core is quiet and so no timer is armed (see {@link RaftCore#quiesced()}). */
  boolean quiet;
  /** How many times this node went quiet. */
  int quiescences;

  SimNode(String id, Configuration bootstrap, RaftSettings settings) {
    this.id = id;
    this.bootstrap = bootstrap;
    this.settings = settings;
  }

  /** (Re)starts from storage alone, as the replica actor does after recovery. */
  void start(java.util.function.LongSupplier clock) {
    incarnation++;
    up = true;
    writesInFlight.clear();
    receiver = null;
    timersRole = null;
    timersTerm = -1;
    timerGeneration++;
    quiet = false;
    core = new RaftCore(id, bootstrap, settings, storage.toDurable(), clock, id);
    SnapshotMeta snapshot = storage.snapshot();
    machine = snapshot == null ? new StateMachine() : StateMachine.decode(snapshotFiles.get(snapshot.file()));
  }

  void crash() {
    up = false;
    timerGeneration++;
    core = null;
    machine = null;
    writesInFlight.clear();
    receiver = null;
  }

  /** The state machine of the simulation: which command was applied at which index. */
  static final class StateMachine {
    final List<Long> indexes = new ArrayList<>();
    final List<String> commands = new ArrayList<>();
    long appliedIndex;

    void apply(long index, String command) {
      indexes.add(index);
      commands.add(command);
    }

    byte[] encode() {
      StringBuilder b = new StringBuilder().append(appliedIndex);
      for (int i = 0; i < indexes.size(); i++) {
        b.append('\n').append(indexes.get(i)).append(' ').append(commands.get(i));
      }
      return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static StateMachine decode(byte[] bytes) {
      StateMachine m = new StateMachine();
      String[] lines = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n");
      m.appliedIndex = Long.parseLong(lines[0]);
      for (int i = 1; i < lines.length; i++) {
        int space = lines[i].indexOf(' ');
        m.indexes.add(Long.parseLong(lines[i].substring(0, space)));
        m.commands.add(lines[i].substring(space + 1));
      }
      return m;
    }

    StateMachine copy() {
      return decode(encode());
    }
  }

  /** A follower's InstallSnapshot receiver in memory: chunks in order, checked by length and CRC32 at the end. */
  static final class Receiver {
    final long term;
    final long index;
    final long lastIncludedTerm;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CRC32 crc = new CRC32();

    Receiver(InstallSnapshot first) {
      this.term = first.term();
      this.index = first.lastIncludedIndex();
      this.lastIncludedTerm = first.lastIncludedTerm();
    }

    boolean isFor(InstallSnapshot chunk) {
      return chunk.term() == term && chunk.lastIncludedIndex() == index && chunk.lastIncludedTerm() == lastIncludedTerm;
    }
  }
}
