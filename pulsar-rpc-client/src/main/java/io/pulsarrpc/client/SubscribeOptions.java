package io.pulsarrpc.client;

import io.pulsarrpc.common.internal.CallTopics;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Options of one subscription: its topic, whether it is a broadcast or a queue subscription, and
 * how many updates it buffers for a slow listener. Immutable; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * subscriber.subscribeAsync(
 *     progress -> dashboard.show(progress),
 *     SubscribeOptions.defaults().withTopic("eu").withMaxBufferedUpdates(100));
 * }</pre>
 */
public final class SubscribeOptions {

  /** The default {@link #withMaxBufferedUpdates(int)}: 1 000 updates. */
  public static final int DEFAULT_MAX_BUFFERED_UPDATES = 1_000;

  private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final SubscribeOptions DEFAULTS =
      new SubscribeOptions(null, null, DEFAULT_MAX_BUFFERED_UPDATES, UpdateOverflow.BACK_PRESSURE);

  private final String topic;
  private final String queue;
  private final int maxBufferedUpdates;
  private final UpdateOverflow overflow;

  private SubscribeOptions(
      String topic, String queue, int maxBufferedUpdates, UpdateOverflow overflow) {
    this.topic = topic;
    this.queue = queue;
    this.maxBufferedUpdates = maxBufferedUpdates;
    this.overflow = overflow;
  }

  /**
   * No topic, broadcast, at most {@value #DEFAULT_MAX_BUFFERED_UPDATES} buffered updates, {@link
   * UpdateOverflow#BACK_PRESSURE}.
   */
  public static SubscribeOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Receives the updates published with {@code topic} ({@code publishAsync(topic, update)}) and no
   * other. Without it, the subscription receives the updates published without topic.
   *
   * @param topic 1 to 64 letters, digits, {@code _} or {@code -}
   * @throws IllegalArgumentException when the name is not acceptable
   */
  public SubscribeOptions withTopic(String topic) {
    return new SubscribeOptions(
        CallTopics.checkedTopic(topic), queue, maxBufferedUpdates, overflow);
  }

  /**
   * Makes this a queue subscription: the subscriptions with the same {@code group} (on the same
   * update topic and topic, in any process) share the updates, each update going to exactly one of
   * them. The group is the name of a durable subscription on the bus, as is: it starts at the
   * updates published after it was first made, and on a durable bus keeps the updates published
   * while every subscriber of the group is away, for the next one. Without it, the subscription is
   * a broadcast one: it gets every update published while it is open, and nothing is kept for it
   * once it is closed.
   *
   * @param group 1 to 64 letters, digits, {@code _} or {@code -}
   * @throws IllegalArgumentException when the name is not acceptable
   */
  public SubscribeOptions withQueue(String group) {
    if (group == null || !QUEUE.matcher(group).matches()) {
      throw new IllegalArgumentException(
          "queue group must be 1 to 64 letters, digits, '_' or '-', got '" + group + "'");
    }
    return new SubscribeOptions(topic, group, maxBufferedUpdates, overflow);
  }

  /**
   * The most updates the subscription takes from the bus and holds before its listener has them,
   * besides the one the listener is handling. What happens when it is full is {@link
   * #withOverflow}'s policy. The bus may prefetch as many again for the subscriber (Pulsar's
   * receiver queue, a Redis or NATS batch), at most {@value #DEFAULT_MAX_BUFFERED_UPDATES}. Default
   * {@value #DEFAULT_MAX_BUFFERED_UPDATES}.
   *
   * @throws IllegalArgumentException unless at least 1
   */
  public SubscribeOptions withMaxBufferedUpdates(int maxBufferedUpdates) {
    if (maxBufferedUpdates < 1) {
      throw new IllegalArgumentException(
          "maxBufferedUpdates must be at least 1, got " + maxBufferedUpdates);
    }
    return new SubscribeOptions(topic, queue, maxBufferedUpdates, overflow);
  }

  /**
   * What to do when the buffer is full. Default {@link UpdateOverflow#BACK_PRESSURE}.
   *
   * @throws IllegalArgumentException when null
   */
  public SubscribeOptions withOverflow(UpdateOverflow overflow) {
    if (overflow == null) {
      throw new IllegalArgumentException("overflow must not be null");
    }
    return new SubscribeOptions(topic, queue, maxBufferedUpdates, overflow);
  }

  /** The topic, or null for none. */
  public String topic() {
    return topic;
  }

  /** The queue group, or null for a broadcast subscription. */
  public String queue() {
    return queue;
  }

  /** The most updates buffered for the listener. */
  public int maxBufferedUpdates() {
    return maxBufferedUpdates;
  }

  /** What happens when the buffer is full. */
  public UpdateOverflow overflow() {
    return overflow;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SubscribeOptions that
        && Objects.equals(topic, that.topic)
        && Objects.equals(queue, that.queue)
        && maxBufferedUpdates == that.maxBufferedUpdates
        && overflow == that.overflow;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, queue, maxBufferedUpdates, overflow);
  }

  @Override
  public String toString() {
    return "SubscribeOptions[topic="
        + topic
        + ", queue="
        + queue
        + ", maxBufferedUpdates="
        + maxBufferedUpdates
        + ", overflow="
        + overflow
        + "]";
  }
}
