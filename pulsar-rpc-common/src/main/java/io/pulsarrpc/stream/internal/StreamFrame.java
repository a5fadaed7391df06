package io.pulsarrpc.stream.internal;

import io.pulsarrpc.common.ErrorCode;
import java.util.Map;

/**
 * One frame of a stream as read from the bus (docs/protocol.md). Immutable; fields a frame type
 * does not carry are 0, null or empty.
 *
 * @param type what the frame is
 * @param streamId the stream's id (the message key)
 * @param sender the id of the side that sent it
 * @param senderInbox where the sender reads its frames
 * @param sequence a data frame's sequence number, or an ack's highest taken one
 * @param window on open and accept: how many messages the sender buffers
 * @param heartbeatMillis on open and accept: the sender's heartbeat interval
 * @param openTimeoutMillis on open: how long the client waits for an accept
 * @param deadlineMillis on open: how long the stream may last, 0 for no limit
 * @param idleMillis on open: the idle timeout, 0 for none
 * @param topic on open: the stream's topic, or null
 * @param metadata on open: the client's metadata
 * @param apiVersion on open: the client's API version as sent, or null when it declares none
 * @param code on close: the closer's code
 * @param message on close: the closer's message
 * @param data on data: the encoded message
 * @param publishTime when the bus stored the frame
 */
public record StreamFrame(
    Type type,
    String streamId,
    String sender,
    String senderInbox,
    long sequence,
    int window,
    long heartbeatMillis,
    long openTimeoutMillis,
    long deadlineMillis,
    long idleMillis,
    String topic,
    Map<String, String> metadata,
    String apiVersion,
    ErrorCode code,
    String message,
    byte[] data,
    long publishTime) {

  /** The frame types, with their names on the wire. */
  public enum Type {
    OPEN("open"),
    ACCEPT("accept"),
    CONFIRM("confirm"),
    DATA("data"),
    ACK("ack"),
    HEARTBEAT("heartbeat"),
    CLOSE("close");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    /** The value of the {@code rpc-frame} property. */
    public String wireName() {
      return wireName;
    }

    static Type fromWireName(String wireName) {
      for (Type type : values()) {
        if (type.wireName.equals(wireName)) {
          return type;
        }
      }
      return null;
    }
  }
}
