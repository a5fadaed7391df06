package io.pulsarrpc.stream.internal;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.stream.RpcStream;
import io.pulsarrpc.stream.StreamCall;
import io.pulsarrpc.stream.StreamClosedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;

/**
 * One open stream on one side: the state machine behind {@link RpcStream}. It numbers and sends
 * data through its {@link SendWindow}, checks incoming data with an {@link InboundSequence} and
 * holds it in a {@link ReceiveBuffer}, acknowledges what the application took, sends heartbeats and
 * watches the peer with {@link Liveness}, and closes once.
 *
 * <p>Invariants: the stream closes once ({@code closed} is set once, under the lock), and the close
 * fails every pending send and waiting receive, cancels the timers, runs the close interceptors,
 * completes {@link #whenClosed()}, removes the stream from its table and gives back its producer
 * once the close frame (if any) left. Frames leave in the order of the state changes that made
 * them.
 *
 * <p>Threads: application calls on any thread; frames on the inbox's delivery thread; ticks, the
 * deadline and the acknowledgement flush on the shared timer thread. State changes under the
 * session's lock; bus calls, future completions and interceptors run outside it, and futures the
 * application sees complete on the side's callback threads.
 */
public final class StreamSession<S, R> implements RpcStream<S, R>, FrameTarget {

  /** How long an acknowledgement waits for more takes to share it. */
  static final long ACK_DELAY_MILLIS = 2;

  private final StreamSide side;
  private final StreamCall call;
  private final String peerInbox;
  private final Schema<S> sendSchema;
  private final Schema<R> receiveSchema;
  private final FrameOutbox outbox;
  private final SendWindow sendWindow;
  private final ReceiveBuffer<R> receiveBuffer;
  private final InboundSequence sequence = new InboundSequence();
  private final Liveness liveness;
  private final long deadlineMillis;
  private final CompletableFuture<StreamClosedException> whenClosed = new CompletableFuture<>();
  private volatile StreamClosedException closed;
  private ScheduledFuture<?> ticker;
  private ScheduledFuture<?> deadline;
  private ScheduledFuture<?> ackFlush;

  StreamSession(
      StreamSide side,
      StreamCall call,
      String peerInbox,
      BusProducer<byte[]> producer,
      int peerWindow,
      long peerHeartbeatMillis,
      long deadlineMillis,
      long idleMillis,
      Schema<S> sendSchema,
      Schema<R> receiveSchema) {
    this.side = side;
    this.call = call;
    this.peerInbox = peerInbox;
    this.sendSchema = sendSchema;
    this.receiveSchema = receiveSchema;
    this.outbox = new FrameOutbox(producer, this::onSendFailure);
    this.sendWindow = new SendWindow(peerWindow);
    this.receiveBuffer = new ReceiveBuffer<>(side.window());
    this.liveness =
        new Liveness(
            side.heartbeat().toNanos(),
            TimeUnit.MILLISECONDS.toNanos(peerHeartbeatMillis),
            TimeUnit.MILLISECONDS.toNanos(idleMillis),
            System.nanoTime());
    this.deadlineMillis = deadlineMillis;
  }

  /** Starts the timers, after sending {@code first} (the client's confirm) when not null. */
  void start(OutgoingMessage<byte[]> first) {
    synchronized (this) {
      if (first != null) {
        outbox.enqueue(first);
      }
      long tick = liveness.tickNanos();
      ticker = SharedTimer.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.NANOSECONDS);
      if (deadlineMillis > 0) {
        deadline =
            SharedTimer.schedule(
                () ->
                    closeWith(
                        new StreamClosedException(
                            ErrorCode.DEADLINE_EXCEEDED,
                            "stream deadline of " + deadlineMillis + " ms passed",
                            false),
                        true),
                deadlineMillis,
                TimeUnit.MILLISECONDS);
      }
    }
    outbox.drain();
  }

  /** What interceptors know of this stream. */
  public StreamCall call() {
    return call;
  }

  @Override
  public String streamId() {
    return call.streamId();
  }

  @Override
  public String peer() {
    return call.peer();
  }

  @Override
  public CompletableFuture<Void> sendAsync(S message) {
    if (message == null) {
      throw new IllegalArgumentException("message must not be null");
    }
    return side.interceptors().send(call, message, this::sendNow);
  }

  private CompletableFuture<Void> sendNow(S message) {
    byte[] data;
    try {
      data = sendSchema.encode(message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    synchronized (this) {
      if (closed != null) {
        return CompletableFuture.failedFuture(closed);
      }
      long now = System.nanoTime();
      liveness.message(now);
      SendWindow.Release release = sendWindow.offer(data, acknowledged);
      if (release != null) {
        enqueueData(release, now);
      }
    }
    outbox.drain();
    return acknowledged;
  }

  @Override
  public CompletableFuture<R> receiveAsync() {
    CompletableFuture<R> receive = new CompletableFuture<>();
    take(receive, false);
    return receive;
  }

  /**
   * Gives {@code receive} the next message, or queues it (at the head when {@code again}: its
   * message was dropped by an interceptor), or fails it when the stream closed and nothing is left.
   */
  private void take(CompletableFuture<R> receive, boolean again) {
    R message;
    StreamClosedException cause;
    synchronized (this) {
      cause = closed;
      message = receiveBuffer.take(receive, cause == null && !again);
      if (message == null && cause == null && again) {
        receiveBuffer.requeueFirst(receive);
      }
      if (message != null && cause == null) {
        acknowledgeTaken();
      }
    }
    if (message != null) {
      outbox.drain();
      deliver(receive, message);
    } else if (cause != null) {
      receive.completeExceptionally(cause);
    }
  }

  private void deliver(CompletableFuture<R> receive, R message) {
    side.callback(
        () -> {
          if (!side.interceptors().receive(call, message, receive::complete)) {
            take(receive, true);
          }
        });
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    return closeAsync(new RpcException(ErrorCode.CANCELED, "stream closed"));
  }

  @Override
  public CompletableFuture<Void> closeAsync(RpcException cause) {
    if (cause == null) {
      throw new IllegalArgumentException("cause must not be null");
    }
    return closeWith(
        new StreamClosedException(cause.code(), String.valueOf(cause.getMessage()), false), true);
  }

  @Override
  public boolean isOpen() {
    return closed == null;
  }

  @Override
  public CompletableFuture<StreamClosedException> whenClosed() {
    return whenClosed;
  }

  @Override
  public CompletableFuture<Void> end(StreamClosedException cause, boolean notifyPeer) {
    if (!notifyPeer) {
      outbox.halt();
    }
    return closeWith(cause, notifyPeer);
  }

  @Override
  public void onFrame(StreamFrame frame) {
    if (!frame.sender().equals(call.peer())) {
      if (frame.type() == StreamFrame.Type.ACCEPT) {
        side.refuseAccept(frame);
      }
      return;
    }
    long now = System.nanoTime();
    switch (frame.type()) {
      case DATA -> onData(frame, now);
      case ACK -> onAck(frame.sequence(), now);
      case CLOSE ->
          closeWith(new StreamClosedException(frame.code(), frame.message(), true), false);
      default -> {
        synchronized (this) {
          liveness.heard(now);
        }
      }
    }
  }

  private void onData(StreamFrame frame, long now) {
    R value = null;
    RuntimeException undecodable = null;
    try {
      value = receiveSchema.decode(frame.data());
    } catch (RuntimeException e) {
      undecodable = e;
    }
    StreamClosedException violation = null;
    CompletableFuture<R> matched = null;
    synchronized (this) {
      if (closed != null) {
        return;
      }
      liveness.heard(now);
      long expected = sequence.expected();
      switch (sequence.check(frame.sequence())) {
        case DUPLICATE -> {
          return;
        }
        case OUT_OF_ORDER ->
            violation =
                violation(
                    ErrorCode.INTERNAL,
                    "out of order: expected data frame " + expected + ", got " + frame.sequence());
        case NEXT -> {
          liveness.message(now);
          if (undecodable != null) {
            violation =
                violation(
                    ErrorCode.INTERNAL,
                    "message " + frame.sequence() + " does not decode: " + undecodable);
          } else if (receiveBuffer.offer(value) == ReceiveBuffer.Offered.OVERFLOW) {
            violation =
                violation(
                    ErrorCode.RESOURCE_EXHAUSTED,
                    "the peer sent beyond the window of " + side.window() + " messages");
          } else {
            matched = receiveBuffer.matched();
            if (matched != null) {
              acknowledgeTaken();
            }
          }
        }
      }
    }
    if (violation != null) {
      closeWith(violation, true);
      return;
    }
    if (matched != null) {
      outbox.drain();
      deliver(matched, value);
    }
  }

  private void onAck(long acknowledgedSequence, long now) {
    SendWindow.Acknowledged acknowledged;
    synchronized (this) {
      if (closed != null) {
        return;
      }
      liveness.heard(now);
      acknowledged = sendWindow.acknowledge(acknowledgedSequence);
      if (acknowledged != null) {
        for (SendWindow.Release release : acknowledged.released()) {
          enqueueData(release, now);
        }
      }
    }
    if (acknowledged == null) {
      closeWith(
          violation(
              ErrorCode.INTERNAL,
              "the peer acknowledged message " + acknowledgedSequence + ", which was not sent"),
          true);
      return;
    }
    outbox.drain();
    List<CompletableFuture<Void>> completed = acknowledged.completed();
    if (!completed.isEmpty()) {
      side.callback(() -> completed.forEach(future -> future.complete(null)));
    }
  }

  private void tick() {
    Liveness.Verdict verdict;
    long silence;
    synchronized (this) {
      if (closed != null) {
        return;
      }
      long now = System.nanoTime();
      verdict = liveness.check(now);
      silence = TimeUnit.NANOSECONDS.toMillis(liveness.silence(now));
      if (verdict == Liveness.Verdict.HEARTBEAT_DUE) {
        outbox.enqueue(StreamFrames.signal(StreamFrame.Type.HEARTBEAT, streamId(), side.sender()));
        liveness.sent(now);
      }
    }
    switch (verdict) {
      case PEER_SILENT ->
          closeWith(
              violation(
                  ErrorCode.UNAVAILABLE,
                  "no word from " + peer() + " for " + silence + " ms (2.5 heartbeat intervals)"),
              true);
      case IDLE ->
          closeWith(violation(ErrorCode.DEADLINE_EXCEEDED, "stream idle for too long"), true);
      case HEARTBEAT_DUE -> outbox.drain();
      default -> {}
    }
  }

  private void flushAck() {
    synchronized (this) {
      ackFlush = null;
      if (closed != null) {
        return;
      }
      long taken = receiveBuffer.ackToSend();
      if (taken > 0) {
        enqueueAck(taken);
      }
    }
    outbox.drain();
  }

  /** Under the lock: sends an acknowledgement now when one is due, or arms the flush timer. */
  private void acknowledgeTaken() {
    long due = receiveBuffer.ackDue();
    if (due > 0) {
      enqueueAck(due);
    } else if (receiveBuffer.ackPending() && ackFlush == null) {
      ackFlush = SharedTimer.schedule(this::flushAck, ACK_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void enqueueAck(long taken) {
    outbox.enqueue(StreamFrames.ack(streamId(), side.sender(), taken));
    liveness.sent(System.nanoTime());
  }

  private void enqueueData(SendWindow.Release release, long now) {
    outbox.enqueue(
        StreamFrames.data(streamId(), side.sender(), release.sequence(), release.data()));
    liveness.sent(now);
  }

  private void onSendFailure(Throwable failure) {
    closeWith(
        violation(ErrorCode.UNAVAILABLE, "sending to " + peer() + " failed: " + failure), false);
  }

  private static StreamClosedException violation(ErrorCode code, String message) {
    return new StreamClosedException(code, message, false);
  }

  private CompletableFuture<Void> closeWith(StreamClosedException cause, boolean notifyPeer) {
    List<CompletableFuture<Void>> sends;
    List<CompletableFuture<R>> receives;
    CompletableFuture<Void> sent = CompletableFuture.completedFuture(null);
    synchronized (this) {
      if (closed != null) {
        return CompletableFuture.completedFuture(null);
      }
      closed = cause;
      sends = sendWindow.clear();
      receives = receiveBuffer.clearReceives();
      if (notifyPeer) {
        sent =
            outbox.enqueue(
                StreamFrames.close(streamId(), side.sender(), cause.code(), cause.getMessage()));
      }
      for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {ticker, deadline, ackFlush}) {
        if (timer != null) {
          timer.cancel(false);
        }
      }
    }
    outbox.drain();
    if (!sends.isEmpty() || !receives.isEmpty()) {
      side.callback(
          () -> {
            sends.forEach(future -> future.completeExceptionally(cause));
            receives.forEach(future -> future.completeExceptionally(cause));
          });
    }
    side.streamClosed(this, cause);
    whenClosed.complete(cause);
    return sent.handle((ignored, failure) -> null)
        .thenRun(() -> side.producers().release(peerInbox));
  }

  /** Messages sent and not acknowledged, plus sends waiting for room. For tests. */
  synchronized int unacknowledgedSends() {
    return sendWindow.inFlight() + sendWindow.waiting();
  }

  /** Messages received and not taken. For tests. */
  synchronized int bufferedMessages() {
    return receiveBuffer.buffered();
  }

  /** Data frames dropped as duplicates. */
  synchronized long duplicateFrames() {
    return sequence.duplicates();
  }
}
