package io.pulsarrpc.bus.redis;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.StreamServerCrashSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stream server crash suite on the Redis bus, against a real redis-server. */
@ExtendWith(TestBrokersExtension.class)
class RedisStreamServerCrashIT extends StreamServerCrashSuite {

  RedisStreamServerCrashIT(RedisTestServer redis) {
    super(redis.url(), new RedisBus());
  }

  /** A bus with a Redis client of its own, at a Redis URL. */
  public static final class RedisBus implements BusFactory {

    @Override
    public MessageBus create(String redisUrl) {
      return RedisMessageBus.create(redisUrl);
    }
  }
}
