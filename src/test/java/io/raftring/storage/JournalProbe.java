package io.raftring.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.persistence.AtomicWrite;
import akka.persistence.DeleteMessagesFailure;
import akka.persistence.DeleteMessagesSuccess;
import akka.persistence.JournalProtocol;
import akka.persistence.Persistence;
import akka.persistence.PersistentEnvelope;
import akka.persistence.PersistentRepr;
import akka.testkit.javadsl.TestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Talks to a journal plugin through Akka's classic JournalProtocol, the way a persistent actor does, so a test sees
 * exactly what the plugin answers: one reply per event written, replayed events, the highest sequence number.
 */
final class JournalProbe {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String WRITER_UUID = "journal-probe";

  private final ActorRef journal;
  private final TestKit probe;

  JournalProbe(ActorSystem system, String pluginId) {
    this.journal = Persistence.get(system).journalFor(pluginId, ConfigFactory.empty());
    this.probe = new TestKit(system);
  }

  static PersistentRepr event(String persistenceId, long sequenceNr, Object payload) {
    return PersistentRepr.apply(
        payload, sequenceNr, persistenceId, PersistentRepr.Undefined(), false, ActorRef.noSender(), WRITER_UUID);
  }

  /** One AtomicWrite of the persistenceId's events numbered from {@code fromSequenceNr}. */
  static AtomicWrite atomicWrite(String persistenceId, long fromSequenceNr, Object... payloads) {
    List<PersistentRepr> events = new ArrayList<>();
    for (int i = 0; i < payloads.length; i++) {
      events.add(event(persistenceId, fromSequenceNr + i, payloads[i]));
    }
    return new AtomicWrite(CollectionConverters.asScala(events).toList());
  }

  /** Sends one WriteMessages with these AtomicWrites; answers come later, see {@link #expectWriteResults}. */
  void sendWrite(AtomicWrite... writes) {
    List<PersistentEnvelope> envelopes = List.of(writes);
    journal.tell(
        new JournalProtocol.WriteMessages(CollectionConverters.asScala(envelopes).toList(), probe.getRef(), 1),
        probe.getRef());
  }

  /** Writes and returns the per-event replies (WriteMessageSuccess / WriteMessageRejected), in order. */
  List<Object> write(AtomicWrite... writes) {
    sendWrite(writes);
    int events = 0;
    for (AtomicWrite write : writes) {
      events += write.size();
    }
    return expectWriteResults(events);
  }

  List<Object> expectWriteResults(int events) {
    Object batchResult = probe.receiveOne(TIMEOUT);
    assertThat(batchResult).as("answer to WriteMessages").isEqualTo(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    List<Object> results = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      Object result = probe.receiveOne(TIMEOUT);
      assertThat(result).as("answer for event %d", i).isNotNull();
      results.add(result);
    }
    return results;
  }

  void writeSuccessfully(String persistenceId, long fromSequenceNr, Object... payloads) {
    assertThat(write(atomicWrite(persistenceId, fromSequenceNr, payloads)))
        .allSatisfy(result -> assertThat(result).isInstanceOf(JournalProtocol.WriteMessageSuccess.class));
  }

  /** What a recovering persistent actor would get: the events and the highest sequence number. */
  record Replay(List<PersistentRepr> events, long highestSequenceNr) {
    List<Long> sequenceNrs() {
      return events.stream().map(PersistentRepr::sequenceNr).toList();
    }

    List<Object> payloads() {
      return events.stream().map(PersistentRepr::payload).toList();
    }
  }

  Replay replay(String persistenceId, long fromSequenceNr, long toSequenceNr, long max) {
    journal.tell(
        new JournalProtocol.ReplayMessages(fromSequenceNr, toSequenceNr, max, persistenceId, probe.getRef()),
        probe.getRef());
    List<PersistentRepr> events = new ArrayList<>();
    while (true) {
      Object message = probe.receiveOne(TIMEOUT);
      if (message instanceof JournalProtocol.ReplayedMessage replayed) {
        events.add(replayed.persistent());
      } else if (message instanceof JournalProtocol.RecoverySuccess success) {
        return new Replay(events, success.highestSequenceNr());
      } else {
        return fail("unexpected answer to ReplayMessages: %s", message);
      }
    }
  }

  Replay replayAll(String persistenceId) {
    return replay(persistenceId, 1, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  void deleteTo(String persistenceId, long toSequenceNr) {
    journal.tell(new JournalProtocol.DeleteMessagesTo(persistenceId, toSequenceNr, probe.getRef()), probe.getRef());
    Object answer = probe.receiveOne(TIMEOUT);
    if (answer instanceof DeleteMessagesFailure failure) {
      fail("delete failed", failure.cause());
    }
    assertThat(answer).isEqualTo(new DeleteMessagesSuccess(toSequenceNr));
  }
}
