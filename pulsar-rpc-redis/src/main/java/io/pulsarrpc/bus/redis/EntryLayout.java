package io.pulsarrpc.bus.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a stream entry (documented in {@code docs/protocol.md}), and the encoding of a
 * delayed entry as a sorted-set member that the mover script turns back into fields.
 *
 * <ul>
 *   <li>{@code key}: the message key in UTF-8; absent when the message has none;
 *   <li>{@code value}: the value as the producer's schema encoded it; always present, empty for a
 *       null value;
 *   <li>{@code null-value}: {@code 1} when the value is null; absent otherwise;
 *   <li>{@code p:<name>}: one field per property, the value in UTF-8.
 * </ul>
 *
 * Fields of other names are ignored when reading, so that other writers may add their own.
 */
final class EntryLayout {

  static final String KEY = "key";
  static final String VALUE = "value";
  static final String NULL_VALUE = "null-value";
  static final String PROPERTY_PREFIX = "p:";

  /** Length of the unique id that starts a delayed member (a UUID in text). */
  static final int DELAYED_ID_LENGTH = 36;

  private EntryLayout() {}

  /** The fields, as alternating names and values, in the order above. */
  static List<byte[]> fields(String key, byte[] data, Map<String, String> properties) {
    List<byte[]> fields = new ArrayList<>(4 + 2 * properties.size());
    if (key != null) {
      fields.add(utf8(KEY));
      fields.add(utf8(key));
    }
    fields.add(utf8(VALUE));
    fields.add(data == null ? new byte[0] : data);
    if (data == null) {
      fields.add(utf8(NULL_VALUE));
      fields.add(utf8("1"));
    }
    for (Map.Entry<String, String> property : properties.entrySet()) {
      fields.add(utf8(PROPERTY_PREFIX + property.getKey()));
      fields.add(utf8(property.getValue()));
    }
    return fields;
  }

  /**
   * A delayed entry as one sorted-set member: the {@value #DELAYED_ID_LENGTH}-character unique id
   * (so that equal messages stay distinct members), the stream's maximum length in decimal and
   * {@code ;}, then every field name and value as {@code <length in bytes>:<bytes>}. The mover
   * script parses exactly this.
   */
  static byte[] delayedMember(String uniqueId, long maxLength, List<byte[]> fields) {
    if (uniqueId.length() != DELAYED_ID_LENGTH) {
      throw new IllegalArgumentException("delayed entry id must have 36 characters: " + uniqueId);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(uniqueId + maxLength + ";"));
    for (byte[] part : fields) {
      out.writeBytes(utf8(part.length + ":"));
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Parses alternating field names and values as Redis returns them. */
  static StreamEntry parse(String topic, String id, List<byte[]> fields) {
    String key = null;
    byte[] data = null;
    boolean nullValue = false;
    Map<String, String> properties = new HashMap<>();
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      String name = new String(fields.get(i), StandardCharsets.UTF_8);
      byte[] value = fields.get(i + 1);
      if (name.equals(KEY)) {
        key = new String(value, StandardCharsets.UTF_8);
      } else if (name.equals(VALUE)) {
        data = value;
      } else if (name.equals(NULL_VALUE)) {
        nullValue = true;
      } else if (name.startsWith(PROPERTY_PREFIX)) {
        properties.put(
            name.substring(PROPERTY_PREFIX.length()), new String(value, StandardCharsets.UTF_8));
      }
    }
    return new StreamEntry(topic, id, key, Map.copyOf(properties), data, nullValue);
  }

  /** Parses an entry body as Lettuce returns it from XREADGROUP. */
  static StreamEntry parse(String topic, String id, Map<byte[], byte[]> body) {
    List<byte[]> fields = new ArrayList<>(2 * body.size());
    for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
      fields.add(field.getKey());
      fields.add(field.getValue());
    }
    return parse(topic, id, fields);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
