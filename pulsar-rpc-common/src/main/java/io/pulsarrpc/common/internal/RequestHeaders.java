package io.pulsarrpc.common.internal;

import io.pulsarrpc.common.WireProperties;
import java.util.HashMap;
import java.util.Map;

/**
 * The RPC fields of a request message: the one place that writes them into a message's properties
 * ({@link #write}) and reads them back ({@link #read}), so that the client and the server cannot
 * disagree on the wire format (docs/protocol.md). Immutable.
 *
 * @param correlationId the message key, or null
 * @param replyTopic where to answer, or null
 * @param replySubscription the client's reply subscription, echoed on the reply, or null
 * @param deliverAtProperty the {@code deliverAt} property as sent, echoed on the reply, or null
 * @param deliverAt epoch millis of scheduled delivery, or 0 for a request not scheduled
 * @param deadline epoch millis after which the request must not be answered
 * @param metadata the caller's metadata, from the {@code rpc-meta-} properties; unmodifiable
 * @param kind the call's kind; {@link CallKind#SINGLE} when the request has a problem
 * @param claim whether the server claims the request before running it: always for a multi or
 *     affinity call, on request for a single call
 * @param topic the call's topic, or null
 * @param apiVersion the caller's API version as sent ({@link WireProperties#API_VERSION}), or null
 *     when the caller declares none; checked by {@link ApiVersions#check}
 * @param problem why the request cannot be processed, or null when it can
 */
public record RequestHeaders(
    String correlationId,
    String replyTopic,
    String replySubscription,
    String deliverAtProperty,
    long deliverAt,
    long deadline,
    Map<String, String> metadata,
    CallKind kind,
    boolean claim,
    String topic,
    String apiVersion,
    String problem) {

  private static final String SELECT = "select";

  /**
   * The properties of a request; immutable, so that no layer below copies them again.
   *
   * @param replyTopic where the server must publish the reply
   * @param replySubscription the caller's reply subscription, echoed on the reply
   * @param timeoutMillis the caller's timeout, from the publish time or from {@code deliverAt}
   * @param deliverAt epoch millis of scheduled delivery, or 0
   * @param metadata the caller's metadata, each entry under {@link WireProperties#METADATA_PREFIX}
   */
  public static Map<String, String> write(
      String replyTopic,
      String replySubscription,
      long timeoutMillis,
      long deliverAt,
      Map<String, String> metadata) {
    return write(
        replyTopic,
        replySubscription,
        timeoutMillis,
        deliverAt,
        metadata,
        CallKind.SINGLE,
        false,
        null,
        0);
  }

  /**
   * The properties of a request of any kind; a single call without claim, topic or version has
   * exactly the properties of {@link #write(String, String, long, long, Map)}.
   *
   * @param kind the call's kind
   * @param claim for a single call, whether the server claims it first
   * @param topic the call's topic, or null
   * @param apiVersion the API version the caller speaks, or 0 for none
   */
  public static Map<String, String> write(
      String replyTopic,
      String replySubscription,
      long timeoutMillis,
      long deliverAt,
      Map<String, String> metadata,
      CallKind kind,
      boolean claim,
      String topic,
      int apiVersion) {
    String timeout = Long.toString(timeoutMillis);
    boolean plain = kind == CallKind.SINGLE && !claim && topic == null && apiVersion == 0;
    if (!metadata.isEmpty() || !plain) {
      Map<String, String> properties = new HashMap<>(8 + metadata.size() * 2);
      metadata.forEach((key, value) -> properties.put(WireProperties.METADATA_PREFIX + key, value));
      properties.put(WireProperties.REPLY_TOPIC, replyTopic);
      properties.put(WireProperties.REQUEST_TIMEOUT_IN_MILLIS, timeout);
      properties.put(WireProperties.REPLY_SUBSCRIPTION, replySubscription);
      if (deliverAt > 0) {
        properties.put(WireProperties.DELIVER_AT, Long.toString(deliverAt));
      }
      if (kind != CallKind.SINGLE) {
        properties.put(WireProperties.KIND, kind.wireName());
      } else if (claim) {
        properties.put(WireProperties.CLAIM, "true");
      }
      if (topic != null) {
        properties.put(WireProperties.TOPIC, topic);
      }
      ApiVersions.write(properties, apiVersion);
      return Map.copyOf(properties);
    }
    // Map.of for the common shapes: the cheapest immutable maps to build and to read.
    return deliverAt > 0
        ? Map.of(
            WireProperties.REPLY_TOPIC,
            replyTopic,
            WireProperties.REQUEST_TIMEOUT_IN_MILLIS,
            timeout,
            WireProperties.REPLY_SUBSCRIPTION,
            replySubscription,
            WireProperties.DELIVER_AT,
            Long.toString(deliverAt))
        : Map.of(
            WireProperties.REPLY_TOPIC,
            replyTopic,
            WireProperties.REQUEST_TIMEOUT_IN_MILLIS,
            timeout,
            WireProperties.REPLY_SUBSCRIPTION,
            replySubscription);
  }

  /** The properties of an affinity call's selection: server instance {@code serverId} runs it. */
  public static Map<String, String> writeSelect(String serverId) {
    return Map.of(WireProperties.MESSAGE, SELECT, WireProperties.SERVER_ID, serverId);
  }

  /**
   * The server instance a message of an affinity topic selects, or null when the message is not a
   * selection (an affinity request).
   */
  public static String selectedServer(Map<String, String> properties) {
    return SELECT.equals(properties.get(WireProperties.MESSAGE))
        ? properties.get(WireProperties.SERVER_ID)
        : null;
  }

  /**
   * Reads a request from its key and properties. Never throws: what is wrong is in {@link
   * #problem()}, named so that the error reply can tell the caller.
   *
   * @param key the message key, the correlation id
   * @param properties the message's properties
   * @param publishTime when the bus stored the message, the start of its deadline unless scheduled
   */
  public static RequestHeaders read(String key, Map<String, String> properties, long publishTime) {
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
    String kindProperty = properties.get(WireProperties.KIND);
    CallKind kind = CallKind.fromWireName(kindProperty);
    if (key == null || key.isEmpty()) {
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
      if (problem == null && kind == null) {
        problem =
            "property "
                + WireProperties.KIND
                + " names no call kind of this server: '"
                + kindProperty
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
    long start = deliverAt > 0 ? deliverAt : publishTime;
    long deadline = problem == null ? saturatedAdd(start, timeout) : 0;
    return new RequestHeaders(
        key,
        replyTopic,
        replySubscription,
        deliverAtProperty,
        deliverAt,
        deadline,
        PrefixedProperties.read(properties, WireProperties.METADATA_PREFIX),
        kind == null ? CallKind.SINGLE : kind,
        kind != null && (kind.claims() || "true".equals(properties.get(WireProperties.CLAIM))),
        properties.get(WireProperties.TOPIC),
        properties.get(WireProperties.API_VERSION),
        problem);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
