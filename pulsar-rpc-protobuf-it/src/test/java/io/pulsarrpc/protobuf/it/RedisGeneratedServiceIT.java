package io.pulsarrpc.protobuf.it;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.redis.RedisMessageBus;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The generated service on the Redis bus, against a real redis-server. */
@ExtendWith(TestBrokersExtension.class)
class RedisGeneratedServiceIT extends GeneratedServiceSuite {

  private final RedisTestServer redis;

  RedisGeneratedServiceIT(RedisTestServer redis) {
    this.redis = redis;
  }

  @Override
  protected MessageBus newBus() {
    return RedisMessageBus.create(redis.url());
  }
}
