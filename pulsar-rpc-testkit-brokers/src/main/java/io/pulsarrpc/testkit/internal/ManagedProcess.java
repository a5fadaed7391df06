package io.pulsarrpc.testkit.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One operating-system process that a fixture owns: started with its output appended to a log file,
 * stopped gracefully (SIGTERM) or killed (SIGKILL), and restartable with the same command. Public
 * for the testkit's modules (local servers, the embedded broker, the server processes of crash
 * tests); not API. Thread-safe.
 */
public final class ManagedProcess {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  /** How many startup timeouts a process that keeps writing to its log may take to be ready. */
  public static final int MOST_TIMEOUTS = 5;

  private final String displayName;
  private final List<String> command;
  private final Path workingDirectory;
  private final Path logFile;
  private Process process;
  // Where the log stood when the last start began.
  private long startedAtLogSize;

  public ManagedProcess(
      String displayName, List<String> command, Path workingDirectory, Path logFile) {
    this.displayName = displayName;
    this.command = List.copyOf(command);
    this.workingDirectory = workingDirectory;
    this.logFile = logFile;
  }

  /**
   * Starts the process and waits until {@code ready} answers true.
   *
   * <p>{@code timeout} is how long the process may go without progress: each time its log grows,
   * the wait starts again, so that a process that starts slowly on a busy machine (a broker beside
   * parallel builds) but keeps working is not cut off. In all, the wait lasts at most {@value
   * #MOST_TIMEOUTS} times {@code timeout}. Fails fast, with the tail of the log, when the process
   * exits or a limit passes first; the process is then killed.
   */
  public synchronized void start(Duration timeout, BooleanSupplier ready) {
    if (isAlive()) {
      throw new IllegalStateException(displayName + " is already running");
    }
    startedAtLogSize = logSize();
    try {
      process =
          new ProcessBuilder(command)
              .directory(workingDirectory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Could not start " + displayName + " with " + String.join(" ", command), e);
    }
    long started = System.nanoTime();
    long lastProgress = started;
    long logSize = logSize();
    while (true) {
      if (!process.isAlive()) {
        throw failure("exited with code " + process.exitValue() + " before it was ready");
      }
      if (ready.getAsBoolean()) {
        return;
      }
      long now = System.nanoTime();
      long size = logSize();
      if (size != logSize) {
        logSize = size;
        lastProgress = now;
      }
      if (now - lastProgress > timeout.toNanos()) {
        kill();
        throw failure(
            "was not ready within "
                + seconds(now - started)
                + " s, and its log had not grown for "
                + seconds(timeout.toNanos())
                + " s (the startup timeout)");
      }
      if (now - started > MOST_TIMEOUTS * timeout.toNanos()) {
        kill();
        throw failure(
            "was not ready within "
                + seconds(now - started)
                + " s although its log kept growing: "
                + MOST_TIMEOUTS
                + " times the startup timeout of "
                + seconds(timeout.toNanos())
                + " s is the most a start may take");
      }
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new IllegalStateException("Interrupted while starting " + displayName, e);
      }
    }
  }

  /** Asks the process to stop (SIGTERM) and waits; kills it when it outlives {@code grace}. */
  public synchronized void stop(Duration grace) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  /** Kills the process at once with SIGKILL, as {@code kill -9} does, and waits for it to end. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException(displayName + " was never started");
    }
    return process.pid();
  }

  /**
   * Whether the process wrote {@code text} (in any case) to its log since its last start began; for
   * a fixture that tells a failed start's causes apart, such as a port another process took.
   */
  public synchronized boolean loggedSinceStart(String text) {
    try (RandomAccessFile log = new RandomAccessFile(logFile.toFile(), "r")) {
      long from = Math.min(startedAtLogSize, log.length());
      byte[] written = new byte[(int) Math.min(log.length() - from, Integer.MAX_VALUE - 8)];
      log.seek(from);
      log.readFully(written);
      return new String(written, StandardCharsets.UTF_8)
          .toLowerCase(Locale.ROOT)
          .contains(text.toLowerCase(Locale.ROOT));
    } catch (IOException e) {
      return false;
    }
  }

  /** The last {@code lines} lines of the process's log, for error messages. */
  public String logTail(int lines) {
    if (!Files.exists(logFile)) {
      return "(no log at " + logFile + ")";
    }
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join(
          System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log " + logFile + " unreadable: " + e + ")";
    }
  }

  /** The size of the log in bytes; 0 while it does not exist or cannot be read. */
  private long logSize() {
    try {
      return Files.size(logFile);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }

  /** The command with very long arguments (a classpath) shortened, for messages. */
  private static List<String> abbreviated(List<String> command) {
    List<String> result = new ArrayList<>();
    for (String argument : command) {
      result.add(
          argument.length() <= 300
              ? argument
              : argument.substring(0, 120) + "...(" + argument.length() + " characters)");
    }
    return result;
  }

  private IllegalStateException failure(String what) {
    List<String> message = new ArrayList<>();
    message.add(displayName + " " + what + ".");
    message.add("Command: " + String.join(" ", abbreviated(command)));
    message.add("Last lines of " + logFile + ":");
    message.add(logTail(40));
    return new IllegalStateException(String.join(System.lineSeparator(), message));
  }
}
