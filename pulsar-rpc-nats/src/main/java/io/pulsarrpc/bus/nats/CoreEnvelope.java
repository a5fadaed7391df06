package io.pulsarrpc.bus.nats;

import io.nats.client.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * How a message's key, properties and publish time travel on core NATS: in a binary envelope at the
 * head of the body, before the value, so that a message carries no NATS headers. Headers are text
 * that both ends parse on every message; the envelope is a few length-prefixed byte strings. The
 * JetStream mode keeps {@link MessageHeaders}.
 *
 * <p>The envelope, all integers big-endian:
 *
 * <table>
 *   <caption>A core NATS message body</caption>
 *   <tr><th>bytes</th><th>content</th></tr>
 *   <tr><td>4</td><td>{@code FF 52 50 01}: the mark ({@code 0xFF}, {@code RP}) and version 1</td>
 *   </tr>
 *   <tr><td>1</td><td>flags: bit 0 set when there is a key, bit 1 when the value is null</td></tr>
 *   <tr><td>8</td><td>the publish time, epoch milliseconds (the producer's clock)</td></tr>
 *   <tr><td>4 + n</td><td>when there is a key: its length n and its UTF-8 bytes</td></tr>
 *   <tr><td>4</td><td>the number of properties</td></tr>
 *   <tr><td>(4 + n) twice per property</td><td>its name, then its value, each as a length and
 *       UTF-8 bytes</td></tr>
 *   <tr><td>the rest</td><td>the value, encoded by the producer's schema; nothing for a null
 *       value</td></tr>
 * </table>
 *
 * <p>A message that does not start with the mark, or whose envelope is cut short, is read as a
 * plain value without key or properties: what another NATS client publishes on the subject is
 * handed over, not dropped. A message with NATS headers is read as the JetStream mode writes it
 * ({@link MessageHeaders}), so that a publisher that sets headers (the {@code nats} command line,
 * an earlier version of this bus) is understood too.
 *
 * <p>Stateless; called by producers on their callers' threads and by consumers on their jnats
 * dispatcher threads.
 */
final class CoreEnvelope {

  /** The first bytes of an envelope: the mark and the version. */
  static final byte[] MARK = {(byte) 0xFF, 'R', 'P', 1};

  private static final int HAS_KEY = 1;
  private static final int NULL_VALUE = 2;
  private static final int FIXED_SIZE = MARK.length + 1 + 8 + 4;

  /**
   * What a received core NATS message says.
   *
   * @param fields key, properties and null-value flag ({@code deliverAt} is always 0)
   * @param publishTime the producer's clock at the send, or the time of receipt when the message
   *     does not say
   * @param value the value's bytes, as the producer's schema encoded them
   */
  record Opened(MessageHeaders.Decoded fields, long publishTime, byte[] value) {}

  private CoreEnvelope() {}

  /** The body of a message with these fields and {@code value}, the schema-encoded value. */
  static byte[] write(
      String key,
      Map<String, String> properties,
      long publishTime,
      boolean nullValue,
      byte[] value) {
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    byte[][] propertyBytes = new byte[2 * properties.size()][];
    int size = FIXED_SIZE + value.length + (keyBytes == null ? 0 : 4 + keyBytes.length);
    int i = 0;
    for (Map.Entry<String, String> property : properties.entrySet()) {
      propertyBytes[i] = property.getKey().getBytes(StandardCharsets.UTF_8);
      propertyBytes[i + 1] = property.getValue().getBytes(StandardCharsets.UTF_8);
      size += 8 + propertyBytes[i].length + propertyBytes[i + 1].length;
      i += 2;
    }
    ByteBuffer body = ByteBuffer.allocate(size);
    body.put(MARK);
    body.put((byte) ((keyBytes == null ? 0 : HAS_KEY) | (nullValue ? NULL_VALUE : 0)));
    body.putLong(publishTime);
    if (keyBytes != null) {
      body.putInt(keyBytes.length).put(keyBytes);
    }
    body.putInt(properties.size());
    for (byte[] text : propertyBytes) {
      body.putInt(text.length).put(text);
    }
    body.put(value);
    return body.array();
  }

  /**
   * Reads a received message: its envelope, its headers when it has some, or else its body as a
   * plain value; {@code receivedAt} is the publish time when the message does not carry one.
   */
  static Opened read(Message message, long receivedAt) {
    byte[] body = message.getData() == null ? new byte[0] : message.getData();
    if (message.hasHeaders()) {
      return new Opened(
          MessageHeaders.read(message.getHeaders()),
          MessageHeaders.publishTime(message.getHeaders(), receivedAt),
          body);
    }
    Opened opened = open(body);
    return opened != null ? opened : plain(body, receivedAt);
  }

  /** The envelope at the head of {@code body}; null when there is none or it is cut short. */
  private static Opened open(byte[] body) {
    if (body.length < FIXED_SIZE || !Arrays.equals(body, 0, MARK.length, MARK, 0, MARK.length)) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(body, MARK.length, body.length - MARK.length);
    int flags = in.get();
    long publishTime = in.getLong();
    String key = null;
    if ((flags & HAS_KEY) != 0) {
      key = text(in);
      if (key == null) {
        return null;
      }
    }
    if (in.remaining() < 4) {
      return null;
    }
    int count = in.getInt();
    // Each property takes at least 8 bytes: a count beyond that is not an envelope's.
    if (count < 0 || count > in.remaining() / 8) {
      return null;
    }
    Map<String, String> properties = new HashMap<>(2 * count);
    for (int i = 0; i < count; i++) {
      String name = text(in);
      String value = name == null ? null : text(in);
      if (value == null) {
        return null;
      }
      properties.put(name, value);
    }
    byte[] value = Arrays.copyOfRange(body, in.position(), body.length);
    boolean nullValue = (flags & NULL_VALUE) != 0;
    return new Opened(
        new MessageHeaders.Decoded(key, Collections.unmodifiableMap(properties), 0, nullValue),
        publishTime,
        value);
  }

  /** A length-prefixed UTF-8 string; null when the bytes left are too few. */
  private static String text(ByteBuffer in) {
    if (in.remaining() < 4) {
      return null;
    }
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      return null;
    }
    String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return text;
  }

  private static Opened plain(byte[] body, long receivedAt) {
    return new Opened(new MessageHeaders.Decoded(null, Map.of(), 0, false), receivedAt, body);
  }
}
