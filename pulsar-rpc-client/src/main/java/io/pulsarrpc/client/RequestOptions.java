package io.pulsarrpc.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of one call: its correlation id, its timeout, and settings for the request message.
 * Immutable; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * client.requestAsync(order, RequestOptions.defaults().withTimeout(Duration.ofSeconds(2)));
 * }</pre>
 */
public final class RequestOptions {

  private static final RequestOptions DEFAULTS = new RequestOptions(null, null, Map.of());

  private final String correlationId;
  private final Duration timeout;
  private final Map<String, Object> messageConfig;

  private RequestOptions(String correlationId, Duration timeout, Map<String, Object> config) {
    this.correlationId = correlationId;
    this.timeout = timeout;
    this.messageConfig = config;
  }

  /** No correlation id (one is generated), the client's reply timeout, no message settings. */
  public static RequestOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Uses this correlation id instead of a generated one.
   *
   * @throws IllegalArgumentException when blank
   */
  public RequestOptions withCorrelationId(String correlationId) {
    if (correlationId == null || correlationId.isBlank()) {
      throw new IllegalArgumentException("correlationId must not be blank");
    }
    return new RequestOptions(correlationId, timeout, messageConfig);
  }

  /**
   * Gives this call its own timeout instead of the client's {@code replyTimeout}. The deadline is
   * the time of the call plus this (the delivery time plus this, for a scheduled call).
   *
   * @throws IllegalArgumentException unless positive
   */
  public RequestOptions withTimeout(Duration timeout) {
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    return new RequestOptions(correlationId, timeout, messageConfig);
  }

  /**
   * Settings applied to the request message; on Pulsar, through {@code
   * TypedMessageBuilder.loadConf} (for example {@code properties} or {@code eventTime}). The key
   * {@code key} is refused: the message key is the correlation id.
   *
   * @throws IllegalArgumentException when null or containing {@code key}
   */
  public RequestOptions withMessageConfig(Map<String, Object> config) {
    return new RequestOptions(correlationId, timeout, checkedMessageConfig(config));
  }

  /** The correlation id, when one was set. */
  public Optional<String> correlationId() {
    return Optional.ofNullable(correlationId);
  }

  /** The call's own timeout, when one was set. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** Settings for the request message; empty by default. */
  public Map<String, Object> messageConfig() {
    return messageConfig;
  }

  static Map<String, Object> checkedMessageConfig(Map<String, Object> config) {
    if (config == null) {
      throw new IllegalArgumentException("message config must not be null");
    }
    if (config.containsKey("key")) {
      throw new IllegalArgumentException(
          "message config must not set 'key': the key of a request is its correlation id");
    }
    return Map.copyOf(config);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestOptions that
        && Objects.equals(correlationId, that.correlationId)
        && Objects.equals(timeout, that.timeout)
        && messageConfig.equals(that.messageConfig);
  }

  @Override
  public int hashCode() {
    return Objects.hash(correlationId, timeout, messageConfig);
  }

  @Override
  public String toString() {
    return "RequestOptions[correlationId="
        + correlationId
        + ", timeout="
        + timeout
        + ", messageConfig="
        + messageConfig
        + "]";
  }
}
