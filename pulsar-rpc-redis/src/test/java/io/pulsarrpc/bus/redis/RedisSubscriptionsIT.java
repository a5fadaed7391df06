package io.pulsarrpc.bus.redis;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.SubscriptionsSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** The subscriptions suite on the Redis bus, against a real redis-server. */
@ExtendWith(TestBrokersExtension.class)
class RedisSubscriptionsIT extends SubscriptionsSuite {

  private final RedisTestServer redis;

  RedisSubscriptionsIT(RedisTestServer redis) {
    this.redis = redis;
  }

  @Override
  protected MessageBus newBus() {
    return RedisMessageBus.create(redis.url());
  }
}
