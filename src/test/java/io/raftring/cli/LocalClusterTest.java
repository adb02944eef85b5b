package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.RaftRingNode;
import io.raftring.RaftRingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `raftring local` gives each node: names, ports, seeds, data directories, and the files that carry them. */
class LocalClusterTest {

  @TempDir Path tmp;

  @Test
  void threeNodesGetConsecutivePortsTheirOwnDataAndEveryoneAsSeed() {
    LocalCluster cluster = LocalCluster.plan(3, "127.0.0.1", 2551, 8080, tmp.resolve("data"), null);

    assertThat(cluster.names()).containsExactly("n1", "n2", "n3");
    assertThat(cluster.nodes()).extracting(LocalCluster.Node::arteryPort).containsExactly(2551, 2552, 2553);
    assertThat(cluster.nodes()).extracting(LocalCluster.Node::httpPort).containsExactly(8080, 8081, 8082);
    assertThat(cluster.nodes()).extracting(LocalCluster.Node::dataDir)
        .containsExactly(tmp.resolve("data/n1"), tmp.resolve("data/n2"), tmp.resolve("data/n3"));

    Config n2 = cluster.configOf(cluster.nodes().get(1));
    assertThat(n2.getString("raftring.node.name")).isEqualTo("n2");
    assertThat(n2.getStringList("raftring.cluster.nodes")).containsExactly("n1", "n2", "n3");
    assertThat(n2.getString("raftring.storage.dir")).isEqualTo(tmp.resolve("data/n2").toString());
    assertThat(n2.getString("raftring.http.host")).isEqualTo("127.0.0.1");
    assertThat(n2.getInt("raftring.http.port")).isEqualTo(8081);
    assertThat(n2.getString("akka.remote.artery.canonical.hostname")).isEqualTo("127.0.0.1");
    assertThat(n2.getInt("akka.remote.artery.canonical.port")).isEqualTo(2552);
    assertThat(n2.getStringList("akka.cluster.seed-nodes")).containsExactly(
        "akka://raftring@127.0.0.1:2551", "akka://raftring@127.0.0.1:2552", "akka://raftring@127.0.0.1:2553");
    assertThat(n2.hasPath("raftring.cluster.groups")).isFalse();
    assertThat(n2.hasPath("raftring.cluster.replication-factor")).isFalse();
  }

  @Test
  void aRelativeDataRootBecomesAbsoluteSoChildrenFindItFromAnyDirectory() {
    LocalCluster cluster = LocalCluster.plan(3, "127.0.0.1", 2551, 8080, Path.of("data"), null);
    assertThat(cluster.nodes().get(0).dataDir().isAbsolute()).isTrue();
    assertThat(cluster.nodes().get(0).dataDir().endsWith(Path.of("data", "n1"))).isTrue();
    assertThat(cluster.nodes().get(0).configFile().endsWith(Path.of("data", "n1.conf"))).isTrue();
  }

  @Test
  void groupsAndBasePortsAreHonoured() {
    LocalCluster cluster = LocalCluster.plan(5, "10.1.2.3", 3000, 9000, tmp, 16);
    LocalCluster.Node n5 = cluster.nodes().get(4);
    assertThat(n5.name()).isEqualTo("n5");
    assertThat(n5.address()).isEqualTo("akka://raftring@10.1.2.3:3004");
    assertThat(n5.httpUrl()).isEqualTo("http://10.1.2.3:9004");
    assertThat(cluster.configOf(n5).getInt("raftring.cluster.groups")).isEqualTo(16);
  }

  @Test
  void fewerThanThreeNodesReplicateEachGroupOnAllOfThem() {
    LocalCluster cluster = LocalCluster.plan(1, "127.0.0.1", 2551, 8080, tmp, null);
    assertThat(cluster.configOf(cluster.nodes().get(0)).getInt("raftring.cluster.replication-factor")).isEqualTo(1);
  }

  @Test
  void refusesImpossiblePlans() {
    assertThatThrownBy(() -> LocalCluster.plan(0, "127.0.0.1", 2551, 8080, tmp, null))
        .hasMessageContaining("--nodes");
    assertThatThrownBy(() -> LocalCluster.plan(3, "127.0.0.1", 8081, 8080, tmp, null))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() -> LocalCluster.plan(3, "127.0.0.1", 65534, 8080, tmp, null))
        .hasMessageContaining("--artery-base-port");
    assertThatThrownBy(() -> LocalCluster.plan(3, "127.0.0.1", 2551, 8080, tmp, 0))
        .hasMessageContaining("--groups");
  }

  @Test
  void theWrittenFilesOverTheBaseFileMakeValidNodeSettings() throws Exception {
    LocalCluster cluster = LocalCluster.plan(3, "127.0.0.1", 2551, 8080, tmp, 4);
    cluster.writeFiles();
    for (LocalCluster.Node node : cluster.nodes()) {
      assertThat(node.dataDir()).isDirectory();
      Config file = ConfigFactory.parseFile(node.configFile().toFile());
      assertThat(file).isEqualTo(cluster.configOf(node));
      Config full = RaftRingNode.resolve(file.withFallback(ConfigFactory.parseFile(Path.of("conf/local.conf").toFile())));
      RaftRingSettings settings = RaftRingSettings.fromConfig(full);
      assertThat(settings.nodeName()).isEqualTo(node.name());
      assertThat(settings.nodes()).containsExactly("n1", "n2", "n3");
      assertThat(settings.groups()).isEqualTo(4);
      assertThat(full.getStringList("akka.cluster.roles")).containsExactly("node:" + node.name());
      assertThat(full.getString("akka.persistence.journal.plugin")).isEqualTo("raftring.storage.journal");
    }
  }

  @Test
  void dryRunWritesTheFilesAndPrintsEachNodesCommand() throws Exception {
    CliRun r = CliRun.of("local", "--dry-run", "--data", tmp.toString(), "--http-base-port", "18080",
        "--config", "conf/local.conf");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(tmp.resolve("n3.conf")).exists();
    assertThat(Files.readString(tmp.resolve("n3.conf"))).contains("port=18082");
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(1))
        .contains("-Xmx1g", "io.raftring.cli.RaftRingMain node", "--config " + Path.of("conf/local.conf").toAbsolutePath(),
            "--config " + tmp.resolve("n1.conf"), "--exit-with-parent " + ProcessHandle.current().pid());
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThat(CliRun.of("local", "--nodes", "0", "--dry-run", "--data", tmp.toString()).exitCode()).isEqualTo(2);
    assertThat(CliRun.of("local", "--dry-run", "--config", "no/such.conf", "--data", tmp.toString()).exitCode())
        .isEqualTo(2);
  }
}
