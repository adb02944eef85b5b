package io.raftring.bft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The actors: one typed behaviour per general, driven round by round by a coordinator. Every message between actors
 * is serialized (serialize-messages = on), as it would be between cluster nodes.
 */
class ByzantineAgreementTest {
  private static ActorTestKit testKit;
  private static ByzantineAgreement agreement;
  private static KeyRing keys;
  private static SignatureScheme scheme;

  @BeforeAll
  static void start() {
    testKit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    "akka.actor.serialize-messages = on\n"
                        + "akka.actor.no-serialization-verification-needed-class-prefix = [\"akka.\"]\n")
                .withFallback(ConfigFactory.load()));
    agreement = new ByzantineAgreement(testKit.system(), Duration.ofSeconds(20));
    keys = KeyRing.generate(7);
    scheme = new MemoizingSignatures(Ed25519Signatures.INSTANCE);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static BftRunResult run(BftRunRequest req) throws Exception {
    return agreement.run(req).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static BftRunResult runWithFixedKeys(BftRunRequest req) throws Exception {
    return agreement.run(req, keys, scheme).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void omWithThreeGeneralsAndOneTraitorLetsTheLoyalDisagree() throws Exception {
    BftRunResult r =
        run(BftRunRequest.of(Algorithm.OM, 3, 1, List.of(2), Order.ATTACK, TraitorStrategy.ALWAYS_OPPOSITE)
            .withUnsafe(true));
    assertThat(r.loyalGeneralsAgree()).isFalse();
    assertThat(r.ic2()).isFalse();
  }

  @Test
  void om1WithFourGeneralsAndAnyOneTraitorSatisfiesIc1AndIc2() throws Exception {
    for (int traitor = 0; traitor < 4; traitor++) {
      for (TraitorStrategy s : TraitorStrategy.values()) {
        BftRunRequest req = BftRunRequest.of(Algorithm.OM, 4, 1, List.of(traitor), Order.ATTACK, s);
        BftRunResult r = run(req);
        assertThat(r.ic1() && r.ic2()).as(Scenarios.describe(req)).isTrue();
        assertThat(r.rounds()).isEqualTo(2);
      }
    }
  }

  @Test
  void sm1WithThreeGeneralsAndOneTraitorSatisfiesIc1AndIc2WithKeysTheGeneralsMadeThemselves() throws Exception {
    for (int traitor = 0; traitor < 3; traitor++) {
      for (TraitorStrategy s : TraitorStrategy.values()) {
        BftRunRequest req = BftRunRequest.of(Algorithm.SM, 3, 1, List.of(traitor), Order.ATTACK, s);
        BftRunResult r = run(req);
        assertThat(r.ic1() && r.ic2()).as(Scenarios.describe(req)).isTrue();
      }
    }
  }

  @Test
  void actorsProduceExactlyWhatTheLockstepReferenceProduces() throws Exception {
    for (Algorithm a : Algorithm.values()) {
      for (TraitorStrategy s : TraitorStrategy.values()) {
        BftRunRequest req =
            BftRunRequest.of(a, 7, 2, List.of(2, 5), Order.ATTACK, s).withSeed(99).withTrace(true);
        assertThat(runWithFixedKeys(req)).as(Scenarios.describe(req)).isEqualTo(LockstepSimulation.run(req, keys, scheme));
        BftRunRequest commanderTraitor = BftRunRequest.of(a, 7, 2, List.of(0, 3), Order.RETREAT, s).withTrace(true);
        assertThat(runWithFixedKeys(commanderTraitor))
            .as(Scenarios.describe(commanderTraitor))
            .isEqualTo(LockstepSimulation.run(commanderTraitor, keys, scheme));
      }
    }
  }

  @Test
  void exhaustiveOverActorsForOmAndSmUpToFiveGenerals() throws Exception {
    for (Algorithm a : Algorithm.values()) {
      for (int n = 2; n <= 5; n++) {
        for (int m = 0; m < n; m++) {
          if (a == Algorithm.OM && n < 3 * m + 1) continue;
          for (List<Integer> traitors : Scenarios.traitorSets(n, m)) {
            for (TraitorStrategy s : TraitorStrategy.values()) {
              BftRunRequest req = BftRunRequest.of(a, n, m, traitors, Order.ATTACK, s);
              BftRunResult r = runWithFixedKeys(req);
              assertThat(r.ic1() && r.ic2()).as(Scenarios.describe(req)).isTrue();
            }
          }
        }
      }
    }
  }

  @Test
  void omMessageCountThroughActorsIsTheClosedForm() throws Exception {
    BftRunResult r = run(BftRunRequest.of(Algorithm.OM, 7, 2, List.of(2, 5), Order.ATTACK, TraitorStrategy.TWO_FACED));
    assertThat(r.messages()).isEqualTo(6 + 30 + 120).isEqualTo(r.expectedMessages());
    assertThat(r.rounds()).isEqualTo(3);
  }

  @Test
  void anInvalidRequestFailsWithoutStartingAnything() {
    assertThatThrownBy(
            () -> run(BftRunRequest.of(Algorithm.OM, 3, 1, List.of(), Order.ATTACK, TraitorStrategy.SILENT)))
        .hasCauseInstanceOf(BftRequestException.class)
        .hasMessageContaining("3m+1");
  }

  @Test
  void aRunThatOutlivesItsTimeoutFails() {
    ByzantineAgreement hasty = new ByzantineAgreement(testKit.system(), Duration.ofMillis(1));
    BftRunRequest big = BftRunRequest.of(Algorithm.OM, 12, 3, List.of(), Order.ATTACK, TraitorStrategy.SILENT);
    assertThatThrownBy(() -> hasty.run(big).toCompletableFuture().get(30, TimeUnit.SECONDS))
        .satisfies(e -> assertThat(e.getCause()).isInstanceOf(BftRunFailedException.class))
        .hasMessageContaining("did not finish within 1 ms");
  }
}
