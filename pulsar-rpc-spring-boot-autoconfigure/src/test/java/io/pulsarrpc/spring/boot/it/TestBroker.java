package io.pulsarrpc.spring.boot.it;

import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The broker of one test class, started on first use and given to Spring Boot by its URL. Its data
 * and log stay in {@code target/brokers/<name>} until the next run, to read after a failure.
 */
public final class TestBroker {

  private final Path directory;
  private EmbeddedPulsarBroker broker;
  private RuntimeException startFailure;

  /** A broker whose directory is {@code target/brokers/<name>}. */
  public TestBroker(String name) {
    this.directory = Path.of("target", "brokers", name).toAbsolutePath();
  }

  /** Starts the broker if needed, and points {@code spring.pulsar.client.service-url} at it. */
  public void register(DynamicPropertyRegistry registry) {
    registry.add("spring.pulsar.client.service-url", () -> broker().serviceUrl());
  }

  /**
   * The running broker.
   *
   * @throws IllegalStateException when it did not start (every time, with the first failure)
   */
  public synchronized EmbeddedPulsarBroker broker() {
    if (startFailure != null) {
      throw startFailure;
    }
    if (broker == null) {
      deleteDirectory();
      // No dispatch delay, so that each call takes milliseconds, not tens of them.
      EmbeddedPulsarBroker started =
          EmbeddedPulsarBroker.builder()
              .brokerSetting("managedLedgerNewEntriesCheckDelayInMillis", "0")
              .workDirectory(directory)
              .build();
      try {
        started.start();
      } catch (RuntimeException e) {
        started.close();
        startFailure = e;
        throw e;
      }
      broker = started;
    }
    return broker;
  }

  /** Stops the broker. */
  public synchronized void close() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  private void deleteDirectory() {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
