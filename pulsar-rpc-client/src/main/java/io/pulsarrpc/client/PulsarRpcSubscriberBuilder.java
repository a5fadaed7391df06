package io.pulsarrpc.client;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import java.util.ArrayList;
import java.util.List;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Settings of a {@link PulsarRpcSubscriber}. Setters reject a bad single value with {@link
 * IllegalArgumentException}; {@link #build} names what is missing. Building makes nothing on the
 * bus (each subscription does), so it never blocks. Not thread-safe; a builder may build several
 * subscribers.
 *
 * <pre>{@code
 * PulsarRpcSubscriber<String> subscriber =
 *     PulsarRpcSubscriber.builder(Schema.STRING)
 *         .updateTopic("persistent://public/default/job-progress")
 *         .build(pulsarClient);
 * }</pre>
 */
public final class PulsarRpcSubscriberBuilder<U> {

  final Schema<U> updateSchema;
  String updateTopic;

  PulsarRpcSubscriberBuilder(Schema<U> updateSchema) {
    this.updateSchema = updateSchema;
  }

  /** The topic the publisher publishes updates to. Required. */
  public PulsarRpcSubscriberBuilder<U> updateTopic(String updateTopic) {
    if (updateTopic == null || updateTopic.isBlank()) {
      throw new IllegalArgumentException("updateTopic must not be blank");
    }
    this.updateTopic = updateTopic;
    return this;
  }

  /**
   * Builds a subscriber over Pulsar. The subscriber uses {@code pulsarClient} and does not close
   * it.
   *
   * @throws IllegalArgumentException when settings are missing
   */
  public PulsarRpcSubscriber<U> build(PulsarClient pulsarClient) {
    if (pulsarClient == null) {
      throw new IllegalArgumentException("pulsarClient must not be null");
    }
    validate();
    return new UpdateSubscriber<>(this, PulsarMessageBus.create(pulsarClient), true);
  }

  /**
   * Builds a subscriber over any bus. The subscriber does not close {@code bus}.
   *
   * @throws IllegalArgumentException when settings are missing
   */
  public PulsarRpcSubscriber<U> build(MessageBus bus) {
    if (bus == null) {
      throw new IllegalArgumentException("bus must not be null");
    }
    validate();
    return new UpdateSubscriber<>(this, bus, false);
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (updateSchema == null) {
      problems.add("updateSchema is null: pass it to PulsarRpcSubscriber.builder");
    }
    if (updateTopic == null) {
      problems.add("updateTopic is not set: the topic the publisher publishes updates to");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot build PulsarRpcSubscriber: " + String.join("; ", problems));
    }
  }
}
