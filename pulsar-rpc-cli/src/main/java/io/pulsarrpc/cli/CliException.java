package io.pulsarrpc.cli;

/**
 * A failure the command line reports as one line on stderr with its exit code; the cause, when any,
 * is printed only with {@code --verbose}.
 */
final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    this(exitCode, message, null);
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  static CliException usage(String message) {
    return new CliException(PulsarRpcCli.EXIT_USAGE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
