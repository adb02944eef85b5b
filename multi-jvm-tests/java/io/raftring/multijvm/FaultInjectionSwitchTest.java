package io.raftring.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.RaftRingNode;
import io.raftring.http.FaultInjectionRoutes;
import org.junit.jupiter.api.Test;

/** The test-only partition routes are mounted only when a configuration asks for them twice over. */
class FaultInjectionSwitchTest {

  private static Config node(String extra) {
    return RaftRingNode.resolve(ConfigFactory.parseString(extra));
  }

  @Test
  void aNodeConfiguredFromTheShippedDefaultsServesNoFaultInjection() {
    assertThat(FaultInjectionRoutes.enabledIn(node(""))).isFalse();
  }

  @Test
  void theSwitchAloneIsNotEnoughWithoutArteryTestMode() {
    assertThat(FaultInjectionRoutes.enabledIn(node("raftring.test.fault-injection = on"))).isFalse();
    assertThat(FaultInjectionRoutes.enabledIn(node("akka.remote.artery.advanced.test-mode = on"))).isFalse();
  }

  @Test
  void bothSwitchesOnMountTheRoutes() {
    assertThat(FaultInjectionRoutes.enabledIn(node(
        "raftring.test.fault-injection = on\nakka.remote.artery.advanced.test-mode = on"))).isTrue();
  }
}
