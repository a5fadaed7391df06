package io.pulsarrpc.client;

import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.stream.RpcStream;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.stream.StreamOptions;
import io.pulsarrpc.stream.internal.FrameTarget;
import io.pulsarrpc.stream.internal.StreamFrame;
import io.pulsarrpc.stream.internal.StreamFrames;
import io.pulsarrpc.stream.internal.StreamSession;
import io.pulsarrpc.stream.internal.StreamSide;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;

/**
 * One stream being opened by the client: it waits for the first accept, makes the stream with that
 * server and sends it the confirm (ahead of anything the application sends); a later accept from
 * another server is refused with a close. No accept within the open timeout fails the open with
 * NO_RESPONDERS; a server's close before any accept (a refusal, such as {@code client_too_old})
 * fails it with the server's code.
 *
 * <p>Invariants: settles once (accepted, timed out, or ended by the client's close); leaves the
 * table when it fails, or is replaced there by the stream. Ending it ({@link #end}) after an accept
 * settled it ends the stream it became, so a client that closes while an accept is being handled
 * still closes that stream and tells its server.
 *
 * <p>Threads: accepts arrive on the inbox's delivery thread, the timeout on the timer thread;
 * {@link #future} completes on the side's callback threads.
 */
final class PendingOpen<S, R> implements FrameTarget {

  private final StreamSide side;
  private final String streamId;
  private final StreamOptions options;
  private final long openTimeoutMillis;
  private final Schema<S> sendSchema;
  private final Schema<R> receiveSchema;
  private final CompletableFuture<RpcStream<S, R>> future = new CompletableFuture<>();

  /** The stream this open became on an accept, or null once it failed. */
  private final CompletableFuture<FrameTarget> outcome = new CompletableFuture<>();

  private ScheduledFuture<?> timeout;
  private String acceptedBy;
  private boolean settled;

  PendingOpen(
      StreamSide side,
      String streamId,
      StreamOptions options,
      long openTimeoutMillis,
      Schema<S> sendSchema,
      Schema<R> receiveSchema) {
    this.side = side;
    this.streamId = streamId;
    this.options = options;
    this.openTimeoutMillis = openTimeoutMillis;
    this.sendSchema = sendSchema;
    this.receiveSchema = receiveSchema;
  }

  CompletableFuture<RpcStream<S, R>> future() {
    return future;
  }

  /** Starts the open timeout; call once the pending open is in the table. */
  synchronized void armTimeout() {
    if (!settled) {
      timeout =
          SharedTimer.schedule(
              () ->
                  fail(
                      new RpcException(
                          ErrorCode.NO_RESPONDERS,
                          "no stream server accepted stream "
                              + streamId
                              + " within "
                              + openTimeoutMillis
                              + " ms")),
              openTimeoutMillis,
              TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void onFrame(StreamFrame frame) {
    if (frame.type() == StreamFrame.Type.CLOSE) {
      refused(frame);
      return;
    }
    if (frame.type() != StreamFrame.Type.ACCEPT) {
      return;
    }
    synchronized (this) {
      if (acceptedBy != null || settled) {
        if (!frame.sender().equals(acceptedBy)) {
          side.refuseAccept(frame);
        }
        return;
      }
      acceptedBy = frame.sender();
    }
    side.producers()
        .acquire(frame.senderInbox())
        .whenComplete(
            (producer, failure) -> {
              if (failure != null) {
                fail(
                    new RpcException(
                        ErrorCode.UNAVAILABLE,
                        "cannot send to stream server " + frame.sender() + ": " + failure));
                return;
              }
              synchronized (this) {
                if (settled) {
                  side.producers().release(frame.senderInbox());
                  return;
                }
                settled = true;
                cancelTimeout();
              }
              StreamSession<S, R> stream = null;
              try {
                stream =
                    side.openSession(
                        this,
                        streamId,
                        options.topic(),
                        options.metadata(),
                        frame,
                        producer,
                        options.deadline().map(d -> d.toMillis()).orElse(0L),
                        options.idleTimeout().map(d -> d.toMillis()).orElse(0L),
                        sendSchema,
                        receiveSchema,
                        StreamFrames.signal(StreamFrame.Type.CONFIRM, streamId, side.sender()));
              } finally {
                outcome.complete(stream);
              }
              if (stream == null) {
                complete(
                    null,
                    new RpcException(ErrorCode.CANCELED, "stream " + streamId + " was abandoned"));
              } else {
                complete(stream, null);
              }
            });
  }

  /**
   * A server refused the open (its API versions exclude this client's): the open fails with the
   * server's code, unless a server accepted first, whose stream goes on.
   */
  private void refused(StreamFrame close) {
    synchronized (this) {
      if (acceptedBy != null) {
        return;
      }
    }
    fail(
        new RpcException(
            close.code(),
            "stream server "
                + close.sender()
                + " refused stream "
                + streamId
                + ": "
                + close.message()));
  }

  /**
   * Fails the open unless it settled; the id leaves the table.
   *
   * @return whether this call settled it
   */
  boolean fail(RpcException cause) {
    synchronized (this) {
      if (settled) {
        return false;
      }
      settled = true;
      cancelTimeout();
    }
    side.table().remove(streamId, this);
    outcome.complete(null);
    complete(null, cause);
    return true;
  }

  @Override
  public CompletableFuture<Void> end(StreamClosedException cause, boolean notifyPeer) {
    if (fail(cause)) {
      return CompletableFuture.completedFuture(null);
    }
    // Failed already, or accepted: then the stream it became, which the caller may not have seen
    // in the table, ends instead.
    return outcome.thenCompose(
        stream ->
            stream == null
                ? CompletableFuture.completedFuture(null)
                : stream.end(cause, notifyPeer));
  }

  private void complete(RpcStream<S, R> stream, Throwable failure) {
    side.callback(
        () -> {
          if (failure != null) {
            future.completeExceptionally(failure);
          } else {
            future.complete(stream);
          }
        });
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }
}
