package io.pulsarrpc.server;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.DaemonThreadFactory;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.internal.ApiVersions;
import io.pulsarrpc.common.internal.ReceiveLoop;
import io.pulsarrpc.stream.StreamCall;
import io.pulsarrpc.stream.internal.StreamFrame;
import io.pulsarrpc.stream.internal.StreamFrames;
import io.pulsarrpc.stream.internal.StreamSession;
import io.pulsarrpc.stream.internal.StreamSide;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream server: the acceptor reads opens from the request topic (and registered topics) under
 * the server's subscription, answers each it can take with an accept and holds a {@link
 * PendingAccept} until the client confirms; confirmed streams run the handler on the handler
 * threads. An open that is malformed, a duplicate or past its open timeout is acknowledged and
 * dropped; one whose API version the server does not support is acknowledged and answered with a
 * close that carries the refusal's code; one beyond {@code maxStreams} is negatively acknowledged,
 * for another server.
 *
 * <p>Threads: opens arrive on the bus's delivery threads and never block there; handlers run on a
 * cached pool of daemon threads. Thread-safe.
 */
final class StreamServerEngine<R, S> implements PulsarRpcStreamServer<R, S> {

  private static final Logger log = LoggerFactory.getLogger(StreamServerEngine.class);
  private static final int OPENS_IN_PROGRESS = 64;

  private final MessageBus bus;
  private final boolean ownsBus;
  private final String requestTopic;
  private final String subscription;
  private final Schema<R> receiveSchema;
  private final Schema<S> sendSchema;
  private final StreamHandler<R, S> handler;
  private final int maxStreams;
  private final ApiVersions apiVersions;
  private final StreamSide side;
  private final TopicSubscriptions<byte[]> topics;
  private final ExecutorService handlers;
  private final AtomicLong droppedOpens = new AtomicLong();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile BusConsumer<byte[]> opens;
  private volatile ReceiveLoop<byte[]> loop;

  private StreamServerEngine(
      PulsarRpcStreamServerBuilder<R, S> settings, MessageBus bus, boolean ownsBus) {
    this.bus = bus;
    this.ownsBus = ownsBus;
    this.requestTopic = settings.requestTopic;
    this.subscription = settings.subscription;
    this.receiveSchema = settings.receiveSchema;
    this.sendSchema = settings.sendSchema;
    this.handler = settings.handler;
    this.maxStreams = settings.maxStreams;
    this.apiVersions = settings.apiVersions();
    String id = "stream-server-" + UUID.randomUUID();
    this.side =
        new StreamSide(
            bus,
            id,
            settings.requestTopic + ".stream." + id,
            settings.requestTopic,
            StreamCall.Side.SERVER,
            settings.window,
            settings.heartbeatInterval,
            settings.interceptors,
            "pulsar-rpc-stream-server-callbacks");
    this.topics =
        new TopicSubscriptions<>(
            bus,
            requestTopic,
            subscription,
            Schema.BYTES,
            SubscriptionSpec.DEFAULT_RECEIVER_QUEUE_SIZE,
            OPENS_IN_PROGRESS,
            Duration.ofSeconds(1),
            this::onOpen);
    this.handlers =
        Executors.newCachedThreadPool(new DaemonThreadFactory("pulsar-rpc-stream-handler"));
  }

  static <R, S> PulsarRpcStreamServer<R, S> start(
      PulsarRpcStreamServerBuilder<R, S> settings, MessageBus bus, boolean ownsBus) {
    StreamServerEngine<R, S> server = new StreamServerEngine<>(settings, bus, ownsBus);
    try {
      BlockingCalls.await(
          server
              .side
              .start()
              .thenCompose(
                  ignored ->
                      bus.subscribe(
                          SubscriptionSpec.ofTopic(
                              server.requestTopic,
                              server.subscription,
                              SubscriptionMode.SHARED,
                              Schema.BYTES)))
              .thenAccept(server::startAccepting));
    } catch (RuntimeException e) {
      server.closeAsync();
      throw new RpcException(
          ErrorCode.UNAVAILABLE,
          "cannot subscribe stream server "
              + server.serverId()
              + " to "
              + server.requestTopic
              + ": "
              + (e instanceof CompletionException && e.getCause() != null ? e.getCause() : e),
          Map.of(),
          e);
    }
    return server;
  }

  private void startAccepting(BusConsumer<byte[]> consumer) {
    opens = consumer;
    loop =
        new ReceiveLoop<>(
            consumer, this::onOpen, OPENS_IN_PROGRESS, "stream opens of server " + serverId());
    loop.start();
  }

  private void onOpen(IncomingMessage<byte[]> message, Runnable release) {
    StreamFrame open = StreamFrames.read(message);
    if (open == null
        || open.type() != StreamFrame.Type.OPEN
        || stopping.get()
        || System.currentTimeMillis() > open.publishTime() + open.openTimeoutMillis()
        || side.table().get(open.streamId()) != null) {
      droppedOpens.incrementAndGet();
      message.acknowledge();
      release.run();
      return;
    }
    ApiVersions.Refusal refusal = apiVersions == null ? null : apiVersions.check(open.apiVersion());
    if (refusal != null) {
      refuse(open, refusal);
      message.acknowledge();
      release.run();
      return;
    }
    if (side.table().size() >= maxStreams) {
      message.negativeAcknowledge();
      release.run();
      return;
    }
    side.producers()
        .acquire(open.senderInbox())
        .thenCompose(
            producer -> {
              PendingAccept<R, S> pending =
                  new PendingAccept<>(
                      side, open, producer, sendSchema, receiveSchema, this::runHandler);
              if (!side.table().add(open.streamId(), pending)) {
                side.producers().release(open.senderInbox());
                return CompletableFuture.completedFuture(null);
              }
              pending.armTimeout();
              return producer
                  .send(
                      StreamFrames.accept(
                          open.streamId(),
                          side.sender(),
                          side.window(),
                          side.heartbeat().toMillis()))
                  .whenComplete(
                      (id, failure) -> {
                        if (failure != null) {
                          pending.drop();
                        }
                      });
            })
        .whenComplete(
            (id, failure) -> {
              if (failure != null) {
                log.warn("Could not accept stream {}", open.streamId(), failure);
                message.negativeAcknowledge();
              } else {
                message.acknowledge();
              }
              release.run();
            });
  }

  /** Tells the client why its open is refused: it fails the open with the refusal's code. */
  private void refuse(StreamFrame open, ApiVersions.Refusal refusal) {
    log.warn(
        "Stream server {} refuses stream {}: {}", serverId(), open.streamId(), refusal.message());
    side.sendOnce(
        open.senderInbox(),
        StreamFrames.close(open.streamId(), side.sender(), refusal.code(), refusal.message()));
  }

  private void runHandler(StreamSession<S, R> stream) {
    try {
      handlers.execute(
          () -> {
            try {
              handler.onOpen(stream);
            } catch (RpcException e) {
              stream.closeAsync(e);
            } catch (Exception | Error e) {
              stream.closeAsync(
                  new RpcException(
                      ErrorCode.INTERNAL,
                      e.getMessage() == null ? e.getClass().getName() : e.getMessage()));
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      stream.closeAsync(new RpcException(ErrorCode.CANCELED, "server closed"));
    }
  }

  @Override
  public String subscription() {
    return subscription;
  }

  @Override
  public String serverId() {
    return side.sender().id();
  }

  @Override
  public CompletableFuture<Void> registerTopicAsync(String topic) {
    return topics.register(topic);
  }

  @Override
  public CompletableFuture<Void> deregisterTopicAsync(String topic) {
    return topics.deregister(topic);
  }

  @Override
  public Set<String> topics() {
    return topics.topics();
  }

  @Override
  public int openStreams() {
    return side.table().size();
  }

  /** Opens dropped as malformed, duplicate or expired. */
  long droppedOpens() {
    return droppedOpens.get();
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    return stop(true);
  }

  @Override
  public void kill() {
    stop(false);
  }

  private CompletableFuture<Void> stop(boolean graceful) {
    if (!stopping.compareAndSet(false, true)) {
      if (!graceful) {
        side.endAll(ErrorCode.CANCELED, "server killed", false);
      }
      return closed;
    }
    ReceiveLoop<byte[]> current = loop;
    if (current != null) {
      current.stop();
    }
    CompletableFuture<Void> ended =
        graceful
            ? side.endAll(ErrorCode.CANCELED, "server closed", true)
            : side.endAll(ErrorCode.CANCELED, "server killed", false);
    BusConsumer<byte[]> consumer = opens;
    ended
        .thenCompose(ignored -> topics.closeAll())
        .thenCompose(
            ignored ->
                consumer == null
                    ? CompletableFuture.<Void>completedFuture(null)
                    : consumer.closeAsync().exceptionally(failure -> null))
        .thenCompose(ignored -> side.shutdown())
        .thenCompose(
            ignored -> ownsBus ? bus.closeAsync() : CompletableFuture.completedFuture(null))
        .whenComplete(
            (ignored, failure) -> {
              handlers.shutdown();
              closed.complete(null);
            });
    return closed;
  }

  @Override
  public String toString() {
    return "PulsarRpcStreamServer[" + serverId() + " of " + subscription + "]";
  }
}
