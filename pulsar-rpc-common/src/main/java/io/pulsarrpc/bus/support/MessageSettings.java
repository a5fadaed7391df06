package io.pulsarrpc.bus.support;

import io.pulsarrpc.bus.OutgoingMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The key, properties and delivery time of an {@link OutgoingMessage} once its {@link
 * OutgoingMessage#config() config} is applied, for a bus that is not Pulsar.
 *
 * <p>The config keys are those of Pulsar's {@code TypedMessageBuilder.loadConf} that mean something
 * on any bus, with Pulsar's value types, so that one message config means the same on every bus:
 * {@code key} (String, replaces the key), {@code properties} (Map of String to String, merged over
 * the message's properties), {@code deliverAt} (Long, epoch milliseconds), {@code
 * deliverAfterSeconds} (Long, seconds from now) and {@code eventTime} (Long, accepted and ignored:
 * no bus but Pulsar stores an event time). Pulsar's replication and sequence id keys, and any other
 * key, are refused. Immutable.
 *
 * @param key the message key, null for none
 * @param properties the message properties, merged with the config's
 * @param deliverAt epoch milliseconds before which the message must not be delivered; 0 for at once
 */
public record MessageSettings(String key, Map<String, String> properties, long deliverAt) {

  /** Replaces the key; a String. */
  public static final String KEY = "key";

  /** Merged over the message's properties; a Map of String to String. */
  public static final String PROPERTIES = "properties";

  /** Accepted and ignored; a Long. */
  public static final String EVENT_TIME = "eventTime";

  /** Epoch milliseconds of delivery; a Long, not with {@link #DELIVER_AFTER_SECONDS}. */
  public static final String DELIVER_AT = "deliverAt";

  /** Seconds from now until delivery; a Long, not with {@link #DELIVER_AT}. */
  public static final String DELIVER_AFTER_SECONDS = "deliverAfterSeconds";

  private static final Set<String> SUPPORTED =
      Set.of(KEY, PROPERTIES, EVENT_TIME, DELIVER_AT, DELIVER_AFTER_SECONDS);

  /** The properties, copied and unmodifiable. */
  public MessageSettings {
    properties = Map.copyOf(properties);
  }

  /**
   * Applies {@code message.config()} over the message's fields.
   *
   * @param now the current time in epoch milliseconds, the base of {@code deliverAfterSeconds}
   * @param busName the bus's {@link io.pulsarrpc.bus.MessageBus#name() name}, for error messages
   * @throws IllegalArgumentException naming the offending key when a key is not supported, a value
   *     is null, has the wrong type or is negative, or both {@code deliverAt} and {@code
   *     deliverAfterSeconds} are set
   */
  public static MessageSettings resolve(OutgoingMessage<?> message, long now, String busName) {
    return resolve(
        message.key(), message.properties(), message.deliverAt(), message.config(), now, busName);
  }

  /**
   * Applies {@code config} over a message's {@code key}, {@code properties} and {@code deliverAt}:
   * {@link #resolve(OutgoingMessage, long, String)} for a message not held in an {@link
   * OutgoingMessage}.
   *
   * @throws IllegalArgumentException as {@link #resolve(OutgoingMessage, long, String)} does
   */
  public static MessageSettings resolve(
      String key,
      Map<String, String> properties,
      long deliverAt,
      Map<String, ?> config,
      long now,
      String busName) {
    if (config.isEmpty()) {
      // The common case, on every send of every bus: nothing to check or merge.
      return new MessageSettings(key, properties, deliverAt);
    }
    Set<String> refused = new TreeSet<>(config.keySet());
    refused.removeAll(SUPPORTED);
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException(
          "the "
              + busName
              + " bus does not support message config keys "
              + refused
              + "; supported keys are "
              + new TreeSet<>(SUPPORTED));
    }
    if (config.containsKey(DELIVER_AT) && config.containsKey(DELIVER_AFTER_SECONDS)) {
      throw new IllegalArgumentException(
          "set at most one of message config keys deliverAt and deliverAfterSeconds");
    }
    Map<String, String> merged = new HashMap<>(properties);
    for (Map.Entry<String, ?> setting : config.entrySet()) {
      Object value = setting.getValue();
      switch (setting.getKey()) {
        case KEY -> key = typed(KEY, value, String.class);
        case PROPERTIES -> merged.putAll(stringMap(value));
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
    return new MessageSettings(key, merged, deliverAt);
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
