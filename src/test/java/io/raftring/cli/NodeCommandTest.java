package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.RaftRingNode;
import io.raftring.RaftRingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How `raftring node` layers its configuration: options over -D system properties over files. */
class NodeCommandTest {

  @TempDir Path tmp;

  private static NodeCommand parse(String... args) {
    CommandLine cmd = RaftRingMain.commandLine(new RaftRingMain());
    CommandLine.ParseResult result = cmd.parseArgs(args);
    return (NodeCommand) result.subcommand().commandSpec().userObject();
  }

  @Test
  void optionsOverSystemPropertiesOverLaterFilesOverEarlierFiles() throws Exception {
    Path base = Files.writeString(tmp.resolve("base.conf"),
        "raftring.node.name = n1\nraftring.http.port = 1\nraftring.cluster.groups = 2\nraftring.request-timeout = 1s\n");
    Path node = Files.writeString(tmp.resolve("node.conf"), "raftring.http.port = 2\nraftring.cluster.groups = 3\n");
    NodeCommand command = parse("node", "--config", base.toString(), "--config", node.toString(),
        "--name", "n2", "--port", "2600", "--seed", "10.0.0.1:2551,akka://raftring@10.0.0.2:2551",
        "--nodes", "n1,n2,n3", "--data", "/var/lib/raftring", "--set", "raftring.request-timeout=5s");
    Config systemProperties = ConfigFactory.parseMap(Map.of("raftring.cluster.groups", "4", "raftring.node.name", "nX"));

    Config config = command.config(systemProperties);

    assertThat(config.getString("raftring.node.name")).isEqualTo("n2");
    assertThat(config.getInt("raftring.cluster.groups")).isEqualTo(4);
    assertThat(config.getInt("raftring.http.port")).isEqualTo(2);
    assertThat(config.getDuration("raftring.request-timeout")).hasSeconds(5);
    assertThat(config.getInt("akka.remote.artery.canonical.port")).isEqualTo(2600);
    assertThat(config.getString("raftring.storage.dir")).isEqualTo("/var/lib/raftring");
    assertThat(config.getStringList("akka.cluster.seed-nodes"))
        .containsExactly("akka://raftring@10.0.0.1:2551", "akka://raftring@10.0.0.2:2551");
    RaftRingSettings settings = RaftRingSettings.fromConfig(RaftRingNode.resolve(config));
    assertThat(settings.nodeName()).isEqualTo("n2");
  }

  @Test
  void theShippedNodeConfIsAValidNode() {
    Config config = RaftRingNode.resolve(ConfigFactory.parseFile(Path.of("conf/node.conf").toFile()));
    assertThat(RaftRingSettings.fromConfig(config).nodes()).containsExactly("n1", "n2", "n3");
    assertThat(config.getString("raftring.storage.dir")).isNotBlank();
    assertThat(config.getInt("raftring.http.port")).isEqualTo(8080);
    assertThat(config.getStringList("akka.cluster.seed-nodes")).hasSize(3);
  }

  @Test
  void aMissingConfigFileOrABadSeedIsBadUsage() {
    CliRun missing = CliRun.of("node", "--config", tmp.resolve("absent.conf").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("no such configuration file");
    CliRun seed = CliRun.of("node", "--config", "conf/node.conf", "--seed", "not a seed");
    assertThat(seed.exitCode()).isEqualTo(2);
    assertThat(seed.stderr()).contains("neither host:port");
  }
}
