package io.pulsarrpc.bus.redis;

import java.nio.charset.StandardCharsets;

/**
 * Conversions between Java values and what the Lua scripts take and answer: arguments are ASCII
 * numbers, answers are Longs or byte arrays. Stateless.
 */
final class RedisValues {

  private RedisValues() {}

  /** A script's integer answer, as a Long or as its decimal text. */
  static long asLong(Object value) {
    return value instanceof Long number ? number : Long.parseLong(text(value));
  }

  /** A script's bulk answer as UTF-8 text. */
  static String text(Object value) {
    return value instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }

  /** A number as a script argument. */
  static byte[] ascii(long number) {
    return ascii(Long.toString(number));
  }

  /** An ASCII text (an entry id, a number) as a script argument. */
  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
