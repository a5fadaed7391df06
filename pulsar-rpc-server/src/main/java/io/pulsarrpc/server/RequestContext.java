package io.pulsarrpc.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.pulsar.client.api.MessageId;

/**
 * What a {@link RequestHandler} knows about the request it answers, besides its value. Immutable
 * and thread-safe; valid after the handler returns.
 */
public interface RequestContext {

  /** The caller's correlation id (the request message's key). */
  String correlationId();

  /**
   * The metadata the caller attached ({@code RequestOptions.withMetadata}), as it came on the wire;
   * empty when none. Unmodifiable.
   */
  Map<String, String> metadata();

  /**
   * When the caller stops waiting: the publish time (or, for a scheduled call, the delivery time)
   * plus the call's timeout. A reply the handler produces after it is not sent; the rollback
   * function runs instead. Read it to stop long work early.
   */
  Instant deadline();

  /**
   * A copy with other metadata, for a {@link ServerInterceptor} to pass on (for example with an
   * authenticated principal added, or a token removed).
   *
   * @throws IllegalArgumentException when null
   */
  RequestContext withMetadata(Map<String, String> metadata);

  /** The time left until {@link #deadline()}, zero once it has passed. */
  default Duration remaining() {
    Duration left = Duration.between(Instant.now(), deadline());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Whether {@link #deadline()} has passed. */
  default boolean isExpired() {
    return !Instant.now().isBefore(deadline());
  }

  /** For a scheduled call ({@code requestAtAsync}/{@code requestAfterAsync}), its delivery time. */
  Optional<Instant> scheduledTime();

  /** The subscription this server consumes requests with. */
  String subscription();

  /** The topic the request came from (useful with a topic pattern). */
  String topic();

  /**
   * The bus's id of the request message: Pulsar's own {@link MessageId} on the Pulsar bus, an
   * {@link io.pulsarrpc.bus.BusMessageId} on the others.
   */
  MessageId messageId();
}
