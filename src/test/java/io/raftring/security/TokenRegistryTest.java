package io.raftring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {

  private final SecureRandom random = new SecureRandom();

  @Test
  void generatedTokensAreLongRandomAndRecognisable() {
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      tokens.add(BearerTokens.generate(random));
    }
    assertThat(tokens).hasSize(100).allSatisfy(t -> assertThat(t).startsWith("rrt_").hasSize(4 + 43));
  }

  @Test
  void aTokenIsStoredOnlyAsItsSha256Digest() {
    String token = "rrt_example";
    String line = TokenRegistry.line("alice", Role.WRITE, token);
    assertThat(line).isEqualTo(
        "alice write sha256:" + java.util.HexFormat.of().formatHex(BearerTokens.digest(token)));
    assertThat(line).doesNotContain(token);
  }

  @Test
  void aListedTokenAuthenticatesAsItsNameAndRole() {
    String alice = BearerTokens.generate(random);
    String ops = BearerTokens.generate(random);
    TokenRegistry registry = TokenRegistry.parse(String.join("\n",
        "# comment",
        "",
        TokenRegistry.line("alice", Role.READ, alice),
        "  " + TokenRegistry.line("ops", Role.ADMIN, ops) + "  "));

    assertThat(registry.authenticate(alice)).contains(new Principal("alice", Role.READ));
    assertThat(registry.authenticate(ops)).contains(new Principal("ops", Role.ADMIN));
    assertThat(registry.size()).isEqualTo(2);
  }

  @Test
  void anUnlistedOrAlteredTokenDoesNotAuthenticate() {
    String alice = BearerTokens.generate(random);
    TokenRegistry registry = TokenRegistry.parse(TokenRegistry.line("alice", Role.READ, alice));

    assertThat(registry.authenticate(BearerTokens.generate(random))).isEmpty();
    assertThat(registry.authenticate(alice + "x")).isEmpty();
    assertThat(registry.authenticate("")).isEmpty();
    assertThat(TokenRegistry.parse("").authenticate(alice)).isEmpty();
  }

  @Test
  void twoTokensMayShareANameWhileOneReplacesTheOther() {
    String old = BearerTokens.generate(random);
    String fresh = BearerTokens.generate(random);
    TokenRegistry registry = TokenRegistry.parse(
        TokenRegistry.line("ci", Role.WRITE, old) + "\n" + TokenRegistry.line("ci", Role.WRITE, fresh));

    assertThat(registry.authenticate(old)).contains(new Principal("ci", Role.WRITE));
    assertThat(registry.authenticate(fresh)).contains(new Principal("ci", Role.WRITE));
  }

  @Test
  void aMalformedLineIsRefusedWithItsNumber() {
    String ok = TokenRegistry.line("alice", Role.READ, "t1");
    assertThatThrownBy(() -> TokenRegistry.parse(ok + "\nbob write"))
        .hasMessageContaining("line 2").hasMessageContaining("NAME ROLE");
    assertThatThrownBy(() -> TokenRegistry.parse("bob root " + BearerTokens.hash("t2")))
        .hasMessageContaining("line 1").hasMessageContaining("unknown role");
    assertThatThrownBy(() -> TokenRegistry.parse("bob read plaintext-token"))
        .hasMessageContaining("sha256:");
    assertThatThrownBy(() -> TokenRegistry.parse("b/ob read " + BearerTokens.hash("t3")))
        .hasMessageContaining("name");
    assertThatThrownBy(() -> TokenRegistry.parse(ok + "\n" + ok.replace("alice", "eve")))
        .hasMessageContaining("line 2").hasMessageContaining("twice");
  }

  @Test
  void eachRoleIncludesTheOnesBelowIt() {
    assertThat(Role.ADMIN.includes(Role.WRITE)).isTrue();
    assertThat(Role.ADMIN.includes(Role.READ)).isTrue();
    assertThat(Role.WRITE.includes(Role.READ)).isTrue();
    assertThat(Role.WRITE.includes(Role.ADMIN)).isFalse();
    assertThat(Role.READ.includes(Role.WRITE)).isFalse();
    assertThat(Role.parse("Admin")).isEqualTo(Role.ADMIN);
  }
}
