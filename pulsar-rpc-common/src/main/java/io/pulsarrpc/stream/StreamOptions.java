package io.pulsarrpc.stream;

import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.MetadataRules;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of one stream: its topic, metadata for the server, and the time limits of the stream.
 * Immutable; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * RpcStream<Line, Line> chat =
 *     client.open(StreamOptions.defaults().withTopic("eu").withIdleTimeout(Duration.ofMinutes(5)));
 * }</pre>
 */
public final class StreamOptions {

  private static final StreamOptions DEFAULTS = new StreamOptions(null, Map.of(), null, null, null);

  private final String topic;
  private final Map<String, String> metadata;
  private final Duration deadline;
  private final Duration idleTimeout;
  private final Duration openTimeout;

  private StreamOptions(
      String topic,
      Map<String, String> metadata,
      Duration deadline,
      Duration idleTimeout,
      Duration openTimeout) {
    this.topic = topic;
    this.metadata = metadata;
    this.deadline = deadline;
    this.idleTimeout = idleTimeout;
    this.openTimeout = openTimeout;
  }

  /** No topic, no metadata, no deadline, no idle timeout, the client's open timeout. */
  public static StreamOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Opens the stream on the servers that registered {@code topic} for the request topic ({@code
   * PulsarRpcStreamServer.registerTopicAsync}) and on no other.
   *
   * @param topic 1 to 64 letters, digits, {@code _} or {@code -}
   * @throws IllegalArgumentException when the name is not acceptable
   */
  public StreamOptions withTopic(String topic) {
    return new StreamOptions(
        CallTopics.checkedTopic(topic), metadata, deadline, idleTimeout, openTimeout);
  }

  /**
   * Attaches metadata for the server, replacing any set before; the server's interceptors see it in
   * {@link StreamCall#metadata()}. Keys are 1 to 128 letters, digits, {@code .}, {@code _} or
   * {@code -}; values any text without line breaks.
   *
   * @throws IllegalArgumentException when null, or a key or value is not acceptable
   */
  public StreamOptions withMetadata(Map<String, String> metadata) {
    return new StreamOptions(
        topic, MetadataRules.checkedMetadata(metadata), deadline, idleTimeout, openTimeout);
  }

  /**
   * Limits the whole stream, from the open: when it passes, both sides close the stream with {@link
   * io.pulsarrpc.common.ErrorCode#DEADLINE_EXCEEDED}. Default: none.
   *
   * @throws IllegalArgumentException unless positive
   */
  public StreamOptions withDeadline(Duration deadline) {
    return new StreamOptions(
        topic, metadata, positive(deadline, "deadline"), idleTimeout, openTimeout);
  }

  /**
   * Closes the stream with {@link io.pulsarrpc.common.ErrorCode#DEADLINE_EXCEEDED} (the message
   * says idle) when no message went either way for this long; heartbeats and acknowledgements do
   * not count. Both sides apply it. Default: none.
   *
   * @throws IllegalArgumentException unless positive
   */
  public StreamOptions withIdleTimeout(Duration idleTimeout) {
    return new StreamOptions(
        topic, metadata, deadline, positive(idleTimeout, "idleTimeout"), openTimeout);
  }

  /**
   * How long the open waits for a server to accept, instead of the client's {@code openTimeout};
   * then it fails with {@link io.pulsarrpc.common.ErrorCode#NO_RESPONDERS}.
   *
   * @throws IllegalArgumentException unless positive
   */
  public StreamOptions withOpenTimeout(Duration openTimeout) {
    return new StreamOptions(
        topic, metadata, deadline, idleTimeout, positive(openTimeout, "openTimeout"));
  }

  /** The stream's topic, or null. */
  public String topic() {
    return topic;
  }

  /** The metadata; unmodifiable, possibly empty. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The stream's deadline, if it has one. */
  public Optional<Duration> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** The idle timeout, if there is one. */
  public Optional<Duration> idleTimeout() {
    return Optional.ofNullable(idleTimeout);
  }

  /** The open timeout, if this stream sets its own. */
  public Optional<Duration> openTimeout() {
    return Optional.ofNullable(openTimeout);
  }

  private static Duration positive(Duration value, String name) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StreamOptions that
        && Objects.equals(topic, that.topic)
        && metadata.equals(that.metadata)
        && Objects.equals(deadline, that.deadline)
        && Objects.equals(idleTimeout, that.idleTimeout)
        && Objects.equals(openTimeout, that.openTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, metadata, deadline, idleTimeout, openTimeout);
  }

  @Override
  public String toString() {
    return "StreamOptions[topic="
        + topic
        + ", metadata="
        + metadata.keySet()
        + ", deadline="
        + deadline
        + ", idleTimeout="
        + idleTimeout
        + ", openTimeout="
        + openTimeout
        + "]";
  }
}
