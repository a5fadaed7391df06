package io.pulsarrpc.testkit;

import io.pulsarrpc.testkit.internal.ManagedProcess;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The first start of a fixture's server, made again on fresh ports when another process took one of
 * its ports between {@link FreePorts#next()} and the server's bind (which several builds side by
 * side can do). Later starts (a restart after a kill) keep their ports: clients know them.
 *
 * <p>Called on the thread that starts the fixture.
 */
final class FirstStart {

  /** How many times a first start is made when each attempt finds a port taken. */
  static final int MOST_ATTEMPTS = 3;

  /** What a server of the testkit (Jetty, redis-server, nats-server) logs when a port is taken. */
  static final String PORT_TAKEN = "address already in use";

  private FirstStart() {}

  /**
   * Starts the process that {@code prepare} makes for attempt 1 with {@code start}; when the start
   * fails and the process logged {@value #PORT_TAKEN}, makes the next attempt, at most {@value
   * #MOST_ATTEMPTS} in all. {@code prepare} is given the attempt's number, from 1, and picks fresh
   * ports for every attempt after the first.
   *
   * @return the process that started
   * @throws IllegalStateException the last attempt's failure
   */
  static ManagedProcess run(IntFunction<ManagedProcess> prepare, Consumer<ManagedProcess> start) {
    for (int attempt = 1; ; attempt++) {
      ManagedProcess process = prepare.apply(attempt);
      try {
        start.accept(process);
        return process;
      } catch (IllegalStateException e) {
        if (attempt >= MOST_ATTEMPTS || !process.loggedSinceStart(PORT_TAKEN)) {
          throw e;
        }
      }
    }
  }
}
