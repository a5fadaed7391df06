package io.pulsarrpc.bus;

import java.util.Map;

/**
 * One message to publish.
 *
 * @param key the message key (the RPC layer puts the correlation id here); may be null
 * @param value the value, encoded by the producer's schema; may be null only where the schema
 *     allows it
 * @param properties string properties, copied
 * @param deliverAt epoch milliseconds before which the message must not be delivered, or 0 to
 *     deliver at once
 * @param config bus-specific message settings (for Pulsar, the keys of {@code
 *     TypedMessageBuilder.loadConf}), applied after the fields above; other buses refuse keys they
 *     do not know
 */
public record OutgoingMessage<T>(
    String key,
    T value,
    Map<String, String> properties,
    long deliverAt,
    Map<String, Object> config) {

  /**
   * @throws IllegalArgumentException when {@code deliverAt} is negative
   */
  public OutgoingMessage {
    if (deliverAt < 0) {
      throw new IllegalArgumentException("deliverAt must be 0 or epoch millis, got " + deliverAt);
    }
    properties = properties == null ? Map.of() : Map.copyOf(properties);
    config = config == null ? Map.of() : Map.copyOf(config);
  }

  /** A message delivered at once, with no bus-specific settings. */
  public static <T> OutgoingMessage<T> of(String key, T value, Map<String, String> properties) {
    return new OutgoingMessage<>(key, value, properties, 0, Map.of());
  }
}
