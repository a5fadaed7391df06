package io.pulsarrpc.bus;

import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.Schema;

/**
 * What to consume: one topic or a topic pattern, under a named subscription.
 *
 * @param topic the topic, or null when {@code topicsPattern} is set
 * @param topicsPattern a pattern of topics, or null when {@code topic} is set; topics created later
 *     that match are picked up within {@code patternAutoDiscoveryInterval}
 * @param subscription the subscription's name, never blank
 * @param mode how consumers of the subscription share messages
 * @param initialPosition where a new subscription starts
 * @param schema decodes values
 * @param patternAutoDiscoveryInterval how often a pattern subscription looks for new topics
 * @param receiverQueueSize how many messages the bus may prefetch for this consumer (at least 1)
 */
public record SubscriptionSpec<T>(
    String topic,
    Pattern topicsPattern,
    String subscription,
    SubscriptionMode mode,
    InitialPosition initialPosition,
    Schema<T> schema,
    Duration patternAutoDiscoveryInterval,
    int receiverQueueSize) {

  /** The default {@code patternAutoDiscoveryInterval}: one minute, as Pulsar's client. */
  public static final Duration DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL = Duration.ofMinutes(1);

  /** The default {@code receiverQueueSize}: 1000, as Pulsar's client. */
  public static final int DEFAULT_RECEIVER_QUEUE_SIZE = 1000;

  /**
   * @throws IllegalArgumentException when not exactly one of topic and pattern is set, or another
   *     field is missing or out of range
   */
  public SubscriptionSpec {
    if ((topic == null || topic.isBlank()) == (topicsPattern == null)) {
      throw new IllegalArgumentException("set exactly one of topic and topicsPattern");
    }
    if (subscription == null || subscription.isBlank()) {
      throw new IllegalArgumentException("subscription must not be blank");
    }
    if (mode == null || initialPosition == null || schema == null) {
      throw new IllegalArgumentException("mode, initialPosition and schema must not be null");
    }
    if (patternAutoDiscoveryInterval == null
        || patternAutoDiscoveryInterval.isNegative()
        || patternAutoDiscoveryInterval.isZero()) {
      throw new IllegalArgumentException(
          "patternAutoDiscoveryInterval must be positive, got " + patternAutoDiscoveryInterval);
    }
    if (receiverQueueSize < 1) {
      throw new IllegalArgumentException(
          "receiverQueueSize must be at least 1, got " + receiverQueueSize);
    }
  }

  /** A subscription to one topic with the defaults for the other fields. */
  public static <T> SubscriptionSpec<T> ofTopic(
      String topic, String subscription, SubscriptionMode mode, Schema<T> schema) {
    return new SubscriptionSpec<>(
        topic,
        null,
        subscription,
        mode,
        InitialPosition.LATEST,
        schema,
        DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL,
        DEFAULT_RECEIVER_QUEUE_SIZE);
  }

  /** Whether this subscribes to a pattern rather than one topic. */
  public boolean isPattern() {
    return topicsPattern != null;
  }
}
