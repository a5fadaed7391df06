package io.pulsarrpc.server;

import static io.pulsarrpc.common.internal.SettingChecks.atLeastOne;
import static io.pulsarrpc.common.internal.SettingChecks.positive;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.common.PulsarRpcServerException;
import io.pulsarrpc.common.internal.ApiVersions;
import io.pulsarrpc.common.internal.SettingChecks;
import io.pulsarrpc.inspect.ControlTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Settings of a {@link PulsarRpcServer}. Setters reject a bad single value with {@link
 * IllegalArgumentException}; {@code build} checks the settings together and names what is missing
 * or contradictory. Not thread-safe.
 *
 * <pre>{@code
 * PulsarRpcServer<String, String> server =
 *     PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
 *         .requestTopic("persistent://public/default/greetings")
 *         .requestSubscription("greeter")
 *         .build(pulsarClient,
 *             name -> CompletableFuture.completedFuture("Hello, " + name),
 *             (correlationId, name) -> log.info("rolled back {}", correlationId));
 * }</pre>
 */
public final class PulsarRpcServerBuilder<T, V> {

  /** Default {@link #maxConcurrentRequests}: 256. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 256;

  /** Default {@link #shutdownGracePeriod}: 30 seconds. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(30);

  /** Default {@link #replyProducerIdleTimeout}: 5 minutes. */
  public static final Duration DEFAULT_REPLY_PRODUCER_IDLE_TIMEOUT = Duration.ofMinutes(5);

  /** Default {@link #earlyDeliveryTolerance}: 10 seconds. */
  public static final Duration DEFAULT_EARLY_DELIVERY_TOLERANCE = Duration.ofSeconds(10);

  /** Default {@link #patternAutoDiscoveryInterval}: one minute, as Pulsar's client. */
  public static final Duration DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL = Duration.ofMinutes(1);

  /** Default {@link #deduplication(Duration)} store size: 100 000 replies. */
  public static final int DEFAULT_DEDUPLICATION_MAX_ENTRIES = 100_000;

  final Schema<T> requestSchema;
  final Schema<V> replySchema;
  String requestTopic;
  Pattern requestTopicsPattern;
  String requestSubscription;
  Duration patternAutoDiscoveryInterval = DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL;
  int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
  Duration shutdownGracePeriod = DEFAULT_SHUTDOWN_GRACE_PERIOD;
  Duration replyProducerIdleTimeout = DEFAULT_REPLY_PRODUCER_IDLE_TIMEOUT;
  Map<String, Object> replyProducerConfig = Map.of();
  int maxRequestSize;
  final List<ServerInterceptor> interceptors = new ArrayList<>();
  Pattern replyTopicAllowList;
  Executor handlerExecutor;
  Duration earlyDeliveryTolerance = DEFAULT_EARLY_DELIVERY_TOLERANCE;
  Duration deduplicationWindow;
  DeduplicationStore deduplicationStore;
  ToDoubleFunction<T> affinity;
  int apiMinimum;
  int apiCurrent;
  String controlToken;
  String controlTopic;
  // The control server's own request subscription lives only as long as it: one per instance.
  boolean temporarySubscription;

  PulsarRpcServerBuilder(Schema<T> requestSchema, Schema<V> replySchema) {
    this.requestSchema = requestSchema;
    this.replySchema = replySchema;
  }

  /** The topic to consume requests from. Set this or {@link #requestTopicsPattern}. */
  public PulsarRpcServerBuilder<T, V> requestTopic(String requestTopic) {
    if (requestTopic == null || requestTopic.isBlank()) {
      throw new IllegalArgumentException("requestTopic must not be blank");
    }
    this.requestTopic = requestTopic;
    return this;
  }

  /**
   * Consumes requests from every topic matching this pattern, including topics created later (found
   * within {@link #patternAutoDiscoveryInterval}). Set this or {@link #requestTopic}.
   */
  public PulsarRpcServerBuilder<T, V> requestTopicsPattern(Pattern requestTopicsPattern) {
    if (requestTopicsPattern == null) {
      throw new IllegalArgumentException("requestTopicsPattern must not be null");
    }
    this.requestTopicsPattern = requestTopicsPattern;
    return this;
  }

  /**
   * The subscription to consume requests with. Required. Servers with the same subscription share
   * the requests; servers with different subscriptions each answer every request (fan-out). The
   * subscription is shared, which also lets scheduled requests be delivered at their time.
   */
  public PulsarRpcServerBuilder<T, V> requestSubscription(String requestSubscription) {
    if (requestSubscription == null || requestSubscription.isBlank()) {
      throw new IllegalArgumentException("requestSubscription must not be blank");
    }
    this.requestSubscription = requestSubscription;
    return this;
  }

  /** How often a {@link #requestTopicsPattern} subscription looks for new topics. Default 1 min. */
  public PulsarRpcServerBuilder<T, V> patternAutoDiscoveryInterval(Duration interval) {
    this.patternAutoDiscoveryInterval = positive(interval, "patternAutoDiscoveryInterval");
    return this;
  }

  /**
   * The most requests handled at once; beyond it the server takes no more requests from the bus
   * until one finishes. A request counts from its receipt until its reply was published (or it
   * settled otherwise); the acknowledgement's round trip to the broker does not count, though
   * {@link PulsarRpcServer#close()} still waits for it. Default 256. With the default executor,
   * this is also the most threads that run request functions.
   *
   * @throws IllegalArgumentException unless positive
   */
  public PulsarRpcServerBuilder<T, V> maxConcurrentRequests(int maxConcurrentRequests) {
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentRequests must be at least 1, got " + maxConcurrentRequests);
    }
    this.maxConcurrentRequests = maxConcurrentRequests;
    return this;
  }

  /**
   * How long {@link PulsarRpcServer#close()} waits for requests in flight to finish before it
   * closes the consumer anyway (those requests are then redelivered). Default 30 s.
   *
   * @throws IllegalArgumentException when negative
   */
  public PulsarRpcServerBuilder<T, V> shutdownGracePeriod(Duration shutdownGracePeriod) {
    if (shutdownGracePeriod == null || shutdownGracePeriod.isNegative()) {
      throw new IllegalArgumentException(
          "shutdownGracePeriod must be zero or positive, got " + shutdownGracePeriod);
    }
    this.shutdownGracePeriod = shutdownGracePeriod;
    return this;
  }

  /**
   * How long a reply producer may stay unused before it is closed. Default 5 min.
   *
   * @throws IllegalArgumentException unless positive
   */
  public PulsarRpcServerBuilder<T, V> replyProducerIdleTimeout(Duration idleTimeout) {
    this.replyProducerIdleTimeout = positive(idleTimeout, "replyProducerIdleTimeout");
    return this;
  }

  /**
   * Settings of every reply producer; on Pulsar, applied through {@code ProducerBuilder.loadConf}
   * (for example {@code batchingEnabled} or {@code batchingMaxPublishDelayMicros}); other buses
   * refuse keys they do not know when the first reply is published, and that request is then
   * redelivered. Default: none, so the bus's defaults (on Pulsar, batching with a 1 ms delay).
   */
  public PulsarRpcServerBuilder<T, V> replyProducerConfig(Map<String, Object> config) {
    if (config == null) {
      throw new IllegalArgumentException("replyProducerConfig must not be null");
    }
    this.replyProducerConfig = Map.copyOf(config);
    return this;
  }

  /**
   * The largest request, in encoded bytes, the server decodes and runs. A larger one is answered
   * with an {@code invalid_argument} error (when it names an allowed reply topic), acknowledged and
   * logged; the function does not run. Default: no limit of the server's own (the bus's message
   * limit applies, 5 MB on a default Pulsar broker).
   *
   * @throws IllegalArgumentException unless positive
   */
  public PulsarRpcServerBuilder<T, V> maxRequestSize(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxRequestSize must be at least 1 byte, got " + bytes);
    }
    this.maxRequestSize = bytes;
    return this;
  }

  /**
   * Publishes replies only to topics that match this pattern entirely; a request naming any other
   * reply topic is acknowledged without running the function, nothing is published, and a warning
   * is logged. Default: every topic is allowed.
   */
  public PulsarRpcServerBuilder<T, V> replyTopicAllowList(Pattern replyTopicAllowList) {
    if (replyTopicAllowList == null) {
      throw new IllegalArgumentException("replyTopicAllowList must not be null");
    }
    this.replyTopicAllowList = replyTopicAllowList;
    return this;
  }

  /**
   * How early a scheduled request may arrive. A broker may deliver a scheduled message somewhat
   * before its {@code deliverAt} (Pulsar, unless {@code delayedDeliveryDeliverAtTimeStrict=true},
   * by up to its {@code delayedDeliveryTickTimeMillis}, 1 s by default); the server holds such a
   * request until its time, so a function never runs early. A request that arrives earlier than
   * this tolerance means the broker does not delay delivery at all (delayed delivery disabled on
   * the broker): the server answers it with an error instead of running it early, and logs why.
   * Default 10 s.
   *
   * @throws IllegalArgumentException when negative
   */
  public PulsarRpcServerBuilder<T, V> earlyDeliveryTolerance(Duration tolerance) {
    if (tolerance == null || tolerance.isNegative()) {
      throw new IllegalArgumentException(
          "earlyDeliveryTolerance must be zero or positive, got " + tolerance);
    }
    this.earlyDeliveryTolerance = tolerance;
    return this;
  }

  /**
   * Runs request functions, rollbacks and reply publication on this executor, which the server does
   * not shut down. Default: a pool of up to {@link #maxConcurrentRequests} daemon threads, owned by
   * the server.
   */
  public PulsarRpcServerBuilder<T, V> handlerExecutor(Executor handlerExecutor) {
    if (handlerExecutor == null) {
      throw new IllegalArgumentException("handlerExecutor must not be null");
    }
    this.handlerExecutor = handlerExecutor;
    return this;
  }

  /**
   * Turns on deduplication with a store in this server's memory ({@link
   * DeduplicationStore#inMemory}, {@value #DEFAULT_DEDUPLICATION_MAX_ENTRIES} replies at most):
   * catches the duplicates that come back to this server. See {@link #deduplication(Duration,
   * DeduplicationStore)}. Default: off.
   *
   * @throws IllegalArgumentException unless {@code window} is positive
   */
  public PulsarRpcServerBuilder<T, V> deduplication(Duration window) {
    this.deduplicationWindow = positive(window, "deduplication window");
    this.deduplicationStore = null;
    return this;
  }

  /**
   * Turns on deduplication: the server remembers each reply in {@code store} for {@code window},
   * before it sends it, and a request delivered again within the window (same subscription and
   * correlation id) is answered with the remembered reply, error replies included, without running
   * the handler, interceptors or rollback. A delivery that arrives while the same request runs on
   * this server waits for it to finish. A request redelivered after its deadline is skipped in any
   * case, so a window as long as the longest reply timeout of your clients covers every duplicate
   * that could run. Requests whose handler had not finished when a server crashed still run again:
   * there is no reply to re-send. The server does not close {@code store}, which servers may share
   * ({@link DeduplicationStore#pulsarTopic} to share it across processes). Default: off.
   *
   * @throws IllegalArgumentException unless {@code window} is positive and {@code store} is not
   *     null
   */
  public PulsarRpcServerBuilder<T, V> deduplication(Duration window, DeduplicationStore store) {
    if (store == null) {
      throw new IllegalArgumentException("deduplication store must not be null");
    }
    this.deduplicationWindow = positive(window, "deduplication window");
    this.deduplicationStore = store;
    return this;
  }

  /**
   * Adds an interceptor after those added before: the first added sees each request first and its
   * result last (see {@link ServerInterceptor}). Default: none.
   *
   * @throws IllegalArgumentException when null
   */
  public PulsarRpcServerBuilder<T, V> intercept(ServerInterceptor interceptor) {
    if (interceptor == null) {
      throw new IllegalArgumentException("interceptor must not be null");
    }
    interceptors.add(interceptor);
    return this;
  }

  /**
   * Makes this server take part in affinity calls (a client's {@code
   * RequestOptions.withSelection}): for each affinity call to its request topic, the server scores
   * the request with {@code affinity} and offers that score to the caller, who picks one server;
   * only that one runs the request function. Default: none, and then the server never offers.
   *
   * <p>The score: higher wins; 0 means "not available" (the server offers, but the caller never
   * picks it); a negative score means the server will not answer (it does not offer). A function
   * that throws, or returns NaN, counts as "will not answer", and is logged. The function runs on
   * the handler executor, once per affinity call, and must not block for long: the caller waits for
   * offers only for its affinity timeout.
   *
   * <p>Every server instance with an affinity function reads the affinity calls of its request
   * topic with a temporary subscription of its own, so every instance offers, whichever request
   * subscription it has; a server without one never offers, so an affinity call to a topic whose
   * servers have none fails with {@code NO_RESPONDERS}. A server holds each request it offered for
   * (at most {@link #maxConcurrentRequests} at once; beyond that it does not offer) until the
   * caller's selection or the request's deadline. Affinity calls are not durable: what a server
   * holds does not survive its close, kill or crash, and a server that stops after it was selected
   * leaves the call to its deadline. Needs a {@link #requestTopic} (not a pattern).
   *
   * @throws IllegalArgumentException when null
   */
  public PulsarRpcServerBuilder<T, V> affinity(ToDoubleFunction<T> affinity) {
    if (affinity == null) {
      throw new IllegalArgumentException("affinity must not be null");
    }
    this.affinity = affinity;
    return this;
  }

  /**
   * The API versions this server supports, from {@code minimum} to {@code current}. A request whose
   * {@value io.pulsarrpc.common.WireProperties#API_VERSION} is below {@code minimum} is answered
   * with {@link io.pulsarrpc.common.ErrorCode#CLIENT_TOO_OLD}, one above {@code current} with
   * {@link io.pulsarrpc.common.ErrorCode#SERVER_TOO_OLD}, both with a message naming the client's
   * version and the range, and acknowledged; neither the interceptors nor the request function see
   * it. For an affinity call the server makes no offer instead, so that the caller selects a server
   * that supports its version (or fails with {@code NO_RESPONDERS} when none does) and is never
   * told after its selection that the server it picked refuses. A request without a version (a
   * client that declares none, or a peer of the proposal's protocol) is not checked. {@code build}
   * checks that {@code minimum <= current}. Default: none (no request is checked).
   *
   * @throws IllegalArgumentException unless both are at least 1
   */
  public PulsarRpcServerBuilder<T, V> apiVersions(int minimum, int current) {
    this.apiMinimum = atLeastOne(minimum, "apiVersions minimum");
    this.apiCurrent = atLeastOne(current, "apiVersions current");
    return this;
  }

  /**
   * Turns on the control topic: besides its requests, the server answers introspection multi-calls
   * on the {@link #controlTopic} with {@link PulsarRpcServer#inspect(boolean)}, but only those that
   * carry this token in their metadata (key {@value
   * io.pulsarrpc.inspect.ControlTopic#TOKEN_METADATA_KEY}, as {@code ServerDirectory} sends it); a
   * call without it, or with another token, is answered with {@link
   * io.pulsarrpc.common.ErrorCode#PERMISSION_DENIED} and no data. Tokens are compared in constant
   * time. The server reads the control topic through a temporary subscription of its own, so every
   * server instance answers and none leaves anything behind on the bus. An answer may include the
   * JVM's thread dump, so treat the token as a secret. Default: off, and then the server does not
   * read the control topic at all.
   *
   * @throws IllegalArgumentException when blank or with a line break (it travels as metadata)
   */
  public PulsarRpcServerBuilder<T, V> controlToken(String token) {
    this.controlToken = SettingChecks.controlToken(token);
    return this;
  }

  /**
   * The control topic this server answers on when {@link #controlToken} is set. Default {@value
   * io.pulsarrpc.inspect.ControlTopic#DEFAULT}. {@code build} checks that a token is set with it
   * and that it is not the request topic.
   *
   * @throws IllegalArgumentException when blank
   */
  public PulsarRpcServerBuilder<T, V> controlTopic(String controlTopic) {
    if (controlTopic == null || controlTopic.isBlank()) {
      throw new IllegalArgumentException("controlTopic must not be blank");
    }
    this.controlTopic = controlTopic;
    return this;
  }

  /** The control topic, default or set. */
  String controlTopic() {
    return controlTopic == null ? ControlTopic.DEFAULT : controlTopic;
  }

  /** The supported API versions, or null when none are set. */
  ApiVersions apiVersions() {
    return apiMinimum == 0 ? null : new ApiVersions(apiMinimum, apiCurrent);
  }

  /**
   * Builds and starts a server over Pulsar. The server uses {@code pulsarClient} and does not close
   * it. Blocks until the request subscription (and the {@link #affinity} one) exists.
   *
   * @param requestFunction answers a request with a future of the reply; a failed future (or an
   *     exception) becomes an error reply carrying the exception's message
   * @param rollBackFunction called with the correlation id and the request when the function
   *     completed after the request's deadline: no reply is sent, so undo what it did
   * @throws IllegalArgumentException when settings are missing or contradict each other
   * @throws PulsarRpcServerException when the broker refuses the subscription
   */
  public PulsarRpcServer<T, V> build(
      PulsarClient pulsarClient,
      Function<T, CompletableFuture<V>> requestFunction,
      BiConsumer<String, T> rollBackFunction)
      throws PulsarRpcServerException {
    validate(requestFunction, rollBackFunction);
    return build(pulsarClient, handlerOf(requestFunction), rollBackFunction);
  }

  /**
   * Builds and starts a server over Pulsar whose handler also receives each request's {@link
   * RequestContext} (correlation id, metadata, deadline, scheduled time, subscription, message id).
   * Otherwise as {@link #build(PulsarClient, Function, BiConsumer)}.
   *
   * @throws IllegalArgumentException when settings are missing or contradict each other
   * @throws PulsarRpcServerException when the broker refuses the subscription
   */
  public PulsarRpcServer<T, V> build(
      PulsarClient pulsarClient,
      RequestHandler<T, V> handler,
      BiConsumer<String, T> rollBackFunction)
      throws PulsarRpcServerException {
    if (pulsarClient == null) {
      throw new IllegalArgumentException("pulsarClient must not be null");
    }
    validate(handler, rollBackFunction);
    return ServerEngine.start(
        this, PulsarMessageBus.create(pulsarClient), true, handler, rollBackFunction);
  }

  /**
   * Builds and starts a server over any bus, which the server does not close. Blocks until the
   * request subscription exists. The functions are as in {@link #build(PulsarClient, Function,
   * BiConsumer)}.
   *
   * @throws IllegalArgumentException when settings are missing or contradict each other, or the bus
   *     lacks a capability they need
   * @throws PulsarRpcServerException when the bus refuses the subscription
   */
  public PulsarRpcServer<T, V> build(
      MessageBus bus,
      Function<T, CompletableFuture<V>> requestFunction,
      BiConsumer<String, T> rollBackFunction)
      throws PulsarRpcServerException {
    validate(requestFunction, rollBackFunction);
    return build(bus, handlerOf(requestFunction), rollBackFunction);
  }

  /**
   * Builds and starts a server over any bus whose handler also receives each request's {@link
   * RequestContext}. Otherwise as {@link #build(MessageBus, Function, BiConsumer)}.
   *
   * @throws IllegalArgumentException when settings are missing or contradict each other, or the bus
   *     lacks a capability they need
   * @throws PulsarRpcServerException when the bus refuses the subscription
   */
  public PulsarRpcServer<T, V> build(
      MessageBus bus, RequestHandler<T, V> handler, BiConsumer<String, T> rollBackFunction)
      throws PulsarRpcServerException {
    if (bus == null) {
      throw new IllegalArgumentException("bus must not be null");
    }
    validate(handler, rollBackFunction);
    if (requestTopicsPattern != null && !bus.supportsTopicPatterns()) {
      throw new IllegalArgumentException(
          "requestTopicsPattern is set but the " + bus.name() + " bus does not support patterns");
    }
    return ServerEngine.start(this, bus, false, handler, rollBackFunction);
  }

  private RequestHandler<T, V> handlerOf(Function<T, CompletableFuture<V>> requestFunction) {
    return (context, request) -> requestFunction.apply(request);
  }

  /** {@code handler} is the request function or the request handler, whichever was given. */
  private void validate(Object handler, BiConsumer<String, T> rollBackFunction) {
    List<String> problems = new ArrayList<>();
    if (requestSchema == null) {
      problems.add("requestSchema is null: pass it to PulsarRpcServer.builder");
    }
    if (replySchema == null) {
      problems.add("replySchema is null: pass it to PulsarRpcServer.builder");
    }
    if (requestTopic == null && requestTopicsPattern == null) {
      problems.add("neither requestTopic nor requestTopicsPattern is set: set one");
    }
    if (requestTopic != null && requestTopicsPattern != null) {
      problems.add("both requestTopic and requestTopicsPattern are set: set only one");
    }
    if (affinity != null && requestTopicsPattern != null) {
      problems.add(
          "affinity is set with requestTopicsPattern: affinity calls go to the affinity topic of"
              + " one request topic; set requestTopic, or drop affinity");
    }
    if (requestSubscription == null) {
      problems.add("requestSubscription is not set: the subscription servers consume with");
    }
    if (handler == null) {
      problems.add("requestFunction is null: the function that answers requests");
    }
    if (rollBackFunction == null) {
      problems.add(
          "rollBackFunction is null: pass (correlationId, request) -> {} when late work needs"
              + " no undoing");
    }
    if (controlTopic != null && controlToken == null) {
      problems.add(
          "controlTopic is set without controlToken: set controlToken to turn the control topic"
              + " on, or drop controlTopic");
    }
    if (controlToken != null && controlTopic().equals(requestTopic)) {
      problems.add(
          "controlTopic equals requestTopic: the control topic must be a topic of its own");
    }
    String versions = apiMinimum == 0 ? null : ApiVersions.rangeProblem(apiMinimum, apiCurrent);
    if (versions != null) {
      problems.add(versions);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot build PulsarRpcServer: " + String.join("; ", problems));
    }
  }
}
