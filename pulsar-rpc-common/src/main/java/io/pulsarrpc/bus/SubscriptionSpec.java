package io.pulsarrpc.bus;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.Schema;

/**
 * What to consume: one topic or a topic pattern, under a named subscription that is durable or
 * temporary ({@link SubscriptionLifetime}).
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
 * @param lifetime whether the subscription outlives its consumers ({@link
 *     SubscriptionLifetime#DURABLE}) or lives only as long as its one consumer ({@link
 *     SubscriptionLifetime#TEMPORARY}: then the mode must be {@link SubscriptionMode#EXCLUSIVE} and
 *     the initial position {@link InitialPosition#LATEST})
 */
public record SubscriptionSpec<T>(
    String topic,
    Pattern topicsPattern,
    String subscription,
    SubscriptionMode mode,
    InitialPosition initialPosition,
    Schema<T> schema,
    Duration patternAutoDiscoveryInterval,
    int receiverQueueSize,
    SubscriptionLifetime lifetime) {

  /** The default {@code patternAutoDiscoveryInterval}: one minute, as Pulsar's client. */
  public static final Duration DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL = Duration.ofMinutes(1);

  /** The default {@code receiverQueueSize}: 1000, as Pulsar's client. */
  public static final int DEFAULT_RECEIVER_QUEUE_SIZE = 1000;

  /** The prefix of the names {@link #temporary} gives its subscriptions. */
  public static final String TEMPORARY_NAME_PREFIX = "temporary-";

  /**
   * @throws IllegalArgumentException when not exactly one of topic and pattern is set, another
   *     field is missing or out of range, or a temporary subscription is not exclusive or does not
   *     start at the latest position
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
    if (lifetime == null) {
      throw new IllegalArgumentException("lifetime must not be null");
    }
    if (lifetime == SubscriptionLifetime.TEMPORARY && mode != SubscriptionMode.EXCLUSIVE) {
      throw new IllegalArgumentException(
          "a TEMPORARY subscription has exactly one consumer: its mode must be EXCLUSIVE, got "
              + mode);
    }
    if (lifetime == SubscriptionLifetime.TEMPORARY && initialPosition != InitialPosition.LATEST) {
      throw new IllegalArgumentException(
          "a TEMPORARY subscription starts at LATEST (it gets what is published after it exists),"
              + " got "
              + initialPosition);
    }
  }

  /**
   * A {@link SubscriptionLifetime#DURABLE} subscription: the form that predates lifetimes.
   *
   * @throws IllegalArgumentException as the canonical constructor
   */
  public SubscriptionSpec(
      String topic,
      Pattern topicsPattern,
      String subscription,
      SubscriptionMode mode,
      InitialPosition initialPosition,
      Schema<T> schema,
      Duration patternAutoDiscoveryInterval,
      int receiverQueueSize) {
    this(
        topic,
        topicsPattern,
        subscription,
        mode,
        initialPosition,
        schema,
        patternAutoDiscoveryInterval,
        receiverQueueSize,
        SubscriptionLifetime.DURABLE);
  }

  /** A durable subscription to one topic with the defaults for the other fields. */
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

  /**
   * A {@link SubscriptionLifetime#TEMPORARY} subscription to one topic under a new unique name
   * ({@value #TEMPORARY_NAME_PREFIX} and a random UUID): exclusive, from the latest position, with
   * the default receiver queue size. Every call names another subscription, so every consumer made
   * from one of these specs gets every message published to {@code topic} while it is open.
   *
   * @throws IllegalArgumentException when {@code topic} is blank or {@code schema} null
   */
  public static <T> SubscriptionSpec<T> temporary(String topic, Schema<T> schema) {
    return temporary(topic, TEMPORARY_NAME_PREFIX + UUID.randomUUID(), schema);
  }

  /**
   * A {@link SubscriptionLifetime#TEMPORARY} subscription to one topic under the given name, which
   * no other subscription of the topic may hold (a bus refuses the name of a durable subscription,
   * or of a temporary one that has its consumer): exclusive, from the latest position, with the
   * default receiver queue size.
   *
   * @throws IllegalArgumentException when {@code topic} or {@code subscription} is blank or {@code
   *     schema} null
   */
  public static <T> SubscriptionSpec<T> temporary(
      String topic, String subscription, Schema<T> schema) {
    return new SubscriptionSpec<>(
        topic,
        null,
        subscription,
        SubscriptionMode.EXCLUSIVE,
        InitialPosition.LATEST,
        schema,
        DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL,
        DEFAULT_RECEIVER_QUEUE_SIZE,
        SubscriptionLifetime.TEMPORARY);
  }

  /** Whether the subscription lives only as long as its consumer. */
  public boolean isTemporary() {
    return lifetime == SubscriptionLifetime.TEMPORARY;
  }

  /** Whether this subscribes to a pattern rather than one topic. */
  public boolean isPattern() {
    return topicsPattern != null;
  }
}
