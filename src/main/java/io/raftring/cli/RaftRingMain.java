package io.raftring.cli;

import io.raftring.bench.BenchCommand;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code raftring}: the command line. {@code node} and {@code local} run servers; {@code put}, {@code get},
 * {@code del}, {@code cas}, {@code range}, {@code txn}, {@code watch}, {@code lease}, {@code lock}, {@code elect},
 * {@code status}, {@code backup}, {@code restore} and
 * {@code ev get|put|del} talk HTTP to a running
 * node; {@code bft} and
 * {@code check} run locally.
 *
 * <p>Exit codes: {@link #OK} 0 success; {@link #REFUSED} 1 the answer was no (key not found, compare-and-set
 * condition failed, history not linearizable); {@link #USAGE} 2 bad usage (including a request the server rejects as
 * malformed); {@link #UNAVAILABLE} 3 the server could not be reached or failed (connection refused, timeout, 5xx).
 */
@Command(
    name = "raftring",
    mixinStandardHelpOptions = true,
    version = "RaftRing 0.1.0-SNAPSHOT",
    description = "RaftRing: a sharded, replicated key-value store on Raft.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      NodeCommand.class,
      LocalCommand.class,
      PutCommand.class,
      GetCommand.class,
      DelCommand.class,
      CasCommand.class,
      RangeCommand.class,
      TxnCommand.class,
      WatchCommand.class,
      LeaseCommand.class,
      LockCommand.class,
      ElectCommand.class,
      StatusCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      EvCommand.class,
      BftCommand.class,
      CheckCommand.class,
      TokenCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success; 1 not found / condition failed; 2 bad usage; 3 server or connection error.",
      "Client commands talk to --endpoint (default $RAFTRING_ENDPOINT or http://127.0.0.1:8080), with --token"
          + " ($RAFTRING_TOKEN) and --cacert ($RAFTRING_CACERT) for a secured node."
    })
public final class RaftRingMain implements Runnable {

  public static final int OK = 0;
  public static final int REFUSED = 1;
  public static final int USAGE = 2;
  public static final int UNAVAILABLE = 3;

  final InputStream stdin;
  final PrintStream stdout;
  final PrintStream stderr;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public RaftRingMain() {
    this(System.in, System.out, System.err);
  }

  RaftRingMain(InputStream stdin, PrintStream stdout, PrintStream stderr) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** No command given: show what there is, as a usage error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command");
  }

  /** The command line around {@code main}: output to its streams, unexpected failures exit 3 with a message. */
  static CommandLine commandLine(RaftRingMain main) {
    CommandLine cmd = new CommandLine(main);
    cmd.setOut(new PrintWriter(main.stdout, true));
    cmd.setErr(new PrintWriter(main.stderr, true));
    cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("raftring " + commandLine.getCommandName() + ": " + e);
      commandLine.getErr().flush();
      return UNAVAILABLE;
    });
    return cmd;
  }

  /** Runs {@code args} against the given streams and returns the exit code (for tests and embedding). */
  static int execute(RaftRingMain main, String... args) {
    int code = commandLine(main).execute(args);
    main.stdout.flush();
    main.stderr.flush();
    return code;
  }

  public static void main(String[] args) {
    System.exit(execute(new RaftRingMain(), args));
  }
}
