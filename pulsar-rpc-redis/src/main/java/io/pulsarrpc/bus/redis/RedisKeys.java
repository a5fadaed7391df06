package io.pulsarrpc.bus.redis;

import java.nio.charset.StandardCharsets;

/**
 * The Redis keys of the bus. A topic's stream is the key named exactly as the topic, so that any
 * Redis client can read it; the bus's own bookkeeping lives under {@value #PREFIX}.
 */
final class RedisKeys {

  static final String PREFIX = "pulsar-rpc:";

  /** Prefix of the sorted set that holds a topic's delayed entries; the topic follows. */
  static final String DELAYED_PREFIX = PREFIX + "delayed:";

  /** The set of topics that have delayed entries, so that the mover need not scan the keyspace. */
  static final byte[] DELAYED_TOPICS = utf8(PREFIX + "delayed-topics");

  private RedisKeys() {}

  /** The stream of {@code topic}: the topic's own name. */
  static byte[] stream(String topic) {
    return utf8(topic);
  }

  /** The sorted set of delayed entries of {@code topic}, scored by their delivery time. */
  static byte[] delayed(String topic) {
    return utf8(DELAYED_PREFIX + topic);
  }

  /**
   * The sorted set of the live consumers of one subscription, scored by the end of their lease. The
   * topic's length in UTF-8 bytes comes first so that no two (topic, subscription) pairs share a
   * key, whatever characters the names hold.
   */
  static byte[] members(String topic, String subscription) {
    return utf8(membersPrefix(topic) + subscription);
  }

  /** What the members keys of every subscription of {@code topic} start with. */
  static String membersPrefix(String topic) {
    return PREFIX + "members:" + topic.getBytes(StandardCharsets.UTF_8).length + ":" + topic + ":";
  }

  /**
   * The set of the consumer groups of {@code topic}'s stream that are temporary subscriptions, so
   * that a group left behind by a consumer that died can be told from a durable one and removed.
   */
  static byte[] temporaryGroups(String topic) {
    return utf8(PREFIX + "temporary:" + topic);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
