package io.pulsarrpc.testkit.internal;

import java.lang.reflect.InvocationTargetException;

/**
 * Entry point of the embedded broker's child JVM. Not API.
 *
 * <p>It ties the broker's life to the test JVM that started it ({@link ParentWatchdog}), then runs
 * Pulsar's standalone starter with the given arguments.
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
    ParentWatchdog.start("the embedded broker");
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
}
