package io.pulsarrpc.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One call as a {@link ClientInterceptor} sees it: correlation id, request value, timeout,
 * metadata, message settings and, for a scheduled call, its delivery time. Immutable; each {@code
 * withX} returns a copy, which an interceptor passes on with {@link
 * ClientInterceptor.Chain#proceed}.
 *
 * @param <T> the request type
 */
public final class ClientCall<T> {

  private final String correlationId;
  private final T value;
  private final Duration timeout;
  private final Map<String, String> metadata;
  private final Map<String, Object> messageConfig;
  private final long deliverAt;
  private final String topic;
  private final SelectionOptions selection;
  private final boolean claimRequired;

  ClientCall(
      String correlationId,
      T value,
      Duration timeout,
      Map<String, String> metadata,
      Map<String, Object> messageConfig,
      long deliverAt) {
    this(correlationId, value, timeout, metadata, messageConfig, deliverAt, null, null, false);
  }

  ClientCall(
      String correlationId,
      T value,
      Duration timeout,
      Map<String, String> metadata,
      Map<String, Object> messageConfig,
      long deliverAt,
      String topic,
      SelectionOptions selection,
      boolean claimRequired) {
    if (value == null) {
      throw new IllegalArgumentException("request value must not be null");
    }
    this.correlationId = correlationId;
    this.value = value;
    this.timeout = timeout;
    this.metadata = metadata;
    this.messageConfig = messageConfig;
    this.deliverAt = deliverAt;
    this.topic = topic;
    this.selection = selection;
    this.claimRequired = claimRequired;
  }

  /** The correlation id the request goes out with. */
  public String correlationId() {
    return correlationId;
  }

  /** The request value. */
  public T value() {
    return value;
  }

  /** How long the caller waits for a reply, from the call (or from its delivery time). */
  public Duration timeout() {
    return timeout;
  }

  /** The metadata for the server; unmodifiable, possibly empty. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Settings for the request message ({@link RequestOptions#withMessageConfig}); unmodifiable. */
  public Map<String, Object> messageConfig() {
    return messageConfig;
  }

  /** For a scheduled call, its delivery time in epoch milliseconds. */
  public Optional<Long> deliverAt() {
    return deliverAt > 0 ? Optional.of(deliverAt) : Optional.empty();
  }

  long deliverAtMillis() {
    return deliverAt;
  }

  /** The call's topic ({@link RequestOptions#withTopic}), when it has one. */
  public Optional<String> topic() {
    return Optional.ofNullable(topic);
  }

  /** The affinity selection ({@link RequestOptions#withSelection}), for an affinity call. */
  public Optional<SelectionOptions> selection() {
    return Optional.ofNullable(selection);
  }

  /** Whether the server that takes the call claims it first (asked for, or implied by a topic). */
  public boolean claimRequired() {
    return claimRequired || topic != null;
  }

  /**
   * A copy with another request value.
   *
   * @throws IllegalArgumentException when null
   */
  public ClientCall<T> withValue(T value) {
    return copy(correlationId, value, timeout, metadata);
  }

  /**
   * A copy with another correlation id, for an interceptor that sends a call again (an id that is
   * still pending fails with {@code already_exists}).
   *
   * @throws IllegalArgumentException when blank
   */
  public ClientCall<T> withCorrelationId(String correlationId) {
    RequestOptions.checkedCorrelationId(correlationId);
    return copy(correlationId, value, timeout, metadata);
  }

  /**
   * A copy with one more metadata entry (replacing one with the same key); keys and values as for
   * {@link RequestOptions#withMetadata(String, String)}.
   *
   * @throws IllegalArgumentException when the key or value is not acceptable
   */
  public ClientCall<T> withMetadata(String key, String value) {
    Map<String, String> more = new HashMap<>(metadata);
    more.put(RequestOptions.checkedKey(key), RequestOptions.checkedValue(key, value));
    return copy(correlationId, this.value, timeout, Map.copyOf(more));
  }

  /**
   * A copy with another timeout.
   *
   * @throws IllegalArgumentException unless positive
   */
  public ClientCall<T> withTimeout(Duration timeout) {
    RequestOptions.checkedTimeout(timeout);
    return copy(correlationId, value, timeout, metadata);
  }

  private ClientCall<T> copy(
      String correlationId, T value, Duration timeout, Map<String, String> metadata) {
    return new ClientCall<>(
        correlationId,
        value,
        timeout,
        metadata,
        messageConfig,
        deliverAt,
        topic,
        selection,
        claimRequired);
  }

  @Override
  public String toString() {
    return "ClientCall[correlationId="
        + correlationId
        + ", timeout="
        + timeout
        + ", metadata="
        + metadata.keySet()
        + (deliverAt > 0 ? ", deliverAt=" + deliverAt : "")
        + "]";
  }
}
