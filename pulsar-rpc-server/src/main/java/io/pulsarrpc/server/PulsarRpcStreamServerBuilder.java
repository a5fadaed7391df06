package io.pulsarrpc.server;

import static io.pulsarrpc.common.internal.SettingChecks.atLeastOne;
import static io.pulsarrpc.common.internal.SettingChecks.nonBlank;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.common.internal.ApiVersions;
import io.pulsarrpc.stream.StreamInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Settings of a {@link PulsarRpcStreamServer}. Setters reject a bad single value with {@link
 * IllegalArgumentException}; {@link #build} checks the settings together and names what is missing
 * or contradictory. Not thread-safe; a builder may build several servers (each gets its own id and
 * inbox).
 *
 * <pre>{@code
 * PulsarRpcStreamServer<String, String> server =
 *     PulsarRpcStreamServer.builder(Schema.STRING, Schema.STRING)
 *         .requestTopic("persistent://public/default/chat")
 *         .subscription("chat-servers")
 *         .handler(stream -> {
 *           String line;
 *           while (true) {
 *             stream.send("echo " + stream.receive());
 *           }
 *         })
 *         .build(pulsarClient);
 * }</pre>
 */
public final class PulsarRpcStreamServerBuilder<R, S> {

  /** Default {@link #maxStreams(int)}: 1 000. */
  public static final int DEFAULT_MAX_STREAMS = 1_000;

  /** Default {@link #window(int)}: 256 messages. */
  public static final int DEFAULT_WINDOW = 256;

  /** Default {@link #heartbeatInterval(Duration)}: 5 seconds. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  final Schema<R> receiveSchema;
  final Schema<S> sendSchema;
  String requestTopic;
  String subscription;
  StreamHandler<R, S> handler;
  int maxStreams = DEFAULT_MAX_STREAMS;
  int window = DEFAULT_WINDOW;
  Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  int apiMinimum;
  int apiCurrent;
  final List<StreamInterceptor> interceptors = new ArrayList<>();

  PulsarRpcStreamServerBuilder(Schema<R> receiveSchema, Schema<S> sendSchema) {
    this.receiveSchema = receiveSchema;
    this.sendSchema = sendSchema;
  }

  /** The topic clients open streams on. Required. */
  public PulsarRpcStreamServerBuilder<R, S> requestTopic(String requestTopic) {
    this.requestTopic = nonBlank(requestTopic, "requestTopic");
    return this;
  }

  /**
   * The durable subscription this server consumes opens with. Servers of one subscription share the
   * opens; servers of different subscriptions each get every open and compete to accept it (the
   * client takes the first accept). Required.
   */
  public PulsarRpcStreamServerBuilder<R, S> subscription(String subscription) {
    this.subscription = nonBlank(subscription, "subscription");
    return this;
  }

  /** Runs each accepted stream; see {@link StreamHandler}. Required. */
  public PulsarRpcStreamServerBuilder<R, S> handler(StreamHandler<R, S> handler) {
    if (handler == null) {
      throw new IllegalArgumentException("handler must not be null");
    }
    this.handler = handler;
    return this;
  }

  /**
   * The most streams open or being accepted at once; an open beyond it is not accepted, so that
   * another server may take it. Default 1 000.
   *
   * @throws IllegalArgumentException unless at least 1
   */
  public PulsarRpcStreamServerBuilder<R, S> maxStreams(int maxStreams) {
    if (maxStreams < 1) {
      throw new IllegalArgumentException("maxStreams must be at least 1, got " + maxStreams);
    }
    this.maxStreams = maxStreams;
    return this;
  }

  /**
   * How many messages the server holds received and not yet taken by its handler, per stream; the
   * client never has more than this in flight to it. Default 256.
   *
   * @throws IllegalArgumentException unless at least 1
   */
  public PulsarRpcStreamServerBuilder<R, S> window(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    this.window = window;
    return this;
  }

  /**
   * How often the server tells a client of a stream that it is alive when it sent nothing else; the
   * client declares the server dead (UNAVAILABLE) after two and a half intervals without a word
   * from it (so within three intervals of its last word), and the server does the same with the
   * client's interval. Default 5 s.
   *
   * @throws IllegalArgumentException unless positive
   */
  public PulsarRpcStreamServerBuilder<R, S> heartbeatInterval(Duration heartbeatInterval) {
    if (heartbeatInterval == null || heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
      throw new IllegalArgumentException(
          "heartbeatInterval must be positive, got " + heartbeatInterval);
    }
    this.heartbeatInterval = heartbeatInterval;
    return this;
  }

  /**
   * The API versions this server supports, from {@code minimum} to {@code current}: it refuses an
   * open whose {@value io.pulsarrpc.common.WireProperties#API_VERSION} is below {@code minimum}
   * with {@link io.pulsarrpc.common.ErrorCode#CLIENT_TOO_OLD} and one above {@code current} with
   * {@link io.pulsarrpc.common.ErrorCode#SERVER_TOO_OLD} (the client's open fails with that code),
   * before the handler runs and without accepting the stream. An open without a version (a client
   * that declares none) is not checked. {@code build} checks that {@code minimum <= current}.
   * Default: none (no open is checked).
   *
   * @throws IllegalArgumentException unless both are at least 1
   */
  public PulsarRpcStreamServerBuilder<R, S> apiVersions(int minimum, int current) {
    this.apiMinimum = atLeastOne(minimum, "apiVersions minimum");
    this.apiCurrent = atLeastOne(current, "apiVersions current");
    return this;
  }

  /** The supported API versions, or null when none are set. */
  ApiVersions apiVersions() {
    return apiMinimum == 0 ? null : new ApiVersions(apiMinimum, apiCurrent);
  }

  /**
   * Adds an interceptor after those added before; see {@link StreamInterceptor} for the order.
   * Default: none.
   *
   * @throws IllegalArgumentException when null
   */
  public PulsarRpcStreamServerBuilder<R, S> intercept(StreamInterceptor interceptor) {
    if (interceptor == null) {
      throw new IllegalArgumentException("interceptor must not be null");
    }
    interceptors.add(interceptor);
    return this;
  }

  /**
   * Builds a server over Pulsar. The server uses {@code pulsarClient} and does not close it. Blocks
   * until its consumers exist.
   *
   * @throws IllegalArgumentException when the settings are missing or contradict each other
   * @throws io.pulsarrpc.common.RpcException (UNAVAILABLE) when the broker refuses a subscription
   */
  public PulsarRpcStreamServer<R, S> build(PulsarClient pulsarClient) {
    if (pulsarClient == null) {
      throw new IllegalArgumentException("pulsarClient must not be null");
    }
    validate();
    return StreamServerEngine.start(this, PulsarMessageBus.create(pulsarClient), true);
  }

  /**
   * Builds a server over any bus. The server does not close {@code bus}. Blocks until its consumers
   * exist.
   *
   * @throws IllegalArgumentException when the settings are missing or contradict each other
   * @throws io.pulsarrpc.common.RpcException (UNAVAILABLE) when the bus refuses a subscription
   */
  public PulsarRpcStreamServer<R, S> build(MessageBus bus) {
    if (bus == null) {
      throw new IllegalArgumentException("bus must not be null");
    }
    validate();
    return StreamServerEngine.start(this, bus, false);
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (receiveSchema == null) {
      problems.add("receiveSchema is null: pass it to PulsarRpcStreamServer.builder");
    }
    if (sendSchema == null) {
      problems.add("sendSchema is null: pass it to PulsarRpcStreamServer.builder");
    }
    if (requestTopic == null) {
      problems.add("requestTopic is not set: the topic clients open streams on");
    }
    if (subscription == null) {
      problems.add("subscription is not set: the subscription this server consumes opens with");
    }
    if (handler == null) {
      problems.add("handler is not set: what runs each accepted stream");
    }
    String versions = apiMinimum == 0 ? null : ApiVersions.rangeProblem(apiMinimum, apiCurrent);
    if (versions != null) {
      problems.add(versions);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot build PulsarRpcStreamServer: " + String.join("; ", problems));
    }
  }
}
