package io.pulsarrpc.server;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.common.WireProperties;
import io.pulsarrpc.common.internal.PrefixedProperties;
import java.util.Map;

/**
 * The RPC fields of a request message, read from its key and properties, or what is wrong with
 * them.
 *
 * @param correlationId the message key, or null
 * @param replyTopic where to answer, or null
 * @param replySubscription the client's reply subscription, echoed on the reply, or null
 * @param deliverAtProperty the {@code deliverAt} property as sent, echoed on the reply, or null
 * @param deliverAt epoch millis of scheduled delivery, or 0 for a request not scheduled
 * @param deadline epoch millis after which the request must not be answered
 * @param metadata the caller's metadata, from the {@code rpc-meta-} properties; unmodifiable
 * @param problem why the request cannot be processed, or null when it can
 */
record IncomingRequest(
    String correlationId,
    String replyTopic,
    String replySubscription,
    String deliverAtProperty,
    long deliverAt,
    long deadline,
    Map<String, String> metadata,
    String problem) {

  static IncomingRequest read(IncomingMessage<?> message) {
    Map<String, String> properties = message.properties();
    String correlationId = message.key();
    String replyTopic = properties.get(WireProperties.REPLY_TOPIC);
    if (replyTopic != null && replyTopic.isBlank()) {
      replyTopic = null;
    }
    String replySubscription = properties.get(WireProperties.REPLY_SUBSCRIPTION);
    String timeoutProperty = properties.get(WireProperties.REQUEST_TIMEOUT_IN_MILLIS);
    String deliverAtProperty = properties.get(WireProperties.DELIVER_AT);
    String problem = null;
    long timeout = 0;
    long deliverAt = 0;
    if (correlationId == null || correlationId.isEmpty()) {
      problem = "the message has no key, which must be the correlation id";
    } else if (replyTopic == null) {
      problem = "property " + WireProperties.REPLY_TOPIC + " is missing";
    } else if (timeoutProperty == null) {
      problem = "property " + WireProperties.REQUEST_TIMEOUT_IN_MILLIS + " is missing";
    } else {
      try {
        timeout = Long.parseLong(timeoutProperty.strip());
        if (timeout <= 0) {
          problem =
              "property "
                  + WireProperties.REQUEST_TIMEOUT_IN_MILLIS
                  + " must be positive, got "
                  + timeoutProperty;
        }
      } catch (NumberFormatException e) {
        problem =
            "property "
                + WireProperties.REQUEST_TIMEOUT_IN_MILLIS
                + " is not a whole number: '"
                + timeoutProperty
                + "'";
      }
      if (problem == null && deliverAtProperty != null) {
        try {
          deliverAt = Long.parseLong(deliverAtProperty.strip());
          if (deliverAt < 0) {
            problem =
                "property " + WireProperties.DELIVER_AT + " is negative: " + deliverAtProperty;
          }
        } catch (NumberFormatException e) {
          problem =
              "property "
                  + WireProperties.DELIVER_AT
                  + " is not a whole number: '"
                  + deliverAtProperty
                  + "'";
        }
      }
    }
    long start = deliverAt > 0 ? deliverAt : message.publishTime();
    long deadline = problem == null ? saturatedAdd(start, timeout) : 0;
    return new IncomingRequest(
        correlationId,
        replyTopic,
        replySubscription,
        deliverAtProperty,
        deliverAt,
        deadline,
        PrefixedProperties.read(properties, WireProperties.METADATA_PREFIX),
        problem);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
