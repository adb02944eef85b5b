package io.raftring.raft.sim;

import io.raftring.raft.Configuration;
import io.raftring.raft.LogEntry;
import io.raftring.raft.MembershipRules;
import io.raftring.raft.MessageValidator;
import io.raftring.raft.PeerMessage;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.RaftCore;
import io.raftring.raft.RaftSettings;
import io.raftring.raft.Ready;
import io.raftring.raft.RoleName;
import io.raftring.raft.SnapshotMeta;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * A deterministic simulation of one Raft group: N {@link RaftCore}s driven as the replica actor drives them, over a
 * simulated network that drops, delays, duplicates and reorders messages and partitions and heals, with nodes that
 * crash and restart from their storage alone and storage writes that complete late. Clients propose and read;
 * membership changes, leadership transfers and snapshots happen along the way. Everything comes from one seed, so a
 * run is replayed exactly by running the seed again.
 *
 * <p>After every event {@link Invariants} checks the Figure 3 properties and that no acknowledged write is lost; at the
 * end all faults stop, and the group must converge: one leader, every acknowledged write applied everywhere.
 */
final class RaftSimulation {

  /** A run's knobs, drawn from the seed. */
  record Options(
      int nodes, Duration faultPhase, Duration calmPhase, int dropPercent, int faultEveryMs, int electionSpreadMs) {}

  private final long seed;
  private final Random random;
  private final Options options;
  private final RaftSettings settings;
  final Map<String, SimNode> nodes = new LinkedHashMap<>();
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private long now;
  private long eventSeq;
  private boolean faults = true;
  final Invariants invariants;
  private final Network network = new Network();
  /** Proposals appended by a leader and not yet known to have applied there: (node, incarnation, index) -> term. */
  private final Map<ProposalKey, Proposal> pending = new LinkedHashMap<>();
  private int commands;
  /** A log of what happened, for the failure report. */
  private final ArrayList<String> trace = new ArrayList<>();
  private long stepsRun;
  /** The nodes that got an input in the current event. */
  private final Set<SimNode> touched = new java.util.LinkedHashSet<>();

  private record Proposal(String node, int incarnation, long index, long term, String command) {}

  private record ProposalKey(String node, int incarnation, long index) {}

  /** A read a client issued: it must see every write acknowledged before it was issued. */
  private record SimRead(int id, long ackedIndexAtIssue, boolean lease) {}

  private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
    }
  }

  RaftSimulation(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    int n = random.nextBoolean() ? 3 : 5;
    this.options = new Options(n, Duration.ofMillis(3_000 + random.nextInt(4_000)), Duration.ofMillis(3_000),
        random.nextInt(random.nextBoolean() ? 8 : 25), 150 + random.nextInt(600),
        // A narrow spread of election timeouts makes split votes (two candidates in one term) common.
        random.nextBoolean() ? 150 : 5 + random.nextInt(20));
    this.settings = new RaftSettings(Duration.ofMillis(150), Duration.ofMillis(300), Duration.ofMillis(50),
        1 + random.nextInt(64), 1024, 1 + random.nextInt(4), 10_000, Duration.ofMillis(100), 10_000)
        .withSnapshotThresholds(5 + random.nextInt(40), 1 << 20)
        .withSnapshotChunks(8 + random.nextInt(64), 1 + random.nextInt(3));
    // One node more than the group starts with: a newcomer the schedule may add (as a learner, then a voter).
    Set<String> bootstrapVoters = new TreeSet<>();
    for (int i = 1; i <= n; i++) {
      bootstrapVoters.add("n" + i);
    }
    for (int i = 1; i <= n + 1; i++) {
      String id = "n" + i;
      Configuration bootstrap = bootstrapVoters.contains(id) ? Configuration.ofVoters(bootstrapVoters)
          : Configuration.EMPTY;
      nodes.put(id, new SimNode(id, bootstrap, settings));
    }
    this.invariants = new Invariants(nodes);
  }

  long seed() {
    return seed;
  }

  Options options() {
    return options;
  }

  long steps() {
    return stepsRun;
  }

  /** How many times a node went quiet in this run. */
  long quiescences() {
    return nodes.values().stream().mapToLong(n -> n.quiescences).sum();
  }

  /** Whether the leader and every member of its configuration ended the run quiet. */
  boolean groupEndedQuiet() {
    SimNode leader = leader();
    return leader != null && nodes.values().stream()
        .filter(n -> leader.core.currentConfiguration().isMember(n.id))
        .allMatch(n -> n.up && n.core.quiesced());
  }

  /** Where each node stood at the end, and the last events: what a seed that did not end quiet prints. */
  String endReport() {
    StringBuilder report = new StringBuilder("seed " + seed + " (" + options + ") at t=" + now + "ms:");
    for (SimNode n : nodes.values()) {
      report.append("\n  ").append(n.id).append(n.up ? "" : " (down)").append(' ').append(n.core.roleName())
          .append(" term ").append(n.core.term()).append(", log ").append(n.core.log().firstIndex()).append("..")
          .append(n.core.log().lastIndex()).append(", commit ").append(n.core.commitIndex())
          .append(n.core.quiesced() ? ", quiet" : "");
    }
    return report.append("\nlast events:\n  ").append(lastEvents()).toString();
  }

  /** The last 40 events of the trace, one per line. */
  private String lastEvents() {
    return String.join("\n  ", trace.subList(Math.max(0, trace.size() - 40), trace.size()));
  }

  /** Runs the schedule; throws {@link AssertionError} naming the seed at the first violated property. */
  void run() {
    try {
      runUnchecked();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + " failed at t=" + now + "ms after " + stepsRun + " events ("
          + options + "): " + e.getMessage() + "\nreplay: mvn -o test -Dtest=RaftSimulationTest#replay"
          + " -Draftsim.seed=" + seed + "\nlast events:\n  " + lastEvents(), e);
    }
  }

  private void runUnchecked() {
    for (SimNode node : nodes.values()) {
      node.start(() -> now * 1_000_000L);
      afterInput(node);
    }
    scheduleFaultsAndClients();
    long faultEnd = options.faultPhase().toMillis();
    long end = faultEnd + options.calmPhase().toMillis();
    at(faultEnd, this::calmDown);
    while (!events.isEmpty()) {
      Event e = events.poll();
      if (e.time() > end) {
        break;
      }
      now = e.time();
      touched.clear();
      e.action().run();
      stepsRun++;
      invariants.check(now, touched);
    }
    invariants.checkConverged(pending.values().stream().map(Proposal::command).toList());
  }

  // ---- scheduling --------------------------------------------------------------------------------------------------

  private void at(long time, Runnable action) {
    events.add(new Event(time, eventSeq++, action));
  }

  private void after(long delayMs, Runnable action) {
    at(now + Math.max(0, delayMs), action);
  }

  /** An action for {@code node} that happens only if it is still the same incarnation by then. */
  private void afterFor(SimNode node, long delayMs, Runnable action) {
    int incarnation = node.incarnation;
    after(delayMs, () -> {
      if (node.up && node.incarnation == incarnation) {
        action.run();
      }
    });
  }

  private void scheduleFaultsAndClients() {
    long faultEnd = options.faultPhase().toMillis();
    for (long t = 20; t < faultEnd; t += 5 + random.nextInt(30)) {
      at(t, this::clientWrite);
    }
    for (long t = 50; t < faultEnd; t += 20 + random.nextInt(60)) {
      at(t, this::clientRead);
    }
    for (long t = 300; t < faultEnd; t += options.faultEveryMs() / 2 + random.nextInt(options.faultEveryMs())) {
      at(t, this::fault);
    }
    for (long t = 500; t < faultEnd; t += 200 + random.nextInt(700)) {
      at(t, this::operatorAction);
    }
  }

  /** The end of the fault phase: heal the network, restart every node, stop dropping; the group must converge. */
  private void calmDown() {
    faults = false;
    network.healAll();
    trace("calm: faults stop, everything heals");
    for (SimNode node : nodes.values()) {
      if (!node.up) {
        restart(node);
      }
    }
  }

  private void trace(String what) {
    if (Boolean.getBoolean("raftsim.verbose")) {
      System.out.println(now + "ms " + what);
    }
    trace.add(now + "ms " + what);
    if (trace.size() > 400) {
      trace.subList(0, 200).clear();
    }
  }

  // ---- faults ------------------------------------------------------------------------------------------------------

  private void fault() {
    List<SimNode> all = new ArrayList<>(nodes.values());
    SimNode node = all.get(random.nextInt(all.size()));
    switch (random.nextInt(8)) {
      case 0 -> {
        // Preferably a node whose write is in flight: what it answered must not depend on that write.
        for (SimNode n : all) {
          if (n.up && !n.writesInFlight.isEmpty() && random.nextBoolean()) {
            node = n;
          }
        }
        if (node.up) {
          trace("crash " + node.id + " (" + node.writesInFlight.size() + " writes in flight lost)");
          node.crash();
          SimNode crashed = node;
          suspectEverywhere(crashed.id);
          after(50 + random.nextInt(800), () -> restart(crashed));
        }
      }
      case 1 -> {
        Set<String> side = new TreeSet<>();
        for (String id : nodes.keySet()) {
          if (random.nextBoolean()) {
            side.add(id);
          }
        }
        trace("partition " + side + " from the rest");
        network.partition(side, nodes.keySet());
        suspectAcross(side);
        after(100 + random.nextInt(1500), () -> {
          trace("heal partition " + side);
          network.healAll();
        });
      }
      case 2 -> {
        String from = all.get(random.nextInt(all.size())).id;
        String to = all.get(random.nextInt(all.size())).id;
        trace("cut link " + from + " -> " + to);
        network.cut(from, to);
        suspectLater(from, to);
        after(100 + random.nextInt(1000), () -> network.restore(from, to));
      }
      case 3 -> {
        // A slow disk: this node's next writes take long.
        String slow = node.id;
        trace("slow disk on " + slow);
        network.slowDisk.add(slow);
        after(200 + random.nextInt(800), () -> network.slowDisk.remove(slow));
      }
      case 4, 5, 6 -> {
        // A leader crash, the case failover is about.
        SimNode leader = leader();
        if (leader != null) {
          trace("crash leader " + leader.id);
          leader.crash();
          suspectEverywhere(leader.id);
          after(20 + random.nextInt(600), () -> restart(leader));
        }
      }
      default -> {
        // The leader cut off, alone or with one other node, while the rest elect another.
        SimNode leader = leader();
        if (leader != null) {
          Set<String> side = new TreeSet<>(Set.of(leader.id));
          if (random.nextBoolean()) {
            side.add(all.get(random.nextInt(all.size())).id);
          }
          trace("isolate leader side " + side);
          network.partition(side, nodes.keySet());
          suspectAcross(side);
          after(50 + random.nextInt(800), () -> {
            trace("heal isolation of " + side);
            network.healAll();
          });
        }
      }
    }
  }

  // ---- the failure detector: how quiet replicas learn that a peer may be gone ---------------------------------------

  /** Every other node's failure detector notices {@code crashed} a little later (a restart is a new member). */
  private void suspectEverywhere(String crashed) {
    after(100 + random.nextInt(400), () -> {
      for (SimNode n : nodes.values()) {
        if (n.up && !n.id.equals(crashed)) {
          trace(n.id + " finds " + crashed + " unreachable");
          n.core.peerUnreachable(crashed);
          afterInput(n);
        }
      }
    });
  }

  private void suspectAcross(Set<String> side) {
    for (String a : nodes.keySet()) {
      for (String b : nodes.keySet()) {
        if (side.contains(a) != side.contains(b)) {
          suspectLater(a, b);
        }
      }
    }
  }

  /** {@code to} finds {@code from} unreachable a little later if it still hears nothing from it then. */
  private void suspectLater(String from, String to) {
    after(100 + random.nextInt(400), () -> {
      SimNode n = nodes.get(to);
      if (n.up && network.isCut(from, to)) {
        trace(to + " finds " + from + " unreachable");
        n.core.peerUnreachable(from);
        afterInput(n);
      }
    });
  }

  private void restart(SimNode node) {
    if (node.up) {
      return;
    }
    node.start(() -> now * 1_000_000L);
    trace("restart " + node.id + " at term " + node.core.term() + " with log to " + node.core.log().lastIndex());
    invariants.restarted(node);
    afterInput(node);
  }

  /** The node that leads with the highest term, or null. */
  private SimNode leader() {
    SimNode best = null;
    for (SimNode n : nodes.values()) {
      if (n.up && n.core.roleName() == RoleName.LEADER && (best == null || n.core.term() > best.core.term())) {
        best = n;
      }
    }
    return best;
  }

  // ---- clients and operators ---------------------------------------------------------------------------------------

  private void clientWrite() {
    SimNode target = random.nextInt(4) == 0 ? randomUpNode() : leader();
    if (target == null) {
      return;
    }
    String command = "c" + (++commands);
    long index = target.core.propose(List.of(command.getBytes(StandardCharsets.UTF_8)));
    if (index != RaftCore.NOT_APPENDED) {
      pending.put(new ProposalKey(target.id, target.incarnation, index),
          new Proposal(target.id, target.incarnation, index, target.core.term(), command));
      trace(target.id + " appends " + command + " at " + index + " in term " + target.core.term());
    }
    afterInput(target);
  }

  private void clientRead() {
    SimNode target = random.nextInt(4) == 0 ? randomUpNode() : leader();
    if (target == null) {
      return;
    }
    boolean lease = random.nextBoolean();
    target.core.readIndex(new SimRead((int) ++eventSeq, invariants.maxAckedIndex(), lease), lease);
    afterInput(target);
  }

  private void operatorAction() {
    SimNode leader = leader();
    if (leader == null) {
      return;
    }
    Configuration c = leader.core.currentConfiguration();
    List<String> voters = new ArrayList<>(new TreeSet<>(c.voters()));
    int op = random.nextInt(4);
    RaftCore.ChangeResult result;
    String what;
    if (op == 0) {
      String target = voters.get(random.nextInt(voters.size()));
      what = "transfer to " + target;
      result = leader.core.transferLeadership(target);
    } else if (!c.learners().isEmpty()) {
      String learner = new TreeSet<>(c.learners()).first();
      boolean promote = random.nextInt(3) > 0;
      what = (promote ? "promote " : "remove learner ") + learner;
      result = leader.core.proposeChange(
          promote ? MembershipRules.Change.PROMOTE_LEARNER : MembershipRules.Change.REMOVE_SERVER, learner);
    } else {
      List<String> outside = new ArrayList<>();
      for (String id : nodes.keySet()) {
        if (!c.isMember(id)) {
          outside.add(id);
        }
      }
      if (!outside.isEmpty() && (voters.size() <= options.nodes() - 1 || random.nextBoolean())) {
        String newcomer = outside.get(random.nextInt(outside.size()));
        what = "add learner " + newcomer;
        result = leader.core.proposeChange(MembershipRules.Change.ADD_LEARNER, newcomer);
      } else if (voters.size() > options.nodes() - 1) {
        String removed = voters.get(random.nextInt(voters.size()));
        what = "remove voter " + removed;
        result = leader.core.proposeChange(MembershipRules.Change.REMOVE_SERVER, removed);
      } else {
        return;
      }
    }
    trace(leader.id + " (leader t" + leader.core.term() + ") asked to " + what + ": " + result);
    afterInput(leader);
  }

  private SimNode randomUpNode() {
    List<SimNode> up = nodes.values().stream().filter(n -> n.up).toList();
    return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
  }

  // ---- the driver: carrying out Readys, as the replica actor does --------------------------------------------------

  /** After any input to {@code node}'s core: carry out its Readys until there is nothing left, then mind the timers. */
  private void afterInput(SimNode node) {
    if (!node.up) {
      return;
    }
    touched.add(node);
    for (int rounds = 0; ; rounds++) {
      if (rounds > 1000) {
        throw new AssertionError(node.id + " kept producing Readys");
      }
      Ready ready = node.core.ready();
      if (ready.isEmpty()) {
        break;
      }
      carryOut(node, ready);
    }
    armTimers(node);
  }

  private void carryOut(SimNode node, Ready ready) {
    for (Ready.Envelope e : ready.messages()) {
      network.send(node.id, e.to(), e.message());
    }
    if (ready.write() != null) {
      Ready.Write write = ready.write();
      node.writesInFlight.addLast(write);
      long delay = network.slowDisk.contains(node.id) ? 50 + random.nextInt(300) : 1 + random.nextInt(8);
      afterFor(node, delay, () -> {
        Ready.Write done = node.writesInFlight.removeFirst();
        done.events().forEach(node.storage::apply);
        node.core.persisted(done);
        afterInput(node);
      });
    }
    if (ready.snapshotDue() != null) {
      // As the driver does: the state at the snapshot's index, before this Ready's committed entries.
      Ready.SnapshotDue due = ready.snapshotDue();
      SimNode.StateMachine image = node.machine.copy();
      if (image.appliedIndex != due.index()) {
        throw new AssertionError(node.id + " asked for a snapshot at " + due.index() + " of a state machine at "
            + image.appliedIndex);
      }
      afterFor(node, 1 + random.nextInt(30), () -> {
        byte[] bytes = image.encode();
        CRC32 crc = new CRC32();
        crc.update(bytes);
        String file = SnapshotMeta.fileName(due.index(), due.term());
        node.snapshotFiles.put(file, bytes);
        node.core.snapshotWritten(new SnapshotMeta(due.index(), due.term(),
            List.copyOf(new TreeSet<>(due.configuration().voters())), file, bytes.length, crc.getValue(),
            List.copyOf(new TreeSet<>(due.configuration().learners()))));
        afterInput(node);
      });
    }
    if (ready.snapshotToRestore() != null) {
      SnapshotMeta meta = ready.snapshotToRestore();
      node.machine = SimNode.StateMachine.decode(node.snapshotFiles.get(meta.file()));
      invariants.restoredSnapshot(node, meta);
    }
    for (LogEntry e : ready.committedEntries()) {
      apply(node, e);
    }
    for (Ready.ReadState r : ready.readStates()) {
      SimRead read = (SimRead) r.request();
      invariants.readServed(node, read.ackedIndexAtIssue(), r.readIndex(), read.lease());
    }
    for (InstallSnapshot chunk : ready.chunksToStore()) {
      receive(node, chunk);
    }
    for (Ready.ChunkToSend c : ready.chunksToSend()) {
      byte[] file = node.snapshotFiles.get(c.snapshot().file());
      if (file == null) {
        node.core.snapshotSendFailed(c.to());
        continue;
      }
      byte[] data = Arrays.copyOfRange(file, (int) c.offset(), (int) c.offset() + c.length());
      network.send(node.id, c.to(), new InstallSnapshot(c.term(), node.id, c.snapshot().lastIncludedIndex(),
          c.snapshot().lastIncludedTerm(), Set.copyOf(c.snapshot().voters()), c.snapshot().sizeBytes(),
          c.snapshot().crc32(), c.offset(), data, c.done(), Set.copyOf(c.snapshot().learners())));
    }
    if (ready.resetElectionTimer()) {
      node.timersRole = null;
    }
    node.core.advance(ready);
  }

  private void apply(SimNode node, LogEntry e) {
    node.machine.appliedIndex = e.index();
    String command = e.kind() == LogEntry.Kind.COMMAND ? new String(e.data(), StandardCharsets.UTF_8) : null;
    if (command != null) {
      node.machine.apply(e.index(), command);
    }
    invariants.applied(node, e);
    Proposal p = pending.remove(new ProposalKey(node.id, node.incarnation, e.index()));
    if (p != null && p.term() == e.term() && p.command().equals(command)) {
      trace(node.id + " acknowledges " + command + " at " + e.index());
      invariants.acknowledged(e.index(), command);
    }
  }

  /** The follower's snapshot receiver, as the driver's SnapshotReceiver does it on disk. */
  private void receive(SimNode node, InstallSnapshot chunk) {
    if (node.receiver != null && !node.receiver.isFor(chunk)) {
      node.receiver = null;
    }
    if (node.receiver == null) {
      if (chunk.offset() != 0) {
        node.core.snapshotChunkStored(chunk, 0);
        return;
      }
      node.receiver = new SimNode.Receiver(chunk);
    }
    SimNode.Receiver r = node.receiver;
    if (chunk.offset() != r.bytes.size()) {
      node.core.snapshotChunkStored(chunk, r.bytes.size());
      return;
    }
    r.bytes.writeBytes(chunk.data());
    r.crc.update(chunk.data());
    if (!chunk.done()) {
      node.core.snapshotChunkStored(chunk, r.bytes.size());
      return;
    }
    node.receiver = null;
    if (r.bytes.size() != chunk.totalBytes() || r.crc.getValue() != chunk.crc32()) {
      node.core.snapshotChunkRejected(chunk);
      return;
    }
    if (node.core.snapshotReceived(chunk)) {
      node.snapshotFiles.put(SnapshotMeta.fileName(chunk.lastIncludedIndex(), chunk.lastIncludedTerm()),
          r.bytes.toByteArray());
    }
  }

  /** The timers of the role the node is in: a randomized election timeout, or the leader's heartbeat. */
  private void armTimers(SimNode node) {
    if (node.core.quiesced()) {
      if (!node.quiet) {
        node.quiet = true;
        node.quiescences++;
        node.timerGeneration++;
        trace(node.id + " goes quiet at " + node.core.log().lastIndex());
      }
      return;
    }
    if (node.quiet) {
      node.quiet = false;
      node.timersRole = null;
      trace(node.id + " wakes");
    }
    RoleName role = node.core.roleName();
    if (role == node.timersRole && node.core.term() == node.timersTerm) {
      return;
    }
    node.timersRole = role;
    node.timersTerm = node.core.term();
    int generation = ++node.timerGeneration;
    if (role == RoleName.LEADER) {
      scheduleTick(node, generation, settings.heartbeatInterval().toMillis(), true);
    } else {
      long min = settings.electionTimeoutMin().toMillis();
      scheduleTick(node, generation, min + random.nextInt(options.electionSpreadMs()), false);
    }
  }

  private void scheduleTick(SimNode node, int generation, long delay, boolean leader) {
    afterFor(node, delay, () -> {
      if (node.timerGeneration != generation) {
        return;
      }
      node.core.tick();
      if (leader || node.core.roleName() != RoleName.LEADER) {
        // The timer fires again: at the heartbeat interval, or after a fresh random election timeout.
        node.timersRole = null;
      }
      afterInput(node);
    });
  }

  // ---- the network -------------------------------------------------------------------------------------------------

  /** Drops, delays (so reorders) and duplicates messages; cuts links and partitions. */
  private final class Network {
    private final Set<String> cutLinks = new HashSet<>();
    final Set<String> slowDisk = new HashSet<>();

    void send(String from, String to, PeerMessage m) {
      String malformed = MessageValidator.problem(m, settings);
      if (malformed != null) {
        // A correct core never sends what a receiving core drops unread (it would look like a lost message).
        throw new AssertionError(from + " sent " + to + " a malformed " + m + ": " + malformed);
      }
      if (cutLinks.contains(from + ">" + to)) {
        return;
      }
      if (faults && random.nextInt(100) < options.dropPercent()) {
        return;
      }
      int copies = faults && random.nextInt(100) < 2 ? 2 : 1;
      for (int i = 0; i < copies; i++) {
        long delay = faults && random.nextInt(100) < 3 ? 50 + random.nextInt(400) : 1 + random.nextInt(5);
        after(delay, () -> deliver(from, to, m));
      }
    }

    private void deliver(String from, String to, PeerMessage m) {
      SimNode node = nodes.get(to);
      if (node == null || !node.up || cutLinks.contains(from + ">" + to)) {
        return;
      }
      node.core.step(m);
      afterInput(node);
    }

    void partition(Set<String> side, Set<String> all) {
      for (String a : all) {
        for (String b : all) {
          if (side.contains(a) != side.contains(b)) {
            cutLinks.add(a + ">" + b);
          }
        }
      }
    }

    void cut(String from, String to) {
      cutLinks.add(from + ">" + to);
    }

    boolean isCut(String from, String to) {
      return cutLinks.contains(from + ">" + to);
    }

    void restore(String from, String to) {
      cutLinks.remove(from + ">" + to);
    }

    void healAll() {
      cutLinks.clear();
      slowDisk.clear();
    }
  }
}
