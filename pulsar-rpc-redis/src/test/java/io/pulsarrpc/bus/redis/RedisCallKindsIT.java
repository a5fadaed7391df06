package io.pulsarrpc.bus.redis;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.CallKindsSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** The call kinds suite on the Redis bus, against a real redis-server. */
@ExtendWith(TestBrokersExtension.class)
class RedisCallKindsIT extends CallKindsSuite {

  private final RedisTestServer redis;

  RedisCallKindsIT(RedisTestServer redis) {
    this.redis = redis;
  }

  @Override
  protected MessageBus newBus() {
    return RedisMessageBus.create(redis.url());
  }
}
