package io.pulsarrpc.client;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.NoSubscribersException;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.stream.RpcStream;
import io.pulsarrpc.stream.StreamCall;
import io.pulsarrpc.stream.StreamOptions;
import io.pulsarrpc.stream.internal.StreamFrames;
import io.pulsarrpc.stream.internal.StreamSide;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pulsar.client.api.Schema;

/**
 * The stream client: opens streams ({@link PendingOpen}) by sending an open frame to the request
 * topic (or a topic's bus topic), and holds them in its {@link StreamSide}, whose inbox routes the
 * servers' frames. Closing ends every stream with CANCELED "client closed", then shuts the side
 * down and closes the bus when the client made it. Thread-safe.
 */
final class StreamClientEngine<S, R> implements PulsarRpcStreamClient<S, R> {

  private final MessageBus bus;
  private final boolean ownsBus;
  private final String requestTopic;
  private final Schema<S> sendSchema;
  private final Schema<R> receiveSchema;
  private final Duration openTimeout;
  private final int apiVersion;
  private final StreamSide side;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile boolean closing;

  private StreamClientEngine(
      PulsarRpcStreamClientBuilder<S, R> settings, MessageBus bus, boolean ownsBus) {
    this.bus = bus;
    this.ownsBus = ownsBus;
    this.requestTopic = settings.requestTopic;
    this.sendSchema = settings.sendSchema;
    this.receiveSchema = settings.receiveSchema;
    this.openTimeout = settings.openTimeout;
    this.apiVersion = settings.apiVersion;
    String id = "stream-client-" + UUID.randomUUID();
    String inbox =
        settings.replyTopic != null
            ? settings.replyTopic
            : settings.requestTopic + ".stream-client." + UUID.randomUUID();
    this.side =
        new StreamSide(
            bus,
            id,
            inbox,
            settings.requestTopic,
            StreamCall.Side.CLIENT,
            settings.window,
            settings.heartbeatInterval,
            settings.interceptors,
            "pulsar-rpc-stream-client");
  }

  static <S, R> PulsarRpcStreamClient<S, R> start(
      PulsarRpcStreamClientBuilder<S, R> settings, MessageBus bus, boolean ownsBus) {
    StreamClientEngine<S, R> client = new StreamClientEngine<>(settings, bus, ownsBus);
    try {
      BlockingCalls.await(client.side.start());
    } catch (RuntimeException e) {
      client.closeAsync();
      throw new RpcException(
          ErrorCode.UNAVAILABLE,
          "cannot subscribe to the stream inbox " + client.replyTopic() + ": " + cause(e),
          java.util.Map.of(),
          e);
    }
    return client;
  }

  private static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  @Override
  public CompletableFuture<RpcStream<S, R>> openAsync(StreamOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    if (closing) {
      return CompletableFuture.failedFuture(new RpcException(ErrorCode.CANCELED, "client closed"));
    }
    String streamId = UUID.randomUUID().toString();
    long timeoutMillis = options.openTimeout().orElse(openTimeout).toMillis();
    PendingOpen<S, R> pending =
        new PendingOpen<>(side, streamId, options, timeoutMillis, sendSchema, receiveSchema);
    side.table().add(streamId, pending);
    pending.armTimeout();
    String busTopic = CallTopics.requestTopic(requestTopic, options.topic());
    side.producers()
        .sendOnce(
            busTopic,
            StreamFrames.open(
                streamId,
                side.sender(),
                side.window(),
                side.heartbeat().toMillis(),
                timeoutMillis,
                options.deadline().map(Duration::toMillis).orElse(0L),
                options.idleTimeout().map(Duration::toMillis).orElse(0L),
                options.topic(),
                options.metadata(),
                apiVersion))
        .whenComplete(
            (id, failure) -> {
              if (cause(failure) instanceof NoSubscribersException) {
                // A bus that knows nobody listens (core NATS) lets the open fail at once.
                pending.fail(
                    new RpcException(
                        ErrorCode.NO_RESPONDERS, "no stream server consumes " + busTopic));
              } else if (failure != null) {
                pending.fail(
                    new RpcException(
                        ErrorCode.UNAVAILABLE,
                        "cannot send the open to " + busTopic + ": " + cause(failure)));
              }
            });
    if (closing) {
      pending.fail(new RpcException(ErrorCode.CANCELED, "client closed"));
    }
    return pending.future();
  }

  @Override
  public String replyTopic() {
    return side.sender().inbox();
  }

  @Override
  public String clientId() {
    return side.sender().id();
  }

  @Override
  public int openStreams() {
    return side.table().size();
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    synchronized (this) {
      if (closing) {
        return closed;
      }
      closing = true;
    }
    side.endAll(ErrorCode.CANCELED, "client closed", true)
        .thenCompose(ignored -> side.shutdown())
        .thenCompose(
            ignored -> ownsBus ? bus.closeAsync() : CompletableFuture.completedFuture(null))
        .whenComplete((ignored, failure) -> closed.complete(null));
    return closed;
  }

  @Override
  public String toString() {
    return "PulsarRpcStreamClient[" + clientId() + " on " + requestTopic + "]";
  }
}
