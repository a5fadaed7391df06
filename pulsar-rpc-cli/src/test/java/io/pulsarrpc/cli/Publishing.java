package io.pulsarrpc.cli;

import static org.awaitility.Awaitility.await;

import io.pulsarrpc.server.PulsarRpcPublisher;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes numbered updates until a subscribing command ends: a subscription made by another
 * thread cannot be observed, so the test keeps publishing (bounded in time) until it has its
 * updates.
 */
final class Publishing {

  private Publishing() {}

  static void until(
      CompletableFuture<?> subscriber, PulsarRpcPublisher<String> publisher, String prefix) {
    AtomicInteger number = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!subscriber.isDone()) {
                publisher.publish(prefix + "-" + number.incrementAndGet());
              }
              return subscriber.isDone();
            });
  }
}
