package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.BusConsumer;
import java.util.concurrent.CompletableFuture;

/** A consumer as its bus manages it, on JetStream or on core NATS. */
interface ManagedConsumer<T> extends BusConsumer<T> {

  /** Starts taking messages; called once, after the bus registered the consumer. */
  void start();

  /** Closes with {@code reason} as the message of the failed receives. Idempotent. */
  CompletableFuture<Void> close(String reason);

  /**
   * Completes when the closed consumer no longer uses the connection, which the bus may then close.
   */
  default CompletableFuture<Void> drained() {
    return CompletableFuture.completedFuture(null);
  }
}
