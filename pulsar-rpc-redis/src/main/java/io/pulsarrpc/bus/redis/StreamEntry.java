package io.pulsarrpc.bus.redis;

import java.util.Map;

/**
 * A stream entry read back from Redis, parsed by {@link EntryLayout}.
 *
 * @param id the stream entry id, {@code <milliseconds>-<sequence>}
 * @param key the message key, or null
 * @param properties the message properties, never null
 * @param data the encoded value; null when the entry has no {@code value} field (not written by
 *     this bus), empty for a null value; never handed out without a copy
 * @param nullValue whether the producer published a null value
 */
record StreamEntry(
    String topic,
    String id,
    String key,
    Map<String, String> properties,
    byte[] data,
    boolean nullValue) {

  /** When Redis stored the entry in the stream: the milliseconds part of its id. */
  long publishTime() {
    int dash = id.indexOf('-');
    return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
  }

  /**
   * A number that grows with the id, for {@link io.pulsarrpc.bus.BusMessageId} ordering: the
   * milliseconds shifted left by 20 bits plus the sequence (capped at 2^20 - 1, far above what one
   * millisecond holds in practice).
   */
  long sequence() {
    return sequence(id);
  }

  static long sequence(String id) {
    int dash = id.indexOf('-');
    if (dash < 0) {
      return Long.parseLong(id) << 20;
    }
    long millis = Long.parseLong(id, 0, dash, 10);
    long counter = Long.parseLong(id, dash + 1, id.length(), 10);
    return (millis << 20) | Math.min(counter, (1L << 20) - 1);
  }
}
