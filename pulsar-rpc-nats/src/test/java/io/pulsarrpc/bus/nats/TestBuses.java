package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Buses and names for the integration tests. */
final class TestBuses {

  static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Short enough for a test to wait for it. Every bus of the test JVM uses the same value, since
   * the bus that creates the lease bucket fixes its time-to-live for all.
   */
  static final Duration LEASE_TTL = Duration.ofSeconds(2);

  private TestBuses() {}

  /** A builder on {@code connection} with test-friendly delays. */
  static NatsMessageBusBuilder on(Connection connection) {
    return NatsMessageBus.builder()
        .connection(connection)
        .exclusiveLeaseTtl(LEASE_TTL)
        .negativeAckRedeliveryDelay(Duration.ofMillis(200));
  }

  /** A Pulsar-style topic name no other test uses. */
  static String newTopic(String name) {
    return "persistent://public/default/"
        + name
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  static <T> T join(CompletableFuture<T> future) {
    return future.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** Receives and acknowledges until the consumer closes, recording the values. */
  static void receiveForever(BusConsumer<String> consumer, List<String> values) {
    consumer
        .receive()
        .thenAccept(
            message -> {
              values.add(message.value());
              message.acknowledge();
              receiveForever(consumer, values);
            });
  }

  /** Closes a connection of a test; jnats's close() throws a checked InterruptedException. */
  static void close(Connection connection) {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The value of the next message, acknowledged. */
  static <T> T receiveAndAcknowledge(BusConsumer<T> consumer) {
    IncomingMessage<T> message = join(consumer.receive());
    join(message.acknowledge());
    return message.value();
  }
}
