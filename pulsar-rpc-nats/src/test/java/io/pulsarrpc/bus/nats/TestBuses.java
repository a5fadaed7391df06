package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.contract.BusTestSupport;
import java.time.Duration;

/** Buses and names for the integration tests of the NATS bus. */
final class TestBuses {

  /**
   * Short enough for a test to wait for it. Every bus of the test JVM uses the same value, since
   * the bus that creates the lease bucket fixes its time-to-live for all.
   */
  static final Duration LEASE_TTL = Duration.ofSeconds(2);

  private TestBuses() {}

  /** A builder on {@code connection}, which the bus leaves open, with test-friendly delays. */
  static NatsMessageBusBuilder on(Connection connection) {
    return withTestDelays(NatsMessageBus.builder().connection(connection));
  }

  /** A builder of a bus with a connection of its own to {@code nats}, with test-friendly delays. */
  static NatsMessageBusBuilder at(NatsTestServer nats) {
    return withTestDelays(NatsMessageBus.builder().url(nats.url()));
  }

  private static NatsMessageBusBuilder withTestDelays(NatsMessageBusBuilder builder) {
    return builder.exclusiveLeaseTtl(LEASE_TTL).negativeAckRedeliveryDelay(Duration.ofMillis(200));
  }

  /** A Pulsar-style topic name no other test uses. */
  static String newTopic(String name) {
    return "persistent://public/default/" + BusTestSupport.uniqueName(name);
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
}
