package io.pulsarrpc.bus.redis;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;

/** What Redis holds for the subscriptions of a topic, as an operator would look it up. */
final class RedisGroups {

  private RedisGroups() {}

  /** The names of the consumer groups of {@code topic}'s stream; none when it has no stream. */
  static List<String> names(RedisCommands<String, String> redis, String topic) {
    if (redis.exists(topic) == 0) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (Object group : redis.xinfoGroups(topic)) {
      List<?> fields = (List<?>) group;
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        if ("name".equals(String.valueOf(fields.get(i)))) {
          names.add(String.valueOf(fields.get(i + 1)));
        }
      }
    }
    return names;
  }

  /**
   * Whether Redis holds anything for {@code subscription} of {@code topic}: its group, its members
   * or its entry among the topic's temporary groups.
   */
  static boolean holds(RedisCommands<String, String> redis, String topic, String subscription) {
    return names(redis, topic).contains(subscription)
        || redis.exists(RedisKeys.membersPrefix(topic) + subscription) > 0
        || redis.sismember("pulsar-rpc:temporary:" + topic, subscription);
  }
}
