package io.pulsarrpc.bus.nats;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The names a topic and a subscription get on JetStream. Any topic name works, Pulsar-style ones
 * such as {@code persistent://public/default/orders} included, and two different names never map to
 * the same stream, subject or durable consumer.
 *
 * <p>Every name is first <b>escaped</b>: its UTF-8 bytes {@code A-Z a-z 0-9 -} stay as they are,
 * {@code _} becomes {@code __}, and every other byte becomes {@code _} followed by two upper-case
 * hex digits ({@code /} is {@code _2F}, {@code .} is {@code _2E}, a space is {@code _20}, {@code é}
 * is {@code _C3_A9}). Since a hex digit is never {@code _}, the escaped text reads back in one way
 * only, so the escaping is injective, and it holds only characters that stream names, consumer
 * names, subject tokens and key-value keys all allow. Then:
 *
 * <table>
 *   <caption>Names on JetStream</caption>
 *   <tr><th>what</th><th>name</th><th>{@code persistent://public/default/orders}</th></tr>
 *   <tr><td>stream of a topic</td><td>{@code RPC_} + escaped topic</td>
 *       <td>{@code RPC_persistent_3A_2F_2Fpublic_2Fdefault_2Forders}</td></tr>
 *   <tr><td>its only subject</td><td>{@code rpc.} + escaped topic</td>
 *       <td>{@code rpc.persistent_3A_2F_2Fpublic_2Fdefault_2Forders}</td></tr>
 *   <tr><td>durable consumer of a subscription (in the topic's stream)</td>
 *       <td>escaped subscription</td><td>{@code my-sub} for {@code my-sub}</td></tr>
 * </table>
 *
 * <p>Stream and consumer names become directory names in the JetStream store, so an escaped name
 * may be at most {@value #MAX_NAME_LENGTH} characters; a longer one is refused rather than
 * shortened, because shortening could make two names collide. Letters keep their case: on a
 * case-insensitive file system (macOS by default) do not use topics that differ only in case.
 */
final class NatsNames {

  /** The prefix of a topic's stream name. */
  static final String STREAM_PREFIX = "RPC_";

  /** The prefix of a topic's subject: the subject is this plus one escaped token. */
  static final String SUBJECT_PREFIX = "rpc.";

  /** The longest stream or durable consumer name, in characters: a file name on most systems. */
  static final int MAX_NAME_LENGTH = 255;

  private static final char ESCAPE = '_';
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private NatsNames() {}

  /**
   * The stream that holds {@code topic}.
   *
   * @throws IllegalArgumentException when the topic is blank or its stream name would be too long
   */
  static String streamName(String topic) {
    return checkedLength(STREAM_PREFIX + escape(topic, "topic"), "topic", topic);
  }

  /**
   * The subject messages of {@code topic} are published on.
   *
   * @throws IllegalArgumentException when the topic is blank or its stream name would be too long
   */
  static String subject(String topic) {
    streamName(topic);
    return SUBJECT_PREFIX + escape(topic, "topic");
  }

  /**
   * The durable consumer of {@code subscription} in a topic's stream.
   *
   * @throws IllegalArgumentException when the subscription is blank or its name would be too long
   */
  static String durableName(String subscription) {
    return checkedLength(escape(subscription, "subscription"), "subscription", subscription);
  }

  /** Escapes {@code name} as the class javadoc describes. */
  static String escape(String name) {
    StringBuilder escaped = new StringBuilder(name.length() + 8);
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
        escaped.append((char) c);
      } else if (c == ESCAPE) {
        escaped.append(ESCAPE).append(ESCAPE);
      } else {
        escaped.append(ESCAPE).append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return escaped.toString();
  }

  /**
   * The name {@link #escape(String)} turned into {@code escaped}: the inverse, for tools and tests.
   *
   * @throws IllegalArgumentException when {@code escaped} is not the escaping of any name
   */
  static String unescape(String escaped) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c != ESCAPE) {
        if (!((c >= 'A' && c <= 'Z')
            || (c >= 'a' && c <= 'z')
            || (c >= '0' && c <= '9')
            || c == '-')) {
          throw notEscaped(escaped);
        }
        bytes.write(c);
      } else if (i + 1 < escaped.length() && escaped.charAt(i + 1) == ESCAPE) {
        bytes.write(ESCAPE);
        i++;
      } else if (i + 2 < escaped.length()
          && isUpperHex(escaped.charAt(i + 1))
          && isUpperHex(escaped.charAt(i + 2))) {
        bytes.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        throw notEscaped(escaped);
      }
    }
    byte[] raw = bytes.toByteArray();
    String name = new String(raw, StandardCharsets.UTF_8);
    // Bytes that are not UTF-8 would decode to replacement characters: no name escapes to them.
    if (!escape(name).equals(escaped)) {
      throw notEscaped(escaped);
    }
    return name;
  }

  private static String escape(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return escape(name);
  }

  private static String checkedLength(String mapped, String what, String name) {
    if (mapped.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " '"
              + name
              + "' is too long for NATS: its escaped name "
              + mapped
              + " has "
              + mapped.length()
              + " characters, at most "
              + MAX_NAME_LENGTH
              + " are allowed (every character other than A-Z a-z 0-9 - takes 3)");
    }
    return mapped;
  }

  private static boolean isUpperHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }

  private static IllegalArgumentException notEscaped(String escaped) {
    return new IllegalArgumentException("'" + escaped + "' is not an escaped name");
  }
}
