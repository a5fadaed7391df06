package io.pulsarrpc.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A reply as a {@link DeduplicationStore} keeps it: the reply value encoded with the server's reply
 * schema (null for an error reply), the properties that make it an error reply (code, message and
 * details; empty for a success), and when the store may forget it. The routing properties (reply
 * subscription, scheduled time, server subscription) are not kept: a re-sent reply takes them from
 * the delivery it answers. Immutable.
 *
 * @param value the encoded reply value, or null
 * @param properties the error reply's properties, or empty for a success
 * @param expiresAtMillis epoch milliseconds after which the reply is no longer remembered
 */
public record RememberedReply(byte[] value, Map<String, String> properties, long expiresAtMillis) {

  private static final int FORMAT_VERSION = 1;

  /**
   * @throws IllegalArgumentException when {@code properties} is null
   */
  public RememberedReply {
    if (properties == null) {
      throw new IllegalArgumentException("properties must not be null");
    }
    value = value == null ? null : value.clone();
    properties = Map.copyOf(properties);
  }

  /** A copy of the encoded reply value, or null. */
  @Override
  public byte[] value() {
    return value == null ? null : value.clone();
  }

  /** Whether the reply expired at {@code nowMillis}. */
  public boolean isExpiredAt(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RememberedReply that
        && expiresAtMillis == that.expiresAtMillis
        && Arrays.equals(value, that.value)
        && properties.equals(that.properties);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(value) + properties.hashCode())
        + Long.hashCode(expiresAtMillis);
  }

  @Override
  public String toString() {
    return "RememberedReply[value="
        + (value == null ? "null" : value.length + " bytes")
        + ", properties="
        + properties.keySet()
        + ", expiresAtMillis="
        + expiresAtMillis
        + "]";
  }

  /** The bytes a shared store keeps: version, expiry, value, properties. */
  byte[] toBytes() {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(64 + (value == null ? 0 : value.length));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeLong(expiresAtMillis);
      out.writeInt(value == null ? -1 : value.length);
      if (value != null) {
        out.write(value);
      }
      out.writeInt(properties.size());
      for (Map.Entry<String, String> property : properties.entrySet()) {
        out.writeUTF(property.getKey());
        out.writeUTF(property.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads what {@link #toBytes()} wrote.
   *
   * @throws IllegalArgumentException when the bytes are not a remembered reply of this format
   */
  static RememberedReply fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int version = in.readUnsignedByte();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("unknown remembered-reply format " + version);
      }
      long expiresAt = in.readLong();
      int length = in.readInt();
      byte[] value = null;
      if (length > bytes.length) {
        throw new IllegalArgumentException("value length " + length + " exceeds the record");
      }
      if (length >= 0) {
        value = new byte[length];
        in.readFully(value);
      }
      int count = in.readInt();
      if (count < 0) {
        throw new IllegalArgumentException("negative property count " + count);
      }
      Map<String, String> properties = new HashMap<>();
      for (int i = 0; i < count; i++) {
        properties.put(in.readUTF(), in.readUTF());
      }
      return new RememberedReply(value, properties, expiresAt);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a remembered reply: " + e.getMessage(), e);
    }
  }
}
