package io.pulsarrpc.server;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.common.PulsarRpcServerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Settings of a {@link PulsarRpcPublisher}. Setters reject a bad single value with {@link
 * IllegalArgumentException}; {@link #build} checks the settings together and names what is missing.
 * Not thread-safe; a builder may build several publishers.
 *
 * <pre>{@code
 * PulsarRpcPublisher<String> publisher =
 *     PulsarRpcPublisher.builder(Schema.STRING)
 *         .updateTopic("persistent://public/default/job-progress")
 *         .build(pulsarClient);
 * }</pre>
 */
public final class PulsarRpcPublisherBuilder<U> {

  final Schema<U> updateSchema;
  String updateTopic;
  Map<String, Object> producerConfig = Map.of();

  PulsarRpcPublisherBuilder(Schema<U> updateSchema) {
    this.updateSchema = updateSchema;
  }

  /**
   * The topic updates are published to (and, with a topic, the base of its bus topic). Required.
   */
  public PulsarRpcPublisherBuilder<U> updateTopic(String updateTopic) {
    if (updateTopic == null || updateTopic.isBlank()) {
      throw new IllegalArgumentException("updateTopic must not be blank");
    }
    this.updateTopic = updateTopic;
    return this;
  }

  /**
   * Settings of the update producers; on Pulsar, applied through {@code ProducerBuilder.loadConf}
   * (for example {@code batchingMaxPublishDelayMicros}). Checked against the bus by {@link #build}.
   * Default: none.
   */
  public PulsarRpcPublisherBuilder<U> producerConfig(Map<String, Object> config) {
    if (config == null) {
      throw new IllegalArgumentException("producerConfig must not be null");
    }
    this.producerConfig = Map.copyOf(config);
    return this;
  }

  /**
   * Builds a publisher over Pulsar. The publisher uses {@code pulsarClient} and does not close it.
   * Blocks until the update topic's producer exists.
   *
   * @throws IllegalArgumentException when settings are missing or the bus refuses the producer
   *     settings
   * @throws PulsarRpcServerException when the broker refuses the producer
   */
  public PulsarRpcPublisher<U> build(PulsarClient pulsarClient) throws PulsarRpcServerException {
    if (pulsarClient == null) {
      throw new IllegalArgumentException("pulsarClient must not be null");
    }
    validate();
    return UpdatePublisher.start(this, PulsarMessageBus.create(pulsarClient), true);
  }

  /**
   * Builds a publisher over any bus. The publisher does not close {@code bus}. Blocks until the
   * update topic's producer exists.
   *
   * @throws IllegalArgumentException when settings are missing or the bus refuses the producer
   *     settings
   * @throws PulsarRpcServerException when the bus refuses the producer
   */
  public PulsarRpcPublisher<U> build(MessageBus bus) throws PulsarRpcServerException {
    if (bus == null) {
      throw new IllegalArgumentException("bus must not be null");
    }
    validate();
    return UpdatePublisher.start(this, bus, false);
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (updateSchema == null) {
      problems.add("updateSchema is null: pass it to PulsarRpcPublisher.builder");
    }
    if (updateTopic == null) {
      problems.add("updateTopic is not set: the topic subscribers subscribe to");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot build PulsarRpcPublisher: " + String.join("; ", problems));
    }
  }
}
