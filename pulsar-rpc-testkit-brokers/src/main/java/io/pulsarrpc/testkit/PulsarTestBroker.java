package io.pulsarrpc.testkit;

import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * A Pulsar broker for tests: either an {@link EmbeddedPulsarBroker} that the testkit runs itself,
 * or a broker you run, named by the {@code PULSAR_SERVICE_URL} and {@code PULSAR_ADMIN_URL}
 * environment variables.
 *
 * <p>Implementations are thread-safe. {@link #client()} and {@link #admin()} are created on first
 * use, shared, and closed by {@link #close()}; do not close them yourself.
 */
public interface PulsarTestBroker extends AutoCloseable {

  /**
   * Environment variable naming an external broker's service URL, e.g. {@code pulsar://host:6650}.
   */
  String SERVICE_URL_VARIABLE = "PULSAR_SERVICE_URL";

  /** Environment variable naming an external broker's admin URL, e.g. {@code http://host:8080}. */
  String ADMIN_URL_VARIABLE = "PULSAR_ADMIN_URL";

  /**
   * The broker named by {@code PULSAR_SERVICE_URL} (and {@code PULSAR_ADMIN_URL}) when that is set;
   * otherwise a new {@link EmbeddedPulsarBroker} with default settings, started.
   *
   * @throws IllegalStateException when the embedded broker does not come up; the message holds the
   *     tail of its log
   */
  static PulsarTestBroker startFromEnvironment() {
    String serviceUrl = System.getenv(SERVICE_URL_VARIABLE);
    if (serviceUrl != null && !serviceUrl.isBlank()) {
      return new ExternalPulsarBroker(serviceUrl, System.getenv(ADMIN_URL_VARIABLE));
    }
    EmbeddedPulsarBroker broker = EmbeddedPulsarBroker.builder().build();
    try {
      broker.start();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /** The binary protocol URL, e.g. {@code pulsar://127.0.0.1:41234}. */
  String serviceUrl();

  /**
   * The HTTP admin URL, e.g. {@code http://127.0.0.1:41235}.
   *
   * @throws IllegalStateException for an external broker whose {@code PULSAR_ADMIN_URL} is not set
   */
  String adminUrl();

  /** A client connected to this broker, shared by every caller; it reconnects after a restart. */
  PulsarClient client();

  /**
   * An admin client for this broker, shared by every caller.
   *
   * @throws IllegalStateException for an external broker whose {@code PULSAR_ADMIN_URL} is not set
   */
  PulsarAdmin admin();

  /**
   * A persistent topic name in {@code public/default} that no other call returns: {@code name}
   * (characters outside {@code [A-Za-z0-9_-]} replaced by {@code -}) plus a random suffix.
   *
   * @throws IllegalArgumentException when {@code name} is null or blank
   */
  default String newTopic(String name) {
    return TopicNames.unique(name);
  }

  /**
   * Whether the testkit runs this broker, so that {@link #stop()}, {@link #start()} and {@link
   * #kill()} work.
   */
  boolean isEmbedded();

  /**
   * Stops the broker gracefully, keeping its data for {@link #start()}.
   *
   * @throws UnsupportedOperationException for an external broker
   */
  void stop();

  /**
   * Starts the broker on the same ports and data; returns when it serves requests.
   *
   * @throws UnsupportedOperationException for an external broker
   * @throws IllegalStateException when it does not come up; the message holds the tail of its log
   */
  void start();

  /**
   * Kills the broker process at once with SIGKILL ({@code kill -9}), as a crash would; {@link
   * #start()} brings it back on the same data.
   *
   * @throws UnsupportedOperationException for an external broker
   */
  void kill();

  /** Closes the shared clients and, for an embedded broker, stops it and deletes its data. */
  @Override
  void close();
}
