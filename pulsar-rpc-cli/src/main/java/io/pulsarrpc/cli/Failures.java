package io.pulsarrpc.cli;

import io.pulsarrpc.common.PulsarRpcClientException;
import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure of a command into the documented exit code and one line on stderr, {@code
 * pulsar-rpc: <what went wrong>}, with the stack trace only under {@code --verbose}.
 */
final class Failures implements IParameterExceptionHandler, IExecutionExceptionHandler {

  private static final int MAX_MESSAGE = 400;

  private final PulsarRpcCli root;

  Failures(PulsarRpcCli root) {
    this.root = root;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    String command = e.getCommandLine().getCommandSpec().qualifiedName();
    PrintWriter err = root.io().err();
    err.println(command + ": " + oneLine(e.getMessage()) + " (see '" + command + " --help')");
    if (root.verbose()) {
      e.printStackTrace(err);
    }
    err.flush();
    return PulsarRpcCli.EXIT_USAGE;
  }

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) {
    CliException failure = asCliException(exception);
    PrintWriter err = root.io().err();
    err.println("pulsar-rpc: " + oneLine(failure.getMessage()));
    if (root.verbose()) {
      (failure.getCause() != null ? failure.getCause() : failure).printStackTrace(err);
    }
    err.flush();
    return failure.exitCode();
  }

  /** What the command line says about {@code failure}, and with which exit code. */
  static CliException asCliException(Throwable failure) {
    Throwable e = unwrapped(failure);
    if (e instanceof CliException cli) {
      return cli;
    }
    if (e instanceof PulsarRpcClientException.ReplyErrorException reply) {
      return new CliException(
          PulsarRpcCli.EXIT_ERROR_REPLY,
          "error reply "
              + reply.code().name()
              + (reply.serverSubscription() != null ? " from " + reply.serverSubscription() : "")
              + ": "
              + reply.errorMessage(),
          e);
    }
    if (e instanceof PulsarRpcClientException.TimeoutException
        || e instanceof PulsarRpcClientException.NoRespondersException) {
      return new CliException(PulsarRpcCli.EXIT_NO_REPLY, rootMessage(e), e);
    }
    if (e instanceof PulsarRpcClientException.SendException
        || e instanceof PulsarRpcClientException.ClientClosedException) {
      return new CliException(PulsarRpcCli.EXIT_CONNECTION, rootMessage(e), e);
    }
    if (e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException) {
      return new CliException(PulsarRpcCli.EXIT_USAGE, rootMessage(e), e);
    }
    return new CliException(PulsarRpcCli.EXIT_ERROR_REPLY, rootMessage(e), e);
  }

  private static Throwable unwrapped(Throwable failure) {
    Throwable e = failure;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /**
   * The message of the deepest cause that has one: the bus's own words ("Connection refused",
   * "Authentication failed") rather than the wrappers'.
   */
  static String rootMessage(Throwable failure) {
    String message = failure.getClass().getSimpleName();
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e.getMessage() != null && !e.getMessage().isBlank()) {
        message = e.getMessage();
      }
    }
    return oneLine(message);
  }

  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    String line = message.replaceAll("\\s*\\R\\s*", " ").trim();
    return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
  }
}
