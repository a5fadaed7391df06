package io.pulsarrpc.stream;

import java.time.Instant;
import java.util.Map;

/**
 * What a {@link StreamInterceptor} knows of one stream. Immutable.
 *
 * @param streamId the stream's id, the key of every frame of the stream
 * @param requestTopic the request topic of the client or server the stream belongs to
 * @param topic the stream's topic ({@link StreamOptions#withTopic}), or null
 * @param side the side this interceptor sees the stream from
 * @param peer the id of the other side (the server instance seen from the client, the client
 *     instance seen from the server)
 * @param metadata the metadata the client opened the stream with; unmodifiable, possibly empty
 * @param openedAt when the stream opened on this side
 */
public record StreamCall(
    String streamId,
    String requestTopic,
    String topic,
    Side side,
    String peer,
    Map<String, String> metadata,
    Instant openedAt) {

  /** The side of a stream. */
  public enum Side {
    /** The side that opened the stream. */
    CLIENT,
    /** The side that accepted it. */
    SERVER
  }

  /** Copies the metadata. */
  public StreamCall {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
