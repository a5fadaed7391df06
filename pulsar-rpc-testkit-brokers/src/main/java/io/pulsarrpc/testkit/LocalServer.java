package io.pulsarrpc.testkit;

import io.pulsarrpc.testkit.internal.ManagedProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A server program of the machine (redis-server, nats-server) run on a free loopback port in its
 * own temporary directory, restartable on the same port and data, deleted on close.
 */
final class LocalServer {

  /** Builds the server's command line. */
  interface CommandLine {
    List<String> of(Path program, int port, Path directory);
  }

  /** Answers whether the server on a port serves requests. */
  interface ReadinessProbe {
    boolean isReady(int port);
  }

  private static final List<String> USUAL_BIN_DIRECTORIES =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final int port;
  private final WorkDirectory workDirectory;
  private final ManagedProcess process;
  private final ReadinessProbe probe;
  private final Thread shutdownHook;

  private LocalServer(
      String displayName, Path program, CommandLine commandLine, ReadinessProbe probe) {
    this.port = FreePorts.next();
    this.workDirectory = WorkDirectory.temporary(program.getFileName() + "-");
    this.probe = probe;
    this.process =
        new ManagedProcess(
            displayName,
            commandLine.of(program, port, workDirectory.path()),
            workDirectory.path(),
            workDirectory.path().resolve("server.log"));
    this.shutdownHook =
        new Thread(
            () -> {
              process.kill();
              workDirectory.deleteIfOwned();
            },
            program.getFileName() + "-cleanup");
  }

  /**
   * Starts {@code programName} found on the {@code PATH} or in the usual binary directories.
   *
   * @throws ServerUnavailableException when the program is not installed; {@code installHint} says
   *     how to get it
   * @throws IllegalStateException when it does not come up; the message holds the tail of its log
   */
  static LocalServer start(
      String displayName,
      String programName,
      String installHint,
      CommandLine commandLine,
      ReadinessProbe probe) {
    Path program =
        locate(programName)
            .orElseThrow(
                () ->
                    new ServerUnavailableException(
                        programName
                            + " was not found on the PATH nor in "
                            + String.join(", ", USUAL_BIN_DIRECTORIES)
                            + ". "
                            + installHint));
    LocalServer server = new LocalServer(displayName, program, commandLine, probe);
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    try {
      server.start();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  int port() {
    return port;
  }

  Path directory() {
    return workDirectory.path();
  }

  void start() {
    process.start(STARTUP_TIMEOUT, () -> probe.isReady(port));
  }

  void stop() {
    process.stop(STOP_GRACE);
  }

  void kill() {
    process.kill();
  }

  boolean isRunning() {
    return process.isAlive();
  }

  void close() {
    process.stop(STOP_GRACE);
    workDirectory.deleteIfOwned();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down already; the hook runs or ran.
    }
  }

  private static Optional<Path> locate(String programName) {
    Set<String> directories = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      directories.addAll(List.of(path.split(File.pathSeparator)));
    }
    directories.addAll(USUAL_BIN_DIRECTORIES);
    return directories.stream()
        .filter(directory -> !directory.isBlank())
        .map(directory -> Paths.get(directory, programName))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
