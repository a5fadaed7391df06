package io.pulsarrpc.bus.redis;

import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;

/**
 * Who one consumer is in Redis: its stream, its group (the subscription), its name in the group,
 * and its member entry in the subscription's members. Computed once, so that every command of the
 * consumer and its background jobs names the same keys. Immutable (the arrays are never changed).
 *
 * @param topic the topic, which is the stream's name
 * @param subscription the subscription, which is the group's name
 * @param name the consumer's unique name in its group, {@code pulsar-rpc-<uuid>}
 * @param stream the stream key
 * @param group the group name, UTF-8
 * @param consumer the consumer name, UTF-8
 * @param members the key of the subscription's members
 * @param member this consumer's member: {@code E:<name>} or {@code S:<name>} by mode
 */
record ConsumerKeys(
    String topic,
    String subscription,
    String name,
    byte[] stream,
    byte[] group,
    byte[] consumer,
    byte[] members,
    byte[] member) {

  static ConsumerKeys of(SubscriptionSpec<?> spec, String name) {
    String mode = spec.mode() == SubscriptionMode.EXCLUSIVE ? "E:" : "S:";
    return new ConsumerKeys(
        spec.topic(),
        spec.subscription(),
        name,
        RedisKeys.stream(spec.topic()),
        RedisKeys.utf8(spec.subscription()),
        RedisKeys.utf8(name),
        RedisKeys.members(spec.topic(), spec.subscription()),
        RedisKeys.utf8(mode + name));
  }

  /** "consumer {name} of subscription '{subscription}' on topic '{topic}'", for logs and errors. */
  String description() {
    return "consumer " + name + " of subscription '" + subscription + "' on topic '" + topic + "'";
  }
}
