package io.pulsarrpc.stream.internal;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.WireProperties;
import io.pulsarrpc.common.internal.ApiVersions;
import io.pulsarrpc.common.internal.PrefixedProperties;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place that writes stream frames into bus messages and reads them back, so that client and
 * server cannot disagree on the wire (docs/protocol.md). Every frame is a message whose key is the
 * stream id, with {@code rpc-kind=stream}, {@code rpc-frame}, the sender's id and inbox; a data
 * frame's value is the message encoded with the sender's schema, every other frame's is empty.
 * Stateless and thread-safe.
 */
public final class StreamFrames {

  /** The value of {@link WireProperties#KIND} on stream frames. */
  public static final String KIND = "stream";

  private static final byte[] EMPTY = new byte[0];

  /** Who sends: its id and its inbox, written on every frame. */
  public record Sender(String id, String inbox) {}

  private StreamFrames() {}

  /**
   * An open frame: what the client asks of the servers.
   *
   * @param deadlineMillis 0 for none
   * @param idleMillis 0 for none
   * @param apiVersion the API version the client speaks, 0 for none
   */
  public static OutgoingMessage<byte[]> open(
      String streamId,
      Sender client,
      int window,
      long heartbeatMillis,
      long openTimeoutMillis,
      long deadlineMillis,
      long idleMillis,
      String topic,
      Map<String, String> metadata,
      int apiVersion) {
    Map<String, String> properties = base(StreamFrame.Type.OPEN, client);
    metadata.forEach((key, value) -> properties.put(WireProperties.METADATA_PREFIX + key, value));
    properties.put(WireProperties.REPLY_TOPIC, client.inbox());
    properties.put(WireProperties.REQUEST_TIMEOUT_IN_MILLIS, Long.toString(openTimeoutMillis));
    properties.put(WireProperties.STREAM_WINDOW, Integer.toString(window));
    properties.put(WireProperties.STREAM_HEARTBEAT_MS, Long.toString(heartbeatMillis));
    if (deadlineMillis > 0) {
      properties.put(WireProperties.STREAM_DEADLINE_MS, Long.toString(deadlineMillis));
    }
    if (idleMillis > 0) {
      properties.put(WireProperties.STREAM_IDLE_MS, Long.toString(idleMillis));
    }
    if (topic != null) {
      properties.put(WireProperties.TOPIC, topic);
    }
    ApiVersions.write(properties, apiVersion);
    return OutgoingMessage.of(streamId, EMPTY, properties);
  }

  /** An accept frame: a server offers to own the stream. */
  public static OutgoingMessage<byte[]> accept(
      String streamId, Sender server, int window, long heartbeatMillis) {
    Map<String, String> properties = base(StreamFrame.Type.ACCEPT, server);
    properties.put(WireProperties.STREAM_WINDOW, Integer.toString(window));
    properties.put(WireProperties.STREAM_HEARTBEAT_MS, Long.toString(heartbeatMillis));
    return OutgoingMessage.of(streamId, EMPTY, properties);
  }

  /** A data frame carrying one encoded message. */
  public static OutgoingMessage<byte[]> data(
      String streamId, Sender sender, long sequence, byte[] data) {
    Map<String, String> properties = base(StreamFrame.Type.DATA, sender);
    properties.put(WireProperties.SEQUENCE, Long.toString(sequence));
    return OutgoingMessage.of(streamId, data, properties);
  }

  /** An ack frame: the receiver's application took every message up to {@code sequence}. */
  public static OutgoingMessage<byte[]> ack(String streamId, Sender sender, long sequence) {
    Map<String, String> properties = base(StreamFrame.Type.ACK, sender);
    properties.put(WireProperties.SEQUENCE, Long.toString(sequence));
    return OutgoingMessage.of(streamId, EMPTY, properties);
  }

  /** A close frame with the closer's code and message. */
  public static OutgoingMessage<byte[]> close(
      String streamId, Sender sender, ErrorCode code, String message) {
    Map<String, String> properties = base(StreamFrame.Type.CLOSE, sender);
    properties.put(WireProperties.ERROR_CODE, code.wireName());
    properties.put(WireProperties.ERROR_MESSAGE, message == null ? "" : message);
    return OutgoingMessage.of(streamId, EMPTY, properties);
  }

  /** A frame with nothing but its type: {@code confirm} or {@code heartbeat}. */
  public static OutgoingMessage<byte[]> signal(
      StreamFrame.Type type, String streamId, Sender sender) {
    return OutgoingMessage.of(streamId, EMPTY, base(type, sender));
  }

  private static Map<String, String> base(StreamFrame.Type type, Sender sender) {
    Map<String, String> properties = new HashMap<>(16);
    properties.put(WireProperties.KIND, KIND);
    properties.put(WireProperties.FRAME, type.wireName());
    properties.put(WireProperties.SERVER_ID, sender.id());
    properties.put(WireProperties.STREAM_INBOX, sender.inbox());
    return properties;
  }

  /**
   * Reads a frame. Never throws.
   *
   * @return the frame, or null when the message is not a well-formed stream frame (no key, no
   *     sender, unknown type, a number that does not parse or is out of range)
   */
  public static StreamFrame read(IncomingMessage<byte[]> message) {
    Map<String, String> properties = message.properties();
    String streamId = message.key();
    StreamFrame.Type type = StreamFrame.Type.fromWireName(properties.get(WireProperties.FRAME));
    String sender = properties.get(WireProperties.SERVER_ID);
    String inbox = properties.get(WireProperties.STREAM_INBOX);
    if (!KIND.equals(properties.get(WireProperties.KIND))
        || type == null
        || isBlank(streamId)
        || isBlank(sender)
        || isBlank(inbox)) {
      return null;
    }
    try {
      long sequence = 0;
      int window = 0;
      long heartbeat = 0;
      long openTimeout = 0;
      switch (type) {
        case DATA, ACK -> sequence = positive(properties, WireProperties.SEQUENCE);
        case OPEN, ACCEPT -> {
          window = Math.toIntExact(positive(properties, WireProperties.STREAM_WINDOW));
          heartbeat = positive(properties, WireProperties.STREAM_HEARTBEAT_MS);
          if (type == StreamFrame.Type.OPEN) {
            openTimeout = positive(properties, WireProperties.REQUEST_TIMEOUT_IN_MILLIS);
          }
        }
        default -> {}
      }
      boolean open = type == StreamFrame.Type.OPEN;
      boolean close = type == StreamFrame.Type.CLOSE;
      return new StreamFrame(
          type,
          streamId,
          sender,
          inbox,
          sequence,
          window,
          heartbeat,
          openTimeout,
          open ? optional(properties, WireProperties.STREAM_DEADLINE_MS) : 0,
          open ? optional(properties, WireProperties.STREAM_IDLE_MS) : 0,
          open ? properties.get(WireProperties.TOPIC) : null,
          open ? PrefixedProperties.read(properties, WireProperties.METADATA_PREFIX) : Map.of(),
          open ? properties.get(WireProperties.API_VERSION) : null,
          close ? ErrorCode.fromWireName(properties.get(WireProperties.ERROR_CODE)) : null,
          close ? properties.getOrDefault(WireProperties.ERROR_MESSAGE, "") : null,
          type == StreamFrame.Type.DATA ? message.data() : EMPTY,
          message.publishTime());
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static long positive(Map<String, String> properties, String name) {
    String value = properties.get(name);
    if (value == null) {
      throw new NumberFormatException(name + " is missing");
    }
    long number = Long.parseLong(value.strip());
    if (number < 1) {
      throw new NumberFormatException(name + " must be positive");
    }
    return number;
  }

  private static long optional(Map<String, String> properties, String name) {
    return properties.containsKey(name) ? positive(properties, name) : 0;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
