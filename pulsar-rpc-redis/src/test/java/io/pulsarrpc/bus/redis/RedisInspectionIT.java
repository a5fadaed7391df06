package io.pulsarrpc.bus.redis;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.InspectionSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** The inspection suite on the Redis bus, against a real redis-server. */
@ExtendWith(TestBrokersExtension.class)
class RedisInspectionIT extends InspectionSuite {

  private final RedisTestServer redis;

  RedisInspectionIT(RedisTestServer redis) {
    this.redis = redis;
  }

  @Override
  protected MessageBus newBus() {
    return RedisMessageBus.create(redis.url());
  }
}
