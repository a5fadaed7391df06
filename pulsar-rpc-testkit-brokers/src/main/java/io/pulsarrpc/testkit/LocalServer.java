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
 * own temporary directory (a first start that finds the port taken by another process is made again
 * on another, see {@link FirstStart}), restartable on the same port and data, deleted on close.
 * Started, stopped and closed by the fixture's thread; the shutdown hook may kill it from its own.
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

  /** Builds the command line of a server that serves TLS with {@code certificates}. */
  interface TlsCommandLine {
    List<String> of(Path program, int port, Path directory, TestCertificates certificates);
  }

  /** Answers whether the server on a port, serving TLS with {@code certificates}, is ready. */
  interface TlsReadinessProbe {
    boolean isReady(int port, TestCertificates certificates);
  }

  private static final List<String> USUAL_BIN_DIRECTORIES =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final String displayName;
  private final Path program;
  private final CommandLine commandLine;
  private final WorkDirectory workDirectory;
  private final ReadinessProbe probe;
  // Set by the first start (FirstStart), which may pick another port; fixed from then on.
  private volatile int port;
  private volatile ManagedProcess process;
  private final TestCertificates certificates;
  private final Thread shutdownHook;

  private LocalServer(
      String displayName,
      Path program,
      WorkDirectory workDirectory,
      TestCertificates certificates,
      CommandLine commandLine,
      ReadinessProbe probe) {
    this.displayName = displayName;
    this.program = program;
    this.commandLine = commandLine;
    this.workDirectory = workDirectory;
    this.certificates = certificates;
    this.probe = probe;
    this.shutdownHook =
        new Thread(
            () -> {
              kill();
              workDirectory.deleteIfOwned();
            },
            program.getFileName() + "-cleanup");
  }

  /**
   * Starts {@code programName} found on the {@code PATH} or in the usual binary directories, in a
   * new temporary directory.
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
    return start(
        displayName,
        programName,
        installHint,
        WorkDirectory.temporary(programName + "-"),
        null,
        commandLine,
        probe);
  }

  /**
   * Starts {@code programName} as {@link #start(String, String, String, CommandLine,
   * ReadinessProbe)} does, serving TLS with {@link TestCertificates} made for it and kept in its
   * directory ({@code tls/}), so that restarts use the same ones.
   */
  static LocalServer startWithTls(
      String displayName,
      String programName,
      String installHint,
      TlsCommandLine commandLine,
      TlsReadinessProbe probe) {
    WorkDirectory directory = WorkDirectory.temporary(programName + "-");
    TestCertificates certificates;
    try {
      certificates = TestCertificates.generate(directory.path().resolve("tls"));
    } catch (RuntimeException e) {
      directory.deleteIfOwned();
      throw e;
    }
    return start(
        displayName + " (TLS)",
        programName,
        installHint,
        directory,
        certificates,
        (program, port, workDirectory) ->
            commandLine.of(program, port, workDirectory, certificates),
        port -> probe.isReady(port, certificates));
  }

  private static LocalServer start(
      String displayName,
      String programName,
      String installHint,
      WorkDirectory workDirectory,
      TestCertificates certificates,
      CommandLine commandLine,
      ReadinessProbe probe) {
    Optional<Path> located = locate(programName);
    if (located.isEmpty()) {
      workDirectory.deleteIfOwned();
      throw new ServerUnavailableException(
          programName
              + " was not found on the PATH nor in "
              + String.join(", ", USUAL_BIN_DIRECTORIES)
              + ". "
              + installHint);
    }
    LocalServer server =
        new LocalServer(
            displayName, located.get(), workDirectory, certificates, commandLine, probe);
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

  /** The certificates the server serves TLS with, or null when it serves no TLS. */
  TestCertificates certificates() {
    return certificates;
  }

  /** Starts the server: the first time on a free port, later again on the same one. */
  void start() {
    if (process != null) {
      process.start(STARTUP_TIMEOUT, () -> probe.isReady(port));
      return;
    }
    FirstStart.run(
        attempt -> {
          port = FreePorts.next();
          process =
              new ManagedProcess(
                  displayName,
                  commandLine.of(program, port, workDirectory.path()),
                  workDirectory.path(),
                  workDirectory.path().resolve("server.log"));
          return process;
        },
        started -> started.start(STARTUP_TIMEOUT, () -> probe.isReady(port)));
  }

  void stop() {
    if (process != null) {
      process.stop(STOP_GRACE);
    }
  }

  void kill() {
    if (process != null) {
      process.kill();
    }
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  void close() {
    stop();
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
