package io.pulsarrpc.spring.boot.client;

import org.springframework.context.SmartLifecycle;

/**
 * Closes clients the starter built (those of {@link PulsarRpcClients}, or the generated ones) when
 * the context stops. Spring for Apache Pulsar closes its {@code PulsarClient} when the context
 * stops too, in the last phase ({@code Integer.MIN_VALUE / 2 - 200}), before any bean is destroyed:
 * closed only as beans, the clients would find their reply consumers cut off under them (and each
 * receive loop would log its failure). Closing is idempotent, so the beans' own {@code close()} at
 * destruction does nothing more. A context stopped and started again does not reopen them.
 *
 * <p>Its phase is {@value #PHASE}: it stops after the servers (whose handlers may still call other
 * services while they drain) and after Spring Boot's web server has drained and stopped ({@code
 * DEFAULT_PHASE - 1024} and {@code - 2048}), whose requests may call through these clients too. It
 * has nothing to start. Called by Spring's lifecycle processor, one call at a time.
 */
final class ClientsLifecycle implements SmartLifecycle {

  /**
   * Below every phase that may still call out through a client while it stops, above the {@code
   * PulsarClient}'s.
   */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final Runnable closeClients;
  private volatile boolean running;

  /**
   * @param closeClients closes the clients; idempotent
   */
  ClientsLifecycle(Runnable closeClients) {
    this.closeClients = closeClients;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    closeClients.run();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
