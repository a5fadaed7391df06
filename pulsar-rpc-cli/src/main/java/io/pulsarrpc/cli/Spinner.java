package io.pulsarrpc.cli;

import java.io.PrintWriter;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A spinner on stderr while a command waits longer than a second, so that a person at a terminal
 * sees it is not stuck; nothing at all when stderr is not watched, so scripts and logs stay clean.
 * Started and closed by the command's thread; drawn by a daemon thread of its own.
 */
final class Spinner implements AutoCloseable {

  private static final String FRAMES = "|/-\\";
  private static final long FIRST_FRAME_MILLIS = 1000;
  private static final long FRAME_MILLIS = 120;

  private final PrintWriter err;
  private final ScheduledExecutorService drawer;
  private final long startedAt = System.nanoTime();
  private int frame;
  private boolean drawn;

  private Spinner(PrintWriter err, ScheduledExecutorService drawer) {
    this.err = err;
    this.drawer = drawer;
  }

  /** Spins with {@code what} ("waiting for the reply") when {@code io} is interactive. */
  static Spinner start(CliIo io, String what) {
    if (!io.interactive()) {
      return new Spinner(io.err(), null);
    }
    ScheduledExecutorService drawer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "pulsar-rpc-spinner");
              thread.setDaemon(true);
              return thread;
            });
    Spinner spinner = new Spinner(io.err(), drawer);
    drawer.scheduleAtFixedRate(
        () -> spinner.draw(what), FIRST_FRAME_MILLIS, FRAME_MILLIS, TimeUnit.MILLISECONDS);
    return spinner;
  }

  /**
   * Waits for {@code future} with a spinner, and returns its value.
   *
   * @throws CliException with the exit code of the future's failure
   */
  static <T> T await(CompletableFuture<T> future, CliIo io, String what) {
    Spinner spinner = start(io, what);
    try {
      return future.join();
    } catch (CompletionException | CancellationException e) {
      throw Failures.asCliException(e);
    } finally {
      spinner.close();
    }
  }

  private synchronized void draw(String what) {
    double seconds = (System.nanoTime() - startedAt) / 1e9;
    err.printf("\r%c %s %.1fs ", FRAMES.charAt(frame++ % FRAMES.length()), what, seconds);
    err.flush();
    drawn = true;
  }

  @Override
  public void close() {
    if (drawer == null) {
      return;
    }
    drawer.shutdownNow();
    try {
      drawer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (drawn) {
        // Erases the spinner's line so the next output starts clean.
        err.print("\r\033[K");
        err.flush();
      }
    }
  }
}
