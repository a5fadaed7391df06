package io.pulsarrpc.server;

import io.pulsarrpc.common.internal.RequestHeaders;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.pulsar.client.api.MessageId;

/** The {@link RequestContext} of one request, from its message and its RPC fields. */
record IncomingRequestContext(
    String correlationId,
    Map<String, String> metadata,
    Instant deadline,
    Optional<Instant> scheduledTime,
    String subscription,
    String topic,
    MessageId messageId)
    implements RequestContext {

  @Override
  public RequestContext withMetadata(Map<String, String> metadata) {
    if (metadata == null) {
      throw new IllegalArgumentException("metadata must not be null");
    }
    return new IncomingRequestContext(
        correlationId,
        Map.copyOf(metadata),
        deadline,
        scheduledTime,
        subscription,
        topic,
        messageId);
  }

  static IncomingRequestContext of(
      RequestHeaders request, String subscription, String topic, MessageId messageId) {
    return new IncomingRequestContext(
        request.correlationId(),
        request.metadata(),
        Instant.ofEpochMilli(request.deadline()),
        request.deliverAt() > 0
            ? Optional.of(Instant.ofEpochMilli(request.deliverAt()))
            : Optional.empty(),
        subscription,
        topic,
        messageId);
  }
}
