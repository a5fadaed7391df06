package io.pulsarrpc.client;

import static io.pulsarrpc.common.internal.SettingChecks.atLeastOne;
import static io.pulsarrpc.common.internal.SettingChecks.nonBlank;
import static io.pulsarrpc.common.internal.SettingChecks.positive;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.stream.StreamInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Settings of a {@link PulsarRpcStreamClient}. Setters reject a bad single value with {@link
 * IllegalArgumentException}; {@link #build} checks the settings together and names what is missing
 * or contradictory. Not thread-safe; a builder may build several clients.
 *
 * <pre>{@code
 * PulsarRpcStreamClient<String, String> client =
 *     PulsarRpcStreamClient.builder(Schema.STRING, Schema.STRING)
 *         .requestTopic("persistent://public/default/chat")
 *         .build(pulsarClient);
 * try (RpcStream<String, String> stream = client.open()) {
 *   stream.send("hello");
 *   System.out.println(stream.receive());
 * }
 * }</pre>
 */
public final class PulsarRpcStreamClientBuilder<S, R> {

  /** Default {@link #window(int)}: 256 messages. */
  public static final int DEFAULT_WINDOW = 256;

  /** Default {@link #heartbeatInterval(Duration)}: 5 seconds. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  /** Default {@link #openTimeout(Duration)}: 10 seconds. */
  public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(10);

  final Schema<S> sendSchema;
  final Schema<R> receiveSchema;
  String requestTopic;
  String replyTopic;
  int window = DEFAULT_WINDOW;
  Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  Duration openTimeout = DEFAULT_OPEN_TIMEOUT;
  int apiVersion;
  final List<StreamInterceptor> interceptors = new ArrayList<>();

  PulsarRpcStreamClientBuilder(Schema<S> sendSchema, Schema<R> receiveSchema) {
    this.sendSchema = sendSchema;
    this.receiveSchema = receiveSchema;
  }

  /** The topic stream servers consume opens from. Required. */
  public PulsarRpcStreamClientBuilder<S, R> requestTopic(String requestTopic) {
    this.requestTopic = nonBlank(requestTopic, "requestTopic");
    return this;
  }

  /**
   * The client's inbox: the topic servers send its streams' frames to, read through a temporary
   * subscription (nothing stays behind when the client closes). Default: the request topic plus
   * {@code .stream-client.} and a random id, unique per client instance. Two clients must not share
   * one.
   */
  public PulsarRpcStreamClientBuilder<S, R> replyTopic(String replyTopic) {
    this.replyTopic = nonBlank(replyTopic, "replyTopic");
    return this;
  }

  /**
   * How many messages the client holds received and not yet taken by its application, per stream;
   * the server never has more than this in flight to it. Default 256.
   *
   * @throws IllegalArgumentException unless at least 1
   */
  public PulsarRpcStreamClientBuilder<S, R> window(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    this.window = window;
    return this;
  }

  /**
   * How often the client tells a server of a stream that it is alive when it sent nothing else; the
   * server declares the client dead (UNAVAILABLE) after two and a half intervals without a word
   * from it (so within three intervals of its last word), and the client does the same with the
   * server's interval. Default 5 s.
   *
   * @throws IllegalArgumentException unless positive
   */
  public PulsarRpcStreamClientBuilder<S, R> heartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = positive(heartbeatInterval, "heartbeatInterval");
    return this;
  }

  /**
   * How long an open waits for a server to accept before it fails with {@link
   * io.pulsarrpc.common.ErrorCode#NO_RESPONDERS}, unless the stream sets its own ({@link
   * io.pulsarrpc.stream.StreamOptions#withOpenTimeout}). Default 10 s.
   *
   * @throws IllegalArgumentException unless positive
   */
  public PulsarRpcStreamClientBuilder<S, R> openTimeout(Duration openTimeout) {
    this.openTimeout = positive(openTimeout, "openTimeout");
    return this;
  }

  /**
   * The API version this client speaks, sent with every stream's open as {@value
   * io.pulsarrpc.common.WireProperties#API_VERSION}. A stream server that declares the versions it
   * supports ({@code PulsarRpcStreamServerBuilder.apiVersions}) refuses an open whose version is
   * below its minimum with {@link io.pulsarrpc.common.ErrorCode#CLIENT_TOO_OLD} and one above its
   * current version with {@link io.pulsarrpc.common.ErrorCode#SERVER_TOO_OLD}: the open's future
   * fails with that code, and no handler runs. Default: none (no version is sent, and no server
   * checks the opens).
   *
   * @throws IllegalArgumentException unless at least 1
   */
  public PulsarRpcStreamClientBuilder<S, R> apiVersion(int version) {
    this.apiVersion = atLeastOne(version, "apiVersion");
    return this;
  }

  /**
   * Adds an interceptor after those added before; see {@link StreamInterceptor} for the order.
   * Default: none.
   *
   * @throws IllegalArgumentException when null
   */
  public PulsarRpcStreamClientBuilder<S, R> intercept(StreamInterceptor interceptor) {
    if (interceptor == null) {
      throw new IllegalArgumentException("interceptor must not be null");
    }
    interceptors.add(interceptor);
    return this;
  }

  /**
   * Builds a client over Pulsar. The client uses {@code pulsarClient} and does not close it. Blocks
   * until the inbox subscription exists.
   *
   * @throws IllegalArgumentException when the settings are missing or contradict each other
   * @throws io.pulsarrpc.common.RpcException (UNAVAILABLE) when the broker refuses the subscription
   */
  public PulsarRpcStreamClient<S, R> build(PulsarClient pulsarClient) {
    if (pulsarClient == null) {
      throw new IllegalArgumentException("pulsarClient must not be null");
    }
    validate();
    return StreamClientEngine.start(this, PulsarMessageBus.create(pulsarClient), true);
  }

  /**
   * Builds a client over any bus. The client does not close {@code bus}. Blocks until the inbox
   * subscription exists.
   *
   * @throws IllegalArgumentException when the settings are missing or contradict each other
   * @throws io.pulsarrpc.common.RpcException (UNAVAILABLE) when the bus refuses the subscription
   */
  public PulsarRpcStreamClient<S, R> build(MessageBus bus) {
    if (bus == null) {
      throw new IllegalArgumentException("bus must not be null");
    }
    validate();
    return StreamClientEngine.start(this, bus, false);
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (sendSchema == null) {
      problems.add("sendSchema is null: pass it to PulsarRpcStreamClient.builder");
    }
    if (receiveSchema == null) {
      problems.add("receiveSchema is null: pass it to PulsarRpcStreamClient.builder");
    }
    if (requestTopic == null) {
      problems.add("requestTopic is not set: the topic the stream servers consume");
    }
    if (replyTopic != null && replyTopic.equals(requestTopic)) {
      problems.add(
          "replyTopic equals requestTopic: servers would read the client's frames as opens; leave"
              + " replyTopic unset for a unique one");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot build PulsarRpcStreamClient: " + String.join("; ", problems));
    }
  }
}
