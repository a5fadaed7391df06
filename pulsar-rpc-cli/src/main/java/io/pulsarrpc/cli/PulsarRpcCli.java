package io.pulsarrpc.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code pulsar-rpc} command line: sends calls, multi-calls and subscriptions to servers built
 * with pulsar-rpc over Pulsar, Redis or NATS, and lists the live servers, from a terminal or a
 * script (see docs/cli.md).
 *
 * <p>The connection options ({@code --bus}, {@code --service-url}, {@code --token}, TLS) and the
 * output options ({@code --json}, {@code --verbose}) belong to every command and may be given
 * before or after the command's name. Defaults come from the environment: {@code PULSAR_RPC_BUS}
 * (else {@code pulsar}), {@code PULSAR_RPC_SERVICE_URL} (else the bus's usual variable, {@code
 * PULSAR_SERVICE_URL}, {@code REDIS_URL} or {@code NATS_URL}, else its local default) and {@code
 * PULSAR_RPC_TOKEN}.
 *
 * <p>Exit codes: {@link #EXIT_OK}, {@link #EXIT_ERROR_REPLY}, {@link #EXIT_USAGE}, {@link
 * #EXIT_NO_REPLY}, {@link #EXIT_CONNECTION}. A failure prints one line on stderr; {@code --verbose}
 * adds its stack trace. One run of {@link #main} is one command; an instance is not shared between
 * threads.
 */
@Command(
    name = "pulsar-rpc",
    mixinStandardHelpOptions = true,
    versionProvider = CliVersion.class,
    description = "Calls pulsar-rpc servers over Pulsar, Redis or NATS.",
    subcommands = {
      CallCommand.class,
      CallAllCommand.class,
      SubscribeCommand.class,
      ServersCommand.class,
      ReplCommand.class,
      CommandLine.HelpCommand.class
    })
public final class PulsarRpcCli implements Runnable {

  /** Success. */
  public static final int EXIT_OK = 0;

  /**
   * The server answered with an error (or a multi-call got at least one error response, or every
   * server of a listing answered with an error).
   */
  public static final int EXIT_ERROR_REPLY = 1;

  /** A usage error: an unknown option, a missing argument, a payload that does not parse. */
  public static final int EXIT_USAGE = 2;

  /** No reply before the timeout, no server claimed the call, or no server answered a listing. */
  public static final int EXIT_NO_REPLY = 3;

  /** The bus could not be reached, refused the credentials, or failed to send. */
  public static final int EXIT_CONNECTION = 4;

  @Option(
      names = "--bus",
      scope = ScopeType.INHERIT,
      paramLabel = "pulsar|redis|nats",
      description = "The bus (env PULSAR_RPC_BUS; default pulsar).")
  BusKind bus;

  @Option(
      names = "--service-url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "The bus's URL (env PULSAR_RPC_SERVICE_URL, else PULSAR_SERVICE_URL, REDIS_URL or"
              + " NATS_URL; default the bus's local one).")
  String serviceUrl;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      paramLabel = "TOKEN",
      description =
          "Token authentication: a Pulsar JWT, the Redis password, or the NATS token (env"
              + " PULSAR_RPC_TOKEN).")
  String token;

  @Option(
      names = "--tls-trust-certs",
      scope = ScopeType.INHERIT,
      paramLabel = "PEM",
      description = "Trust the server certificates signed by these CA certificates (PEM file).")
  java.nio.file.Path tlsTrustCerts;

  @Option(
      names = "--tls-allow-insecure",
      scope = ScopeType.INHERIT,
      description = "Accept any server certificate (tests only).")
  boolean tlsAllowInsecure;

  @Option(
      names = "--connect-timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long to wait for the bus before exit code 4 (default 10s).")
  Duration connectTimeout = Duration.ofSeconds(10);

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print JSON lines (one object per reply, update or summary) for scripts.")
  boolean json;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  @Spec CommandSpec spec;

  private final CliIo io;
  private final Set<String> seenTopics;

  PulsarRpcCli(CliIo io) {
    this(io, new ConcurrentSkipListSet<>());
  }

  private PulsarRpcCli(CliIo io, Set<String> seenTopics) {
    this.io = io;
    this.seenTopics = seenTopics;
  }

  /** Runs one command with the process's streams and environment, and exits with its code. */
  public static void main(String[] args) {
    CliIo io =
        new CliIo(
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8),
            System.in,
            System.getenv(),
            System.console() != null);
    int code = execute(new PulsarRpcCli(io), args);
    io.out().flush();
    io.err().flush();
    System.exit(code);
  }

  /** Runs {@code args} on {@code root} and returns the exit code; never throws. */
  static int execute(PulsarRpcCli root, String... args) {
    return commandLine(root).execute(args);
  }

  /** The picocli command line of {@code root}, with the failure handling of the command line. */
  static CommandLine commandLine(PulsarRpcCli root) {
    Failures failures = new Failures(root);
    return new CommandLine(root)
        .setOut(root.io.out())
        .setErr(root.io.err())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(failures)
        .setExecutionExceptionHandler(failures);
  }

  /**
   * A root for one line of the shell, writing to {@code lineIo}: these options as defaults, the
   * same topics seen.
   */
  PulsarRpcCli forShellLine(CliIo lineIo) {
    PulsarRpcCli line = new PulsarRpcCli(lineIo, seenTopics);
    line.bus = bus;
    line.serviceUrl = serviceUrl;
    line.token = token;
    line.tlsTrustCerts = tlsTrustCerts;
    line.tlsAllowInsecure = tlsAllowInsecure;
    line.connectTimeout = connectTimeout;
    line.json = json;
    line.verbose = verbose;
    return line;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is missing: call, call-all, subscribe, servers or repl");
  }

  CliIo io() {
    return io;
  }

  /** Topics the commands of this run (and of its shell) used, for the shell's completion. */
  Set<String> seenTopics() {
    return seenTopics;
  }

  boolean json() {
    return json;
  }

  boolean verbose() {
    return verbose;
  }

  /** Opens the bus these options name; the caller closes it. */
  BusConnection connect() {
    return BusConnection.open(
        new ConnectionSettings(
            bus != null ? bus : BusKind.fromEnvironment(io.env()),
            serviceUrl,
            token != null ? token : io.env().get("PULSAR_RPC_TOKEN"),
            tlsTrustCerts,
            tlsAllowInsecure,
            connectTimeout,
            io.env()));
  }
}
