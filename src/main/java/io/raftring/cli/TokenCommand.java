package io.raftring.cli;

import io.raftring.security.BearerTokens;
import io.raftring.security.PrivateFiles;
import io.raftring.security.Role;
import io.raftring.security.TokenRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code raftring token}: bearer tokens for nodes with authentication on. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Manage bearer tokens (raftring.http.auth.tokens-file).",
    subcommands = TokenCommand.Create.class)
final class TokenCommand implements Runnable {

  @ParentCommand RaftRingMain main;

  @Override
  public void run() {
    main.stderr.println("raftring token: say what to do, e.g. `raftring token create alice --role write"
        + " --file /etc/raftring/tokens`");
  }

  /**
   * {@code raftring token create NAME --role ROLE [--file FILE]}: a new random token on stdout, and its line
   * {@code NAME ROLE sha256:HEX} appended to the tokens file (created readable by its owner only), or on stderr.
   * Nodes read the file again within {@code raftring.http.auth.reload-interval}.
   */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Make a new token: the token goes to stdout (keep it secret; it is shown only now), its hash to the tokens"
            + " file. Nodes pick up the change within raftring.http.auth.reload-interval.",
        "To rotate: create a new token under the same name, switch the clients, then delete the old line."
      })
  static final class Create implements Callable<Integer> {

    @ParentCommand TokenCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "who the token is for, e.g. alice or ci-deploy")
    String name;

    @Option(names = "--role", required = true, description = "read, write or admin")
    String role;

    @Option(names = "--file", paramLabel = "FILE",
        description = "tokens file to append the hash to (created if missing); without it the line goes to stderr")
    Path file;

    @Override
    public Integer call() {
      RaftRingMain main = parent.main;
      String token = BearerTokens.generate(new SecureRandom());
      String line;
      try {
        line = TokenRegistry.line(name, Role.parse(role), token);
      } catch (IllegalArgumentException e) {
        main.stderr.println("raftring token create: " + e.getMessage());
        return RaftRingMain.USAGE;
      }
      if (file == null) {
        main.stderr.println(line);
      } else {
        try {
          append(file, line);
        } catch (IOException e) {
          main.stderr.println("raftring token create: cannot write " + file + ": " + e);
          return RaftRingMain.UNAVAILABLE;
        }
        main.stderr.println("raftring token create: added " + name + " (" + role + ") to " + file);
      }
      main.stdout.println(token);
      return RaftRingMain.OK;
    }
  }

  /** Appends {@code line} to the tokens file, creating it readable and writable by its owner only. */
  static void append(Path file, String line) throws IOException {
    if (!Files.exists(file)) {
      PrivateFiles.create(file);
      Files.writeString(file, "# RaftRing bearer tokens: NAME ROLE sha256:HEX (roles read, write, admin)\n",
          StandardCharsets.UTF_8);
    }
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }
}
