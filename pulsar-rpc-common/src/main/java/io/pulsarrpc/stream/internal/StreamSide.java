package io.pulsarrpc.stream.internal;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.support.DaemonThreadFactory;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.stream.StreamCall;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.stream.StreamInterceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one stream client or server shares among its streams: its id and inbox, its window and
 * heartbeat, the {@link StreamTable} its inbox's frames are routed by, the {@link FrameProducers}
 * to its peers, its interceptors, and the callback threads that complete the futures its
 * application sees. Frames for unknown streams are answered by {@link UnknownStreamReplies}' rules.
 * Public for the client and server modules; not API.
 *
 * <p>Threads: thread-safe. Frames arrive on the inbox's delivery thread; callbacks run on a cached
 * pool of daemon threads named after the side, which {@link #shutdown()} stops.
 */
public final class StreamSide {

  private static final Logger log = LoggerFactory.getLogger(StreamSide.class);

  private final MessageBus bus;
  private final StreamFrames.Sender sender;
  private final String requestTopic;
  private final StreamCall.Side side;
  private final int window;
  private final Duration heartbeat;
  private final StreamInterceptors interceptors;
  private final StreamTable table = new StreamTable();
  private final FrameProducers producers;
  private final UnknownStreamReplies unknownReplies = new UnknownStreamReplies();
  private final AtomicLong unknownFrames = new AtomicLong();
  private final ExecutorService callbacks;
  private volatile FrameInbox inbox;
  // Set by endAll: a side that ends every stream answers no frame of an unknown stream.
  private volatile boolean ending;

  /**
   * @param id this client's or server's instance id
   * @param inboxTopic where its peers send its streams' frames
   * @param threadName what its callback threads' names start with
   */
  public StreamSide(
      MessageBus bus,
      String id,
      String inboxTopic,
      String requestTopic,
      StreamCall.Side side,
      int window,
      Duration heartbeat,
      List<StreamInterceptor> interceptors,
      String threadName) {
    this.bus = bus;
    this.sender = new StreamFrames.Sender(id, inboxTopic);
    this.requestTopic = requestTopic;
    this.side = side;
    this.window = window;
    this.heartbeat = heartbeat;
    this.interceptors = new StreamInterceptors(interceptors);
    this.producers = new FrameProducers(bus);
    this.callbacks = Executors.newCachedThreadPool(new DaemonThreadFactory(threadName));
  }

  /** Subscribes the inbox; completes once frames sent to it are received. */
  public CompletableFuture<Void> start() {
    return FrameInbox.open(bus, sender.inbox(), this::dispatch)
        .thenAccept(opened -> this.inbox = opened);
  }

  private void dispatch(StreamFrame frame) {
    FrameTarget target = table.get(frame.streamId());
    if (target != null) {
      target.onFrame(frame);
      return;
    }
    unknownFrames.incrementAndGet();
    // While every stream ends, a peer's frame may arrive after its stream left the table and
    // before the peer got the close: a NOT_FOUND answer could then overtake the close and hide
    // its code (CANCELED, "server closed"). The close, or the heartbeat, tells the peer instead.
    if (!ending && unknownReplies.shouldAnswer(frame.type(), frame.streamId(), System.nanoTime())) {
      sendOnce(
          frame.senderInbox(),
          StreamFrames.close(
              frame.streamId(),
              sender,
              ErrorCode.NOT_FOUND,
              "no stream " + frame.streamId() + " at " + sender.id()));
    }
  }

  /** Tells a server whose accept came after another's that the stream is taken. */
  public void refuseAccept(StreamFrame accept) {
    sendOnce(
        accept.senderInbox(),
        StreamFrames.close(
            accept.streamId(), sender, ErrorCode.CANCELED, "another server accepted"));
  }

  /** Sends one frame outside any stream (an open, an answer); a failure is only logged. */
  public CompletableFuture<Void> sendOnce(String topic, OutgoingMessage<byte[]> frame) {
    return producers
        .sendOnce(topic, frame)
        .handle(
            (id, failure) -> {
              if (failure != null) {
                log.debug("Could not send a stream frame to {}", topic, failure);
              }
              return null;
            });
  }

  /**
   * Makes a stream with a peer and puts it in the table in place of {@code pending}, then starts it
   * (sending {@code first} ahead of anything else when not null) and runs the open interceptors.
   *
   * @param producer a use of the producer to {@code peerInbox}, which the stream gives back when it
   *     closes
   * @return the stream, or null when {@code pending} no longer held the id (the producer use is
   *     then given back)
   */
  public <S, R> StreamSession<S, R> openSession(
      FrameTarget pending,
      String streamId,
      String topic,
      Map<String, String> metadata,
      StreamFrame peerFrame,
      BusProducer<byte[]> producer,
      long deadlineMillis,
      long idleMillis,
      Schema<S> sendSchema,
      Schema<R> receiveSchema,
      OutgoingMessage<byte[]> first) {
    StreamCall call =
        new StreamCall(
            streamId, requestTopic, topic, side, peerFrame.sender(), metadata, Instant.now());
    StreamSession<S, R> session =
        new StreamSession<>(
            this,
            call,
            peerFrame.senderInbox(),
            producer,
            peerFrame.window(),
            peerFrame.heartbeatMillis(),
            deadlineMillis,
            idleMillis,
            sendSchema,
            receiveSchema);
    if (!table.replace(streamId, pending, session)) {
      producers.release(peerFrame.senderInbox());
      return null;
    }
    interceptors.open(call);
    session.start(first);
    return session;
  }

  /** Called once by a stream that closed: it leaves the table and the interceptors learn why. */
  void streamClosed(StreamSession<?, ?> session, StreamClosedException cause) {
    table.remove(session.streamId(), session);
    interceptors.close(session.call(), cause);
  }

  /** Runs {@code task} on a callback thread (on this thread once the side shut down). */
  public void callback(Runnable task) {
    try {
      callbacks.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /**
   * Ends every stream and pending open or accept with {@code code} and {@code message}; tells the
   * peers when {@code notifyPeers}. From then on, frames of unknown streams get no NOT_FOUND
   * answer. Completes once the close frames left.
   */
  public CompletableFuture<Void> endAll(ErrorCode code, String message, boolean notifyPeers) {
    ending = true;
    StreamClosedException cause = new StreamClosedException(code, message, false);
    return CompletableFuture.allOf(
        table.targets().stream()
            .map(target -> target.end(cause, notifyPeers))
            .toArray(CompletableFuture[]::new));
  }

  /** Closes the inbox, the producers and the callback threads. */
  public CompletableFuture<Void> shutdown() {
    FrameInbox current = inbox;
    CompletableFuture<Void> inboxClosed =
        current == null ? CompletableFuture.completedFuture(null) : current.closeAsync();
    return CompletableFuture.allOf(inboxClosed.exceptionally(failure -> null), producers.closeAll())
        .whenComplete((ignored, failure) -> callbacks.shutdown());
  }

  public StreamFrames.Sender sender() {
    return sender;
  }

  public StreamTable table() {
    return table;
  }

  public FrameProducers producers() {
    return producers;
  }

  public int window() {
    return window;
  }

  public Duration heartbeat() {
    return heartbeat;
  }

  StreamInterceptors interceptors() {
    return interceptors;
  }

  /** Frames that named a stream this side does not know. */
  public long unknownFrames() {
    return unknownFrames.get();
  }

  /** Messages of the inbox that were not well-formed frames. */
  public long malformedFrames() {
    FrameInbox current = inbox;
    return current == null ? 0 : current.malformedFrames();
  }
}
