package io.pulsarrpc.testkit.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ties a child JVM's life to the test JVM that started it (with {@link ManagedProcess}, whose
 * children read a pipe on standard input): when the parent goes away for any reason, even {@code
 * kill -9}, the pipe closes and the child exits, so no broker or test server outlives its tests.
 * Not API.
 */
public final class ParentWatchdog {

  // Time for shutdown hooks (a broker flushing its ledgers) before the JVM halts regardless.
  private static final long EXIT_GRACE_MILLIS = 15_000;

  private ParentWatchdog() {}

  /**
   * Starts a daemon thread that waits for the end of standard input, then exits this JVM.
   *
   * @param what what this JVM runs, for the message printed on exit
   */
  public static void start(String what) {
    Thread watchdog = new Thread(() -> exitWhenParentGoes(what), "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void exitWhenParentGoes(String what) {
    try (InputStream in = System.in) {
      byte[] buffer = new byte[64];
      while (in.read(buffer) >= 0) {
        // The parent never writes; reading only waits for end of stream.
      }
    } catch (IOException e) {
      // A broken pipe means the parent is gone, as end of stream does.
    }
    System.err.println("Parent process is gone; stopping " + what + ".");
    Thread halter =
        new Thread(
            () -> {
              sleepQuietly(EXIT_GRACE_MILLIS);
              Runtime.getRuntime().halt(1);
            },
            "halt-after-grace");
    halter.setDaemon(true);
    halter.start();
    System.exit(0);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
