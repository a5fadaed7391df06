package io.pulsarrpc.bus.nats;

import io.pulsarrpc.bus.OutgoingMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The key, properties and delivery time of an {@link OutgoingMessage} once its {@link
 * OutgoingMessage#config() config} is applied.
 *
 * <p>The config keys are those of Pulsar's {@code TypedMessageBuilder.loadConf} that mean something
 * on NATS, with Pulsar's value types, so that one message config means the same on every bus:
 * {@code key} (String, replaces the key), {@code properties} (Map of String to String, merged over
 * the message's properties), {@code deliverAt} (Long, epoch milliseconds), {@code
 * deliverAfterSeconds} (Long, seconds from now) and {@code eventTime} (Long, accepted and ignored:
 * NATS has no event time). Any other key is refused.
 *
 * @param deliverAt epoch milliseconds before which the message must not be delivered; 0 for at once
 */
record MessageSettings(String key, Map<String, String> properties, long deliverAt) {

  static final String KEY = "key";
  static final String PROPERTIES = "properties";
  static final String EVENT_TIME = "eventTime";
  static final String DELIVER_AT = "deliverAt";
  static final String DELIVER_AFTER_SECONDS = "deliverAfterSeconds";

  private static final Set<String> SUPPORTED =
      Set.of(KEY, PROPERTIES, EVENT_TIME, DELIVER_AT, DELIVER_AFTER_SECONDS);

  /**
   * Applies {@code message.config()} over the message's fields.
   *
   * @param now the current time in epoch milliseconds, the base of {@code deliverAfterSeconds}
   * @throws IllegalArgumentException naming the offending key when a key is not supported, a value
   *     is null, has the wrong type or is negative, or both {@code deliverAt} and {@code
   *     deliverAfterSeconds} are set
   */
  static MessageSettings resolve(OutgoingMessage<?> message, long now) {
    Map<String, Object> config = message.config();
    if (config.isEmpty()) {
      // The common case, on every send: the message's own fields, already immutable copies.
      return new MessageSettings(message.key(), message.properties(), message.deliverAt());
    }
    Set<String> refused = new TreeSet<>(config.keySet());
    refused.removeAll(SUPPORTED);
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException(
          "the nats bus does not support message config keys "
              + refused
              + "; supported keys are "
              + new TreeSet<>(SUPPORTED));
    }
    if (config.containsKey(DELIVER_AT) && config.containsKey(DELIVER_AFTER_SECONDS)) {
      throw new IllegalArgumentException(
          "set at most one of message config keys deliverAt and deliverAfterSeconds");
    }
    String key = message.key();
    Map<String, String> properties = new HashMap<>(message.properties());
    long deliverAt = message.deliverAt();
    for (Map.Entry<String, Object> setting : config.entrySet()) {
      Object value = setting.getValue();
      switch (setting.getKey()) {
        case KEY -> key = typed(KEY, value, String.class);
        case PROPERTIES -> properties.putAll(stringMap(value));
        case EVENT_TIME -> typed(EVENT_TIME, value, Long.class);
        case DELIVER_AT ->
            deliverAt = notNegative(DELIVER_AT, typed(DELIVER_AT, value, Long.class));
        case DELIVER_AFTER_SECONDS -> {
          long seconds =
              notNegative(DELIVER_AFTER_SECONDS, typed(DELIVER_AFTER_SECONDS, value, Long.class));
          deliverAt = now + TimeUnit.SECONDS.toMillis(seconds);
        }
        default -> throw new AssertionError("unhandled supported key " + setting.getKey());
      }
    }
    return new MessageSettings(key, Map.copyOf(properties), deliverAt);
  }

  private static <V> V typed(String key, Object value, Class<V> type) {
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          "message config '"
              + key
              + "' must be a "
              + type.getName()
              + ", got "
              + (value == null ? "null" : value.getClass().getName()));
    }
    return type.cast(value);
  }

  private static long notNegative(String key, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "message config '" + key + "' must not be negative, got " + value);
    }
    return value;
  }

  private static Map<String, String> stringMap(Object value) {
    Map<?, ?> map = typed(PROPERTIES, value, Map.class);
    Map<String, String> properties = new HashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String name) || !(entry.getValue() instanceof String text)) {
        throw new IllegalArgumentException(
            "message config 'properties' must map String to String, got the entry " + entry);
      }
      properties.put(name, text);
    }
    return properties;
  }
}
