package io.pulsarrpc.bus.nats;

import io.nats.client.impl.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a message's key, properties and delivery time travel in NATS headers on JetStream; the value
 * is the message body, encoded by the producer's schema.
 *
 * <table>
 *   <caption>Headers of a message</caption>
 *   <tr><th>header</th><th>value</th><th>when</th></tr>
 *   <tr><td>{@code rpc-key}</td><td>the key, encoded</td><td>the message has a key</td></tr>
 *   <tr><td>{@code p-} + the property's name, encoded</td><td>the property's value, encoded</td>
 *       <td>one per property</td></tr>
 *   <tr><td>{@code rpc-deliver-at}</td><td>epoch milliseconds, in decimal</td>
 *       <td>the message must not be delivered before then</td></tr>
 *   <tr><td>{@code rpc-null-value}</td><td>{@code true}</td>
 *       <td>the value is null (the body is then empty)</td></tr>
 *   <tr><td>{@code rpc-publish-time}</td><td>epoch milliseconds, in decimal</td>
 *       <td>read on core NATS, which stores nothing and so has no time of storing, from a
 *       publisher that sets headers (this bus writes a {@link CoreEnvelope} there instead)</td></tr>
 * </table>
 *
 * <p><b>Encoded</b> means percent-encoded UTF-8 (RFC 3986 style): every byte outside the printable
 * ASCII range {@code !}..{@code ~}, and {@code %} and {@code :}, becomes {@code %} and two
 * upper-case hex digits. NATS headers allow only printable ASCII in names (without {@code :}) and
 * no line breaks in values, and clients trim the spaces around a value, so this keeps any text
 * intact: {@code reply topic: é} is sent as {@code reply%20topic%3A%20%C3%A9}. Decode with any RFC
 * 3986 percent-decoder that leaves {@code +} alone (Go: {@code url.PathUnescape}). Headers with
 * other names (such as the {@code Nats-} ones the server may add) are ignored.
 */
final class MessageHeaders {

  static final String KEY = "rpc-key";
  static final String PROPERTY_PREFIX = "p-";
  static final String DELIVER_AT = "rpc-deliver-at";
  static final String NULL_VALUE = "rpc-null-value";
  static final String PUBLISH_TIME = "rpc-publish-time";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * What the headers of a received message say.
   *
   * @param key the key, or null
   * @param properties the properties, unmodifiable
   * @param deliverAt epoch milliseconds before which the message must not be handed over; 0 for
   *     none (also when the header is not a number)
   * @param nullValue whether the value is null
   */
  record Decoded(String key, Map<String, String> properties, long deliverAt, boolean nullValue) {}

  private MessageHeaders() {}

  /** The headers for a message with these fields; {@code deliverAt} 0 means none. */
  static Headers write(
      String key, Map<String, String> properties, long deliverAt, boolean nullValue) {
    Headers headers = new Headers();
    if (key != null) {
      headers.put(KEY, encode(key));
    }
    properties.forEach((name, value) -> headers.put(PROPERTY_PREFIX + encode(name), encode(value)));
    if (deliverAt > 0) {
      headers.put(DELIVER_AT, Long.toString(deliverAt));
    }
    if (nullValue) {
      headers.put(NULL_VALUE, "true");
    }
    return headers;
  }

  /** Reads the headers of a received message; {@code headers} may be null. */
  static Decoded read(Headers headers) {
    if (headers == null || headers.isEmpty()) {
      return new Decoded(null, Map.of(), 0, false);
    }
    String key = null;
    Map<String, String> properties = new HashMap<>(2 * headers.size());
    long deliverAt = 0;
    boolean nullValue = false;
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      String name = header.getKey();
      String value = header.getValue().isEmpty() ? "" : header.getValue().get(0);
      if (name.startsWith(PROPERTY_PREFIX)) {
        properties.put(decode(name.substring(PROPERTY_PREFIX.length())), decode(value));
      } else if (name.equals(KEY)) {
        key = decode(value);
      } else if (name.equals(DELIVER_AT)) {
        deliverAt = parseDeliverAt(value);
      } else if (name.equals(NULL_VALUE)) {
        nullValue = "true".equals(value);
      }
    }
    // Wrapped, not copied: read once per received message, and nothing else holds the map.
    return new Decoded(key, Collections.unmodifiableMap(properties), deliverAt, nullValue);
  }

  /** The {@code rpc-publish-time} of a core NATS message, or {@code otherwise} when absent. */
  static long publishTime(Headers headers, long otherwise) {
    String value = headers == null ? null : headers.getFirst(PUBLISH_TIME);
    long parsed = value == null ? 0 : parseDeliverAt(value);
    return parsed > 0 ? parsed : otherwise;
  }

  /** Percent-encodes {@code text} as the class javadoc describes. */
  static String encode(String text) {
    if (needsNoEncoding(text)) {
      // The usual key or property: no bytes to make, no copy.
      return text;
    }
    StringBuilder encoded = null;
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      boolean plain = b >= '!' && b <= '~' && b != '%' && b != ':';
      if (plain && encoded == null) {
        continue;
      }
      if (encoded == null) {
        encoded = new StringBuilder(bytes.length + 16);
        encoded.append(text, 0, i); // all plain ASCII so far: one char per byte
      }
      if (plain) {
        encoded.append((char) b);
      } else {
        encoded.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
      }
    }
    return encoded == null ? text : encoded.toString();
  }

  /** Whether every char of {@code text} is one that {@link #encode} keeps as it is. */
  private static boolean needsNoEncoding(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '!' || c > '~' || c == '%' || c == ':') {
        return false;
      }
    }
    return true;
  }

  /**
   * Percent-decodes {@code text}. Lenient, for headers written by other publishers: a {@code %} not
   * followed by two hex digits is kept as it is.
   */
  static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      if (text.charAt(i) == '%'
          && i + 2 < text.length()
          && hexValue(text.charAt(i + 1)) >= 0
          && hexValue(text.charAt(i + 2)) >= 0) {
        bytes.write(hexValue(text.charAt(i + 1)) * 16 + hexValue(text.charAt(i + 2)));
        i += 3;
      } else {
        int codePoint = text.codePointAt(i);
        byte[] raw = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
        i += Character.charCount(codePoint);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static long parseDeliverAt(String value) {
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
