package io.pulsarrpc.spring.boot.it;

import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The broker of one test class, started on first use and given to Spring Boot by its URL. */
public final class TestBroker {

  private EmbeddedPulsarBroker broker;

  /** Starts the broker if needed, and points {@code spring.pulsar.client.service-url} at it. */
  public synchronized void register(DynamicPropertyRegistry registry) {
    registry.add("spring.pulsar.client.service-url", () -> broker().serviceUrl());
  }

  /** The running broker. */
  public synchronized EmbeddedPulsarBroker broker() {
    if (broker == null) {
      // No dispatch delay, so that each call takes milliseconds, not tens of them.
      broker =
          EmbeddedPulsarBroker.builder()
              .brokerSetting("managedLedgerNewEntriesCheckDelayInMillis", "0")
              .build();
      broker.start();
    }
    return broker;
  }

  /** Stops and deletes the broker. */
  public synchronized void close() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }
}
