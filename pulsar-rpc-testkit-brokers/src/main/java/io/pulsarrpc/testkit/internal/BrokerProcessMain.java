package io.pulsarrpc.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;

/**
 * Entry point of the embedded broker's child JVM. Not API.
 *
 * <p>It ties the broker's life to the test JVM that started it: when the parent goes away for any
 * reason, even {@code kill -9}, the pipe on standard input closes and this JVM exits, so no broker
 * outlives its tests. Then it runs Pulsar's standalone starter with the given arguments.
 */
public final class BrokerProcessMain {

  private static final String STANDALONE_STARTER = "org.apache.pulsar.PulsarStandaloneStarter";

  private BrokerProcessMain() {}

  /**
   * Starts the parent watchdog, then the standalone broker.
   *
   * @param args the arguments of {@code PulsarStandaloneStarter}
   * @throws Exception when the broker cannot start
   */
  public static void main(String[] args) throws Exception {
    Thread watchdog = new Thread(BrokerProcessMain::exitWhenParentGoes, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      Class.forName(STANDALONE_STARTER)
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static void exitWhenParentGoes() {
    try (InputStream in = System.in) {
      byte[] buffer = new byte[64];
      while (in.read(buffer) >= 0) {
        // The parent never writes; reading only waits for end of stream.
      }
    } catch (IOException e) {
      // A broken pipe means the parent is gone, as end of stream does.
    }
    System.err.println("Parent process is gone; stopping the embedded broker.");
    Thread halter =
        new Thread(
            () -> {
              sleepQuietly(15_000);
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
