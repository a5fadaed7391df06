package io.pulsarrpc.server;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.stream.internal.FrameTarget;
import io.pulsarrpc.stream.internal.StreamFrame;
import io.pulsarrpc.stream.internal.StreamFrames;
import io.pulsarrpc.stream.internal.StreamSession;
import io.pulsarrpc.stream.internal.StreamSide;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pulsar.client.api.Schema;

/**
 * A stream this server accepted and the client has not yet confirmed: on the client's confirm it
 * becomes a stream and goes to the handler; on the client's close (another server was first), or
 * when the open timeout passes without a confirm, it is dropped. It holds a use of the producer to
 * the client's inbox, which the stream takes over or which it gives back when dropped.
 *
 * <p>Invariants: settles once. Ending it ({@link #end}) after the confirm settled it ends the
 * stream it became: a server that closes while a confirm is being handled still closes that stream
 * and tells its client. Threads: frames on the inbox's delivery thread, the timeout on the timer
 * thread, {@link #end} on the thread that closes the server.
 */
final class PendingAccept<R, S> implements FrameTarget {

  private final StreamSide side;
  private final StreamFrame open;
  private final BusProducer<byte[]> producer;
  private final Schema<S> sendSchema;
  private final Schema<R> receiveSchema;
  private final Consumer<StreamSession<S, R>> onConfirmed;

  /** The stream this accept became on the client's confirm, or null once dropped or ended. */
  private final CompletableFuture<FrameTarget> outcome = new CompletableFuture<>();

  private ScheduledFuture<?> timeout;
  private boolean settled;

  PendingAccept(
      StreamSide side,
      StreamFrame open,
      BusProducer<byte[]> producer,
      Schema<S> sendSchema,
      Schema<R> receiveSchema,
      Consumer<StreamSession<S, R>> onConfirmed) {
    this.side = side;
    this.open = open;
    this.producer = producer;
    this.sendSchema = sendSchema;
    this.receiveSchema = receiveSchema;
    this.onConfirmed = onConfirmed;
  }

  /** Starts waiting for the confirm; call once the accept is in the table. */
  synchronized void armTimeout() {
    if (!settled) {
      timeout = SharedTimer.schedule(() -> drop(), open.openTimeoutMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void onFrame(StreamFrame frame) {
    if (!frame.sender().equals(open.sender())) {
      return;
    }
    if (frame.type() == StreamFrame.Type.CLOSE) {
      drop();
      return;
    }
    if (frame.type() != StreamFrame.Type.CONFIRM || !settle()) {
      return;
    }
    StreamSession<S, R> stream = null;
    try {
      stream =
          side.openSession(
              this,
              open.streamId(),
              open.topic(),
              open.metadata(),
              open,
              producer,
              open.deadlineMillis(),
              open.idleMillis(),
              sendSchema,
              receiveSchema,
              null);
    } finally {
      outcome.complete(stream);
    }
    if (stream != null) {
      onConfirmed.accept(stream);
    }
  }

  /** Drops the accept unless it settled: the id leaves the table, the producer use goes back. */
  void drop() {
    if (settle()) {
      leave();
      side.producers().release(open.senderInbox());
    }
  }

  /** After settling without a stream: the id leaves the table, and the outcome is no stream. */
  private void leave() {
    side.table().remove(open.streamId(), this);
    outcome.complete(null);
  }

  /**
   * Drops the accept; when {@code notifyPeer}, the client learns why first, since it may already
   * hold the stream (its confirm can still be on the way).
   */
  @Override
  public CompletableFuture<Void> end(StreamClosedException cause, boolean notifyPeer) {
    if (!settle()) {
      // Dropped already, or confirmed: then the stream it became, which the caller may not have
      // seen in the table, ends instead.
      return outcome.thenCompose(
          stream ->
              stream == null
                  ? CompletableFuture.completedFuture(null)
                  : stream.end(cause, notifyPeer));
    }
    leave();
    if (!notifyPeer) {
      side.producers().release(open.senderInbox());
      return CompletableFuture.completedFuture(null);
    }
    return producer
        .send(StreamFrames.close(open.streamId(), side.sender(), cause.code(), cause.getMessage()))
        .handle((id, failure) -> (Void) null)
        .whenComplete((ignored, failure) -> side.producers().release(open.senderInbox()));
  }

  private synchronized boolean settle() {
    if (settled) {
      return false;
    }
    settled = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    return true;
  }
}
