package io.pulsarrpc.stream.internal;

import io.pulsarrpc.stream.StreamClosedException;
import java.util.concurrent.CompletableFuture;

/**
 * What a stream id in a {@link StreamTable} leads to: an open stream, or one being opened (on the
 * client) or accepted (on the server). Implementations are thread-safe.
 */
public interface FrameTarget {

  /** A frame for this stream id, on the inbox's delivery thread; must not block. */
  void onFrame(StreamFrame frame);

  /**
   * Ends what this target stands for with {@code cause}; tells the peer when {@code notifyPeer}.
   * Completes once that was handed to the bus. Idempotent.
   */
  CompletableFuture<Void> end(StreamClosedException cause, boolean notifyPeer);
}
