package io.pulsarrpc.client;

import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.MetadataRules;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Options of one call: its correlation id, its timeout, metadata for the server, settings for the
 * request message, and how it finds its server: a topic, an affinity selection, or a claim the
 * server must send. Immutable; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * client.requestAsync(order, RequestOptions.defaults().withTimeout(Duration.ofSeconds(2)));
 * }</pre>
 */
public final class RequestOptions {

  private static final RequestOptions DEFAULTS = new RequestOptions(new Change());

  private final String correlationId;
  private final Duration timeout;
  private final Map<String, Object> messageConfig;
  private final Map<String, String> metadata;
  private final String topic;
  private final SelectionOptions selection;
  private final boolean claimRequired;
  private final int expectedServers;

  private RequestOptions(Change settings) {
    this.correlationId = settings.correlationId;
    this.timeout = settings.timeout;
    this.messageConfig = settings.messageConfig;
    this.metadata = settings.metadata;
    this.topic = settings.topic;
    this.selection = settings.selection;
    this.claimRequired = settings.claimRequired;
    this.expectedServers = settings.expectedServers;
  }

  /** The settings of a copy being made: the defaults, or those of the options it copies. */
  private static final class Change {
    String correlationId;
    Duration timeout;
    Map<String, Object> messageConfig = Map.of();
    Map<String, String> metadata = Map.of();
    String topic;
    SelectionOptions selection;
    boolean claimRequired;
    int expectedServers;
  }

  /** A copy of these options with what {@code change} sets. */
  private RequestOptions copy(Consumer<Change> change) {
    Change settings = new Change();
    settings.correlationId = correlationId;
    settings.timeout = timeout;
    settings.messageConfig = messageConfig;
    settings.metadata = metadata;
    settings.topic = topic;
    settings.selection = selection;
    settings.claimRequired = claimRequired;
    settings.expectedServers = expectedServers;
    change.accept(settings);
    return new RequestOptions(settings);
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
    String checked = checkedCorrelationId(correlationId);
    return copy(settings -> settings.correlationId = checked);
  }

  /**
   * Gives this call its own timeout instead of the client's {@code replyTimeout}. The deadline is
   * the time of the call plus this (the delivery time plus this, for a scheduled call).
   *
   * @throws IllegalArgumentException unless positive
   */
  public RequestOptions withTimeout(Duration timeout) {
    Duration checked = checkedTimeout(timeout);
    return copy(settings -> settings.timeout = checked);
  }

  /**
   * Settings applied to the request message; on Pulsar, through {@code
   * TypedMessageBuilder.loadConf} (for example {@code properties} or {@code eventTime}). The key
   * {@code key} is refused: the message key is the correlation id.
   *
   * @throws IllegalArgumentException when null or containing {@code key}
   */
  public RequestOptions withMessageConfig(Map<String, Object> config) {
    Map<String, Object> checked = checkedMessageConfig(config);
    return copy(settings -> settings.messageConfig = checked);
  }

  /**
   * Attaches metadata for the server (a tenant, an auth token, a trace id...), replacing any set
   * before. It travels as {@code rpc-meta-<key>} properties (headers on NATS, fields on Redis) and
   * the server's {@link io.pulsarrpc.server.RequestContext#metadata()} returns it. Keys are 1 to
   * 128 letters, digits, {@code .}, {@code _} or {@code -}; values any text without line breaks.
   *
   * @throws IllegalArgumentException when null, or a key or value is not acceptable
   */
  public RequestOptions withMetadata(Map<String, String> metadata) {
    Map<String, String> checked = checkedMetadata(metadata);
    return copy(settings -> settings.metadata = checked);
  }

  /**
   * Adds one metadata entry to those set before (replacing an entry with the same key).
   *
   * @throws IllegalArgumentException when the key or value is not acceptable (see {@link
   *     #withMetadata(Map)})
   */
  public RequestOptions withMetadata(String key, String value) {
    Map<String, String> more = new HashMap<>(metadata);
    more.put(checkedKey(key), checkedValue(key, value));
    Map<String, String> checked = Map.copyOf(more);
    return copy(settings -> settings.metadata = checked);
  }

  /**
   * Sends the call to the servers that registered {@code topic} for the request topic ({@code
   * PulsarRpcServer.registerTopicAsync}) and to no other. The server that takes it claims it, so a
   * topic nobody registered fails the call with {@link io.pulsarrpc.common.ErrorCode#NO_RESPONDERS}
   * within the client's claim window rather than at its deadline. Combines with {@code requestAll}
   * (every group that registered the topic answers) and with {@link #withSelection}.
   *
   * @param topic 1 to 64 letters, digits, {@code _} or {@code -}
   * @throws IllegalArgumentException when the name is not acceptable
   */
  public RequestOptions withTopic(String topic) {
    String checked = CallTopics.checkedTopic(topic);
    return copy(settings -> settings.topic = checked);
  }

  /**
   * Makes a single call an affinity call: every server of the request topic (or of the call's
   * topic) offers its score, and the client picks the one that runs the call by {@code selection}'s
   * rules. Not for {@code requestAll}, which asks every server.
   *
   * @throws IllegalArgumentException when null
   */
  public RequestOptions withSelection(SelectionOptions selection) {
    if (selection == null) {
      throw new IllegalArgumentException("selection must not be null");
    }
    return copy(settings -> settings.selection = selection);
  }

  /**
   * Asks the server that takes a single call to claim it first: when no server claims it within the
   * client's claim window, the call fails with {@link io.pulsarrpc.common.ErrorCode#NO_RESPONDERS}
   * instead of waiting, durably, for a server until its deadline. Costs one more message per call.
   * Calls with a topic always ask for a claim.
   */
  public RequestOptions withClaimRequired() {
    return copy(settings -> settings.claimRequired = true);
  }

  /**
   * Tells a multi-call ({@code requestAll}) how many server groups to wait for: it ends once at
   * least {@code servers} groups have claimed and answered it (and no other group is still
   * answering), or, when fewer claimed, at the end of the client's claim window with those that
   * did. Without it, a client's first multi-call to a topic ends with the groups that claimed
   * within a short settle window after the first claim, which on a busy machine can miss a group
   * that was slower to claim; later calls wait for as many groups as the last call had. Use it when
   * the caller knows how many groups serve the topic, for example a script or a test. Not for
   * single calls.
   *
   * @param servers 1 to {@value MultiCall#MAX_SERVERS}
   * @throws IllegalArgumentException when out of range
   */
  public RequestOptions withExpectedServers(int servers) {
    if (servers < 1 || servers > MultiCall.MAX_SERVERS) {
      throw new IllegalArgumentException(
          "expected servers must be 1 to " + MultiCall.MAX_SERVERS + ", got " + servers);
    }
    return copy(settings -> settings.expectedServers = servers);
  }

  /** How many server groups a multi-call waits for, when set ({@link #withExpectedServers}). */
  public OptionalInt expectedServers() {
    return expectedServers > 0 ? OptionalInt.of(expectedServers) : OptionalInt.empty();
  }

  /** The call's topic, when one was set. */
  public Optional<String> topic() {
    return Optional.ofNullable(topic);
  }

  /** The affinity selection, when the call is an affinity call. */
  public Optional<SelectionOptions> selection() {
    return Optional.ofNullable(selection);
  }

  /** Whether the call asks its server for a claim: set, or implied by a topic. */
  public boolean claimRequired() {
    return claimRequired || topic != null;
  }

  /** The metadata for the server; empty by default. */
  public Map<String, String> metadata() {
    return metadata;
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

  static String checkedCorrelationId(String correlationId) {
    if (correlationId == null || correlationId.isBlank()) {
      throw new IllegalArgumentException("correlationId must not be blank");
    }
    return correlationId;
  }

  static Duration checkedTimeout(Duration timeout) {
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    return timeout;
  }

  private static Map<String, String> checkedMetadata(Map<String, String> metadata) {
    return MetadataRules.checkedMetadata(metadata);
  }

  static String checkedKey(String key) {
    return MetadataRules.checkedKey(key);
  }

  static String checkedValue(String key, String value) {
    return MetadataRules.checkedValue(key, value);
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
        && messageConfig.equals(that.messageConfig)
        && metadata.equals(that.metadata)
        && Objects.equals(topic, that.topic)
        && Objects.equals(selection, that.selection)
        && claimRequired == that.claimRequired
        && expectedServers == that.expectedServers;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        correlationId,
        timeout,
        messageConfig,
        metadata,
        topic,
        selection,
        claimRequired,
        expectedServers);
  }

  @Override
  public String toString() {
    return "RequestOptions[correlationId="
        + correlationId
        + ", timeout="
        + timeout
        + ", messageConfig="
        + messageConfig
        + ", metadata="
        + metadata.keySet()
        + (topic != null ? ", topic=" + topic : "")
        + (selection != null ? ", selection=" + selection : "")
        + (claimRequired ? ", claimRequired" : "")
        + (expectedServers > 0 ? ", expectedServers=" + expectedServers : "")
        + "]";
  }
}
