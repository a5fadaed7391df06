package io.pulsarrpc.bus;

import java.util.Map;
import java.util.Objects;
import org.apache.pulsar.client.api.Schema;

/**
 * What a producer publishes: its topic, the schema that encodes values, and bus-specific producer
 * settings (for Pulsar, the keys of {@code ProducerBuilder.loadConf}; other buses refuse keys they
 * do not know).
 *
 * @param topic the topic, never blank
 * @param schema encodes values
 * @param config bus-specific producer settings, possibly empty
 */
public record ProducerSpec<T>(String topic, Schema<T> schema, Map<String, Object> config) {

  /**
   * @throws IllegalArgumentException when the topic is blank or the schema missing
   */
  public ProducerSpec {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("producer topic must not be blank");
    }
    if (schema == null) {
      throw new IllegalArgumentException("producer schema must not be null");
    }
    config = config == null ? Map.of() : Map.copyOf(config);
  }

  /** A producer with no bus-specific settings. */
  public static <T> ProducerSpec<T> of(String topic, Schema<T> schema) {
    return new ProducerSpec<>(topic, schema, Map.of());
  }

  @Override
  public String toString() {
    return "ProducerSpec[topic=" + topic + ", config=" + Objects.toString(config) + "]";
  }
}
