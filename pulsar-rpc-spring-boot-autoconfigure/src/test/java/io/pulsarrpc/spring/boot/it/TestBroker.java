package io.pulsarrpc.spring.boot.it;

import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The broker of one test class, started on first use and given to Spring Boot by its URL. Its data
 * and log stay in {@code target/brokers/<class>} until the next run, to read after a failure.
 * Thread-safe.
 *
 * <p>A {@code @SpringBootTest} class closes its broker with {@link ClosedAfterTheApplication},
 * declared before {@code @SpringBootTest} and beside {@code @DirtiesContext}: Spring then closes
 * the class's application first, while its broker still answers. Spring otherwise keeps the
 * application until the JVM ends, and its clients would retry the closed broker's port until then
 * (and connect to a later test class's broker that got the same port).
 */
public final class TestBroker {

  private static final Map<Class<?>, TestBroker> BY_TEST_CLASS = new ConcurrentHashMap<>();

  private final Path directory;
  private EmbeddedPulsarBroker broker;
  private RuntimeException startFailure;

  /** The broker of {@code testClass}, whose directory is {@code target/brokers/<simple name>}. */
  public TestBroker(Class<?> testClass) {
    this.directory = Path.of("target", "brokers", testClass.getSimpleName()).toAbsolutePath();
    BY_TEST_CLASS.put(testClass, this);
  }

  /**
   * Closes the test class's broker after every other extension's {@code afterAll}, Spring's close
   * of a {@code @DirtiesContext} application included, when declared before them.
   */
  public static final class ClosedAfterTheApplication implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
      TestBroker broker = BY_TEST_CLASS.get(context.getRequiredTestClass());
      if (broker != null) {
        broker.close();
      }
    }
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
