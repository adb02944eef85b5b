package io.raftring.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.RaftRingNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NetworkExposureTest {

  private static Config node(String settings) {
    return RaftRingNode.resolve(ConfigFactory.parseString(settings));
  }

  @Test
  void anUnauthenticatedApiOnAnyAddressButLoopbackIsRefused() {
    assertThat(NetworkExposure.httpRefusal("0.0.0.0", false, false)).hasValueSatisfying(
        why -> assertThat(why).contains("raftring.http.auth.tokens-file").contains("raftring.http.insecure"));
    assertThat(NetworkExposure.httpRefusal("10.0.0.11", false, false)).isPresent();
    assertThat(NetworkExposure.httpRefusal("0.0.0.0", true, false)).isEmpty();
    assertThat(NetworkExposure.httpRefusal("0.0.0.0", false, true)).isEmpty();
    assertThat(NetworkExposure.httpRefusal("127.0.0.1", false, false)).isEmpty();
    assertThat(NetworkExposure.httpRefusal("localhost", false, false)).isEmpty();
    assertThat(NetworkExposure.httpRefusal("::1", false, false)).isEmpty();
  }

  @Test
  void theDefaultsAreALoopbackNodeThatMayStart() {
    assertThat(NetworkExposure.nodeRefusals(node(""))).isEmpty();
  }

  @Test
  void plainArteryOnANetworkAddressIsRefusedUnlessTlsOrInsecure() {
    String exposed = "akka.remote.artery.canonical.hostname = \"10.0.0.11\"\n";
    assertThat(NetworkExposure.nodeRefusals(node(exposed))).singleElement()
        .satisfies(why -> assertThat(why).contains("tls-tcp").contains("insecure-transport"));
    assertThat(NetworkExposure.nodeRefusals(node(exposed + "akka.remote.artery.transport = tls-tcp"))).isEmpty();
    assertThat(NetworkExposure.nodeRefusals(node(exposed + "raftring.cluster.insecure-transport = on"))).isEmpty();
    assertThat(NetworkExposure.nodeRefusals(node("akka.remote.artery.bind.hostname = \"0.0.0.0\""))).hasSize(1);
  }

  @Test
  void theShippedNodeConfIsSecureByDefault() {
    Config shipped = RaftRingNode.resolve(ConfigFactory.parseFile(Path.of("conf/node.conf").toFile()));
    assertThat(NetworkExposure.nodeRefusals(shipped)).isEmpty();
    assertThat(shipped.getBoolean("raftring.http.tls.enabled")).isTrue();
    assertThat(shipped.getString("raftring.http.auth.tokens-file")).isNotBlank();
    assertThat(shipped.getString("akka.remote.artery.transport")).isEqualTo("tls-tcp");
    assertThat(shipped.getString("akka.remote.artery.ssl.ssl-engine-provider"))
        .isEqualTo(ArterySslEngineProvider.class.getName());
    assertThat(TlsSettings.fromConfig(shipped).hasTrust()).isTrue();
  }

  @Test
  void withoutItsSafetiesTheShippedNodeConfWouldBeRefused() {
    Config open = RaftRingNode.resolve(ConfigFactory.parseString(
            "raftring.http.auth.tokens-file = \"\", akka.remote.artery.transport = tcp")
        .withFallback(ConfigFactory.parseFile(Path.of("conf/node.conf").toFile())));
    assertThat(NetworkExposure.nodeRefusals(open)).hasSize(2);
  }
}
