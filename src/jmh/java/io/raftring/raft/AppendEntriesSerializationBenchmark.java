package io.raftring.raft;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import io.raftring.kv.KvCodec;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvCondition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An AppendEntries of N KV puts (256-byte values) through the serializer Akka picks for it between nodes: the
 * project's configuration binds it to {@link ReplicationSerializer} (before that it was jackson-cbor, through
 * {@code CborSerializable}). {@code serialize} is what the leader pays per follower and message, {@code roundTrip}
 * adds what the follower pays to read it (the manifest lookup and the deserialization Artery does on receipt). Run
 * through bench/edge-bench.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AppendEntriesSerializationBenchmark {

  /** Entries in the message: a lone proposal, a moderate batch, a batch under load. */
  @Param({"1", "16", "64"})
  public int entries;

  @Param("256")
  public int valueBytes;

  private ActorSystem<Void> system;
  private Serialization serialization;
  private Serializer serializer;
  private String manifest;
  private PeerMessage.AppendEntries message;
  private byte[] serialized;

  @Setup(Level.Trial)
  public void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "serialization-bench",
        ConfigFactory.parseString("akka.loglevel = WARNING").withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(Adapter.toClassic(system));
    List<LogEntry> log = new ArrayList<>(entries);
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');
    for (int i = 0; i < entries; i++) {
      byte[] command = KvCodec.encode(new KvCommand.Put(String.format("bench-%08d", i), value, KvCondition.always()));
      log.add(LogEntry.command(1_000 + i, 3, command));
    }
    message = new PeerMessage.AppendEntries(3, "n1", 999, 3, log, 998, 42);
    serializer = serialization.findSerializerFor(message);
    manifest = Serializers.manifestFor(serializer, message);
    serialized = serializer.toBinary(message);
    Object back = serialization.deserialize(serialized, serializer.identifier(), manifest).get();
    if (!(back instanceof PeerMessage.AppendEntries copy) || copy.entries().size() != entries
        || !Arrays.equals(copy.entries().get(entries - 1).data(), log.get(entries - 1).data())) {
      throw new IllegalStateException("the round trip changed the message: " + back);
    }
    System.out.printf("%n[serialization-bench] %s, manifest %s: %d entries -> %d bytes%n",
        serializer.getClass().getSimpleName(), manifest, entries, serialized.length);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  @Benchmark
  public byte[] serialize() {
    return serializer.toBinary(message);
  }

  @Benchmark
  public Object deserialize() {
    return serialization.deserialize(serialized, serializer.identifier(), manifest).get();
  }

  @Benchmark
  public Object roundTrip() {
    byte[] bytes = serializer.toBinary(message);
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }
}
