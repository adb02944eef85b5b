package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.security.Principal;
import io.raftring.security.Role;
import io.raftring.security.TokenRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `raftring token create`, `local --secure` without starting nodes, and the client's TLS options. */
class SecureCommandsTest {

  @TempDir Path tmp;

  @Test
  void tokenCreatePrintsTheTokenAndAppendsOnlyItsHash() throws Exception {
    Path file = tmp.resolve("etc/tokens");
    CliRun alice = CliRun.of("token", "create", "alice", "--role", "write", "--file", file.toString());
    CliRun bob = CliRun.of("token", "create", "bob", "--role", "read", "--file", file.toString());

    assertThat(alice.exitCode()).as(alice.toString()).isZero();
    String token = alice.out().strip();
    String text = Files.readString(file);
    assertThat(text).doesNotContain(token);
    TokenRegistry registry = TokenRegistry.parse(text);
    assertThat(registry.authenticate(token)).contains(new Principal("alice", Role.WRITE));
    assertThat(registry.authenticate(bob.out().strip())).contains(new Principal("bob", Role.READ));
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void tokenCreateRefusesAnUnknownRole() {
    CliRun r = CliRun.of("token", "create", "alice", "--role", "root");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("unknown role");
  }

  @Test
  void localSecureMakesACaCertificatesAndAnAdminTokenAndReusesThem() throws Exception {
    String[] args = {"local", "--secure", "--dry-run", "--data", tmp.toString(), "--http-base-port", "18080",
        "--artery-base-port", "12551"};
    CliRun first = CliRun.of(args);
    assertThat(first.exitCode()).as(first.toString()).isZero();
    String token = Files.readString(tmp.resolve("admin.token")).strip();
    byte[] ca = Files.readAllBytes(tmp.resolve("ca.pem"));
    assertThat(TokenRegistry.parse(Files.readString(tmp.resolve("tokens"))).authenticate(token))
        .contains(new Principal("admin", Role.ADMIN));
    String n1 = Files.readString(tmp.resolve("n1.conf"));
    assertThat(n1).contains("tls-tcp").contains(tmp.resolve("tls/n1.crt").toString())
        .contains(tmp.resolve("tokens").toString());

    CliRun second = CliRun.of(args);
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(Files.readString(tmp.resolve("admin.token")).strip()).isEqualTo(token);
    assertThat(Files.readAllBytes(tmp.resolve("ca.pem"))).isEqualTo(ca);
    assertThat(Files.readAllLines(tmp.resolve("tokens")).stream().filter(l -> l.startsWith("admin "))).hasSize(1);
  }

  @Test
  void aCaCertificateIsForHttpsEndpointsOnly() {
    CliRun r = CliRun.of("get", "k", "--endpoint", "http://127.0.0.1:1", "--cacert", "ca.pem");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("--cacert is for https");
  }
}
