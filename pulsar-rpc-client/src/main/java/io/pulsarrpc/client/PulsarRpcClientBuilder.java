package io.pulsarrpc.client;

import static io.pulsarrpc.common.internal.SettingChecks.atLeastOne;
import static io.pulsarrpc.common.internal.SettingChecks.nonBlank;
import static io.pulsarrpc.common.internal.SettingChecks.positive;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.common.PulsarRpcClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Settings of a {@link PulsarRpcClient}. Setters reject a bad single value with {@link
 * IllegalArgumentException}; {@link #build} checks the settings together and names what is missing
 * or contradictory. Not thread-safe; a builder may build several clients (each needs its own reply
 * subscription).
 *
 * <pre>{@code
 * PulsarRpcClient<String, String> client =
 *     PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
 *         .requestTopic("persistent://public/default/greetings")
 *         .replyTopic("persistent://public/default/greetings-replies")
 *         .replySubscription("greeter-client-1")
 *         .replyTimeout(Duration.ofSeconds(5))
 *         .build(pulsarClient);
 * }</pre>
 */
public final class PulsarRpcClientBuilder<T, V> {

  /** Default {@link #replyTimeout}: 30 seconds. */
  public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(30);

  /** The default {@link #claimWindow(Duration)}: 2 seconds. */
  public static final Duration DEFAULT_CLAIM_WINDOW = Duration.ofSeconds(2);

  /** Default {@link #patternAutoDiscoveryInterval}: one minute, as Pulsar's client. */
  public static final Duration DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL = Duration.ofMinutes(1);

  /** Default {@link #maxPendingRequests}: 100 000. */
  public static final int DEFAULT_MAX_PENDING_REQUESTS = 100_000;

  final Schema<T> requestSchema;
  final Schema<V> replySchema;
  String requestTopic;
  Map<String, Object> requestProducerConfig = Map.of();
  String replyTopic;
  Pattern replyTopicsPattern;
  String replySubscription;
  Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;
  Duration claimWindow = DEFAULT_CLAIM_WINDOW;
  Duration patternAutoDiscoveryInterval = DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL;
  RequestCallBack<V> requestCallBack;
  int maxPendingRequests = DEFAULT_MAX_PENDING_REQUESTS;
  int apiVersion;
  // A client of one short-lived use (a ServerDirectory) reads replies through a temporary
  // subscription, which the bus removes with it.
  boolean temporaryReplySubscription;
  final List<ClientInterceptor> interceptors = new ArrayList<>();

  PulsarRpcClientBuilder(Schema<T> requestSchema, Schema<V> replySchema) {
    this.requestSchema = requestSchema;
    this.replySchema = replySchema;
  }

  /** The topic requests are published to. Required. */
  public PulsarRpcClientBuilder<T, V> requestTopic(String requestTopic) {
    this.requestTopic = nonBlank(requestTopic, "requestTopic");
    return this;
  }

  /**
   * Settings of the request producer; on Pulsar, applied through {@code ProducerBuilder.loadConf}
   * (for example {@code batchingMaxPublishDelayMicros}). Default: none.
   */
  public PulsarRpcClientBuilder<T, V> requestProducerConfig(Map<String, Object> config) {
    if (config == null) {
      throw new IllegalArgumentException("requestProducerConfig must not be null");
    }
    this.requestProducerConfig = Map.copyOf(config);
    return this;
  }

  /**
   * The topic this client receives replies on; every request names it in its {@code replyTopic}
   * property. Required. With {@link #replyTopicsPattern}, it must match the pattern.
   */
  public PulsarRpcClientBuilder<T, V> replyTopic(String replyTopic) {
    this.replyTopic = nonBlank(replyTopic, "replyTopic");
    return this;
  }

  /**
   * Receives replies on every topic that matches this pattern (including topics created later,
   * found within {@link #patternAutoDiscoveryInterval}), for example to collect replies that
   * several client instances route to per-instance topics. Requests still name the one concrete
   * {@link #replyTopic}. Default: only the reply topic.
   */
  public PulsarRpcClientBuilder<T, V> replyTopicsPattern(Pattern replyTopicsPattern) {
    if (replyTopicsPattern == null) {
      throw new IllegalArgumentException("replyTopicsPattern must not be null");
    }
    this.replyTopicsPattern = replyTopicsPattern;
    return this;
  }

  /**
   * The durable subscription this client reads replies with. Required, and unique to this client
   * instance: it is exclusive, so a second client with the same name on the same reply topic is
   * refused. A client restarted with the same name receives the replies sent while it was away.
   */
  public PulsarRpcClientBuilder<T, V> replySubscription(String replySubscription) {
    this.replySubscription = nonBlank(replySubscription, "replySubscription");
    return this;
  }

  /** How long a call waits for its reply, unless it sets its own timeout. Default 30 s. */
  public PulsarRpcClientBuilder<T, V> replyTimeout(Duration replyTimeout) {
    this.replyTimeout = positive(replyTimeout, "replyTimeout");
    return this;
  }

  /**
   * How long a call that asks servers to claim it (a multi-call, a topic call, an affinity call)
   * waits for the first claim before it fails with {@link
   * io.pulsarrpc.common.ErrorCode#NO_RESPONDERS}; never longer than the call's timeout. Set it
   * above the bus's slowest delivery under load: a claim that comes later finds the call failed.
   * Default 2 s.
   */
  public PulsarRpcClientBuilder<T, V> claimWindow(Duration claimWindow) {
    this.claimWindow = positive(claimWindow, "claimWindow");
    return this;
  }

  /** How often a {@link #replyTopicsPattern} subscription looks for new topics. Default 1 min. */
  public PulsarRpcClientBuilder<T, V> patternAutoDiscoveryInterval(Duration interval) {
    this.patternAutoDiscoveryInterval = positive(interval, "patternAutoDiscoveryInterval");
    return this;
  }

  /**
   * Receives the events of every call; see {@link RequestCallBack} for the defaults that complete
   * futures. Default: a callback with only the defaults.
   */
  public PulsarRpcClientBuilder<T, V> requestCallBack(RequestCallBack<V> requestCallBack) {
    if (requestCallBack == null) {
      throw new IllegalArgumentException("requestCallBack must not be null");
    }
    this.requestCallBack = requestCallBack;
    return this;
  }

  /**
   * The most calls pending at once; a call beyond it fails at once with {@link
   * PulsarRpcClientException.TooManyPendingRequestsException}. Default 100 000.
   *
   * @throws IllegalArgumentException unless positive
   */
  public PulsarRpcClientBuilder<T, V> maxPendingRequests(int maxPendingRequests) {
    if (maxPendingRequests < 1) {
      throw new IllegalArgumentException(
          "maxPendingRequests must be at least 1, got " + maxPendingRequests);
    }
    this.maxPendingRequests = maxPendingRequests;
    return this;
  }

  /**
   * The API version this client speaks, sent with every request (single, multi, affinity and topic
   * calls) as {@value io.pulsarrpc.common.WireProperties#API_VERSION}. A server that declares the
   * versions it supports ({@code PulsarRpcServerBuilder.apiVersions}) refuses a call whose version
   * is below its minimum with {@link io.pulsarrpc.common.ErrorCode#CLIENT_TOO_OLD} and one above
   * its current version with {@link io.pulsarrpc.common.ErrorCode#SERVER_TOO_OLD}, before its
   * handler runs; a server that declares none serves every call. For an affinity call, a server
   * that does not support the version makes no offer, so the call goes to a server that does, or
   * fails with {@link io.pulsarrpc.common.ErrorCode#NO_RESPONDERS}. Default: none (no version is
   * sent, and no server checks the calls).
   *
   * @throws IllegalArgumentException unless at least 1
   */
  public PulsarRpcClientBuilder<T, V> apiVersion(int version) {
    this.apiVersion = atLeastOne(version, "apiVersion");
    return this;
  }

  /**
   * Adds an interceptor after those added before: the first added sees each call first and its
   * result last (see {@link ClientInterceptor}). Default: none.
   *
   * @throws IllegalArgumentException when null
   */
  public PulsarRpcClientBuilder<T, V> intercept(ClientInterceptor interceptor) {
    if (interceptor == null) {
      throw new IllegalArgumentException("interceptor must not be null");
    }
    interceptors.add(interceptor);
    return this;
  }

  /**
   * Builds a client over Pulsar. The client uses {@code pulsarClient} and does not close it. Blocks
   * until the reply subscription and the request producer exist.
   *
   * @throws IllegalArgumentException when the settings are missing or contradict each other
   * @throws PulsarRpcClientException when the broker refuses the subscription or the producer
   */
  public PulsarRpcClient<T, V> build(PulsarClient pulsarClient) throws PulsarRpcClientException {
    if (pulsarClient == null) {
      throw new IllegalArgumentException("pulsarClient must not be null");
    }
    validate();
    return ClientEngine.start(this, PulsarMessageBus.create(pulsarClient), true);
  }

  /**
   * Builds a client over any bus. The client does not close {@code bus}. Blocks until the reply
   * subscription and the request producer exist.
   *
   * @throws IllegalArgumentException when the settings are missing or contradict each other, or the
   *     bus lacks a capability they need
   * @throws PulsarRpcClientException when the bus refuses the subscription or the producer
   */
  public PulsarRpcClient<T, V> build(MessageBus bus) throws PulsarRpcClientException {
    if (bus == null) {
      throw new IllegalArgumentException("bus must not be null");
    }
    validate();
    if (replyTopicsPattern != null && !bus.supportsTopicPatterns()) {
      throw new IllegalArgumentException(
          "replyTopicsPattern is set but the " + bus.name() + " bus does not support patterns");
    }
    return ClientEngine.start(this, bus, false);
  }

  /** Builds a client over {@code bus}, which the client closes with itself. */
  PulsarRpcClient<T, V> buildOwning(MessageBus bus) throws PulsarRpcClientException {
    validate();
    return ClientEngine.start(this, bus, true);
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (requestSchema == null) {
      problems.add("requestSchema is null: pass it to PulsarRpcClient.builder");
    }
    if (replySchema == null) {
      problems.add("replySchema is null: pass it to PulsarRpcClient.builder");
    }
    if (requestTopic == null) {
      problems.add("requestTopic is not set: the topic the servers consume");
    }
    if (replyTopic == null) {
      problems.add(
          "replyTopic is not set: the topic this client receives replies on"
              + (replyTopicsPattern == null ? "" : " (it must match replyTopicsPattern)"));
    } else if (replyTopicsPattern != null && !replyTopicsPattern.matcher(replyTopic).matches()) {
      problems.add(
          "replyTopic "
              + replyTopic
              + " does not match replyTopicsPattern "
              + replyTopicsPattern
              + ": replies to this client's requests would not be received");
    }
    if (replyTopic != null && replyTopic.equals(requestTopic)) {
      problems.add("replyTopic equals requestTopic: servers would consume replies as requests");
    }
    if (replySubscription == null) {
      problems.add(
          "replySubscription is not set: a durable subscription name unique to this client"
              + " instance");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot build PulsarRpcClient: " + String.join("; ", problems));
    }
  }
}
