package io.pulsarrpc.common.internal;

import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.WireProperties;
import java.util.HashMap;
import java.util.Map;

/**
 * The RPC fields of a reply message: the one place that writes them into a message's properties
 * ({@link #write}) and reads them back ({@link #read}) (docs/protocol.md). Immutable.
 *
 * @param serverSubscription the answering server's subscription ({@code serverSub}), or null when
 *     the reply does not name it
 * @param replySubscription the reply subscription of the client the reply is for, or null when it
 *     is for any client (a peer that speaks only the proposal's protocol)
 * @param error what the error reply says, or null for a success
 * @param message what the message is: a reply, a claim or an offer
 * @param serverId the id of the server instance that claimed or offered, or null
 * @param affinity an offer's score; NaN when the message carries none or one that is not a number
 */
public record ReplyHeaders(
    String serverSubscription,
    String replySubscription,
    Error error,
    Message message,
    String serverId,
    double affinity) {

  /** What a message of the reply topic is, from {@link WireProperties#MESSAGE}. */
  public enum Message {
    /** A reply or error reply (no {@code rpc-message}: the proposal's). */
    REPLY(null),
    /** A server group took a request and will answer it. */
    CLAIM("claim"),
    /** A server instance offers to run an affinity call, with its score. */
    OFFER("offer"),
    /** A message kind this version does not know: ignored. */
    UNKNOWN(null);

    private final String wireName;

    Message(String wireName) {
      this.wireName = wireName;
    }

    static Message fromWireName(String wireName) {
      if (wireName == null) {
        return REPLY;
      }
      for (Message message : values()) {
        if (wireName.equals(message.wireName)) {
          return message;
        }
      }
      return UNKNOWN;
    }
  }

  /**
   * What an error reply says.
   *
   * @param code the failure's code; {@link ErrorCode#UNKNOWN} when the reply carries only the
   *     proposal's message
   * @param message the server's message
   * @param details the failure's details; unmodifiable, possibly empty
   */
  public record Error(ErrorCode code, String message, Map<String, String> details) {

    /**
     * @throws IllegalArgumentException when a field is null
     */
    public Error {
      if (code == null || message == null || details == null) {
        throw new IllegalArgumentException("code, message and details must not be null");
      }
      details = Map.copyOf(details);
    }

    /**
     * The properties of the error alone: the proposal's {@code errorMessage}, then our code and
     * details. What a server remembers of an error reply to send it again.
     */
    public Map<String, String> properties() {
      Map<String, String> properties = new HashMap<>(4 + details.size());
      put(properties);
      return properties;
    }

    private void put(Map<String, String> properties) {
      properties.put(WireProperties.ERROR_MESSAGE, message);
      properties.put(WireProperties.ERROR_CODE, code.wireName());
      details.forEach(
          (key, value) -> properties.put(WireProperties.ERROR_DETAIL_PREFIX + key, value));
    }
  }

  /**
   * The properties of a reply.
   *
   * @param serverSubscription the answering server's subscription
   * @param deliverAtProperty the request's {@code deliverAt} as it was sent, or null
   * @param replySubscription the request's reply subscription, or null
   * @param errorProperties the error's properties ({@link Error#properties()}), empty for a success
   */
  public static Map<String, String> write(
      String serverSubscription,
      String deliverAtProperty,
      String replySubscription,
      Map<String, String> errorProperties) {
    Map<String, String> properties = new HashMap<>(errorProperties.size() + 4);
    properties.put(WireProperties.SERVER_SUB, serverSubscription);
    if (deliverAtProperty != null) {
      properties.put(WireProperties.DELIVER_AT, deliverAtProperty);
    }
    if (replySubscription != null) {
      properties.put(WireProperties.REPLY_SUBSCRIPTION, replySubscription);
    }
    properties.putAll(errorProperties);
    return properties;
  }

  /**
   * The properties of a claim: a server group ({@code serverSubscription}, instance {@code
   * serverId}) took the request and will answer it.
   */
  public static Map<String, String> writeClaim(
      String serverSubscription, String serverId, String replySubscription) {
    Map<String, String> properties = write(serverSubscription, null, replySubscription, Map.of());
    properties.put(WireProperties.MESSAGE, Message.CLAIM.wireName);
    properties.put(WireProperties.SERVER_ID, serverId);
    return properties;
  }

  /** The properties of an affinity offer of server instance {@code serverId}. */
  public static Map<String, String> writeOffer(
      String serverSubscription, String serverId, String replySubscription, double affinity) {
    Map<String, String> properties = writeClaim(serverSubscription, serverId, replySubscription);
    properties.put(WireProperties.MESSAGE, Message.OFFER.wireName);
    properties.put(WireProperties.AFFINITY, Double.toString(affinity));
    return properties;
  }

  /** Reads a reply's properties; an error reply without a known code is {@code unknown}. */
  public static ReplyHeaders read(Map<String, String> properties) {
    String errorMessage = properties.get(WireProperties.ERROR_MESSAGE);
    Error error =
        errorMessage == null
            ? null
            : new Error(
                ErrorCode.fromWireName(properties.get(WireProperties.ERROR_CODE)),
                errorMessage,
                PrefixedProperties.read(properties, WireProperties.ERROR_DETAIL_PREFIX));
    return new ReplyHeaders(
        properties.get(WireProperties.SERVER_SUB),
        properties.get(WireProperties.REPLY_SUBSCRIPTION),
        error,
        Message.fromWireName(properties.get(WireProperties.MESSAGE)),
        properties.get(WireProperties.SERVER_ID),
        parseAffinity(properties.get(WireProperties.AFFINITY)));
  }

  private static double parseAffinity(String affinity) {
    if (affinity == null) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(affinity.strip());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Whether the reply is for the client reading on {@code subscription}. */
  public boolean isFor(String subscription) {
    return replySubscription == null || replySubscription.equals(subscription);
  }
}
