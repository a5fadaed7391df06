package io.pulsarrpc.bus.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.RpcBehaviourSuite;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance suite on the Redis bus, against a real redis-server. A bus without topic patterns
 * passes the pattern test by refusing patterns with a clear error.
 */
@ExtendWith(TestBrokersExtension.class)
class RedisRpcIT extends RpcBehaviourSuite {

  private final RedisTestServer redis;

  RedisRpcIT(RedisTestServer redis) {
    this.redis = redis;
  }

  @Override
  protected MessageBus newBus() {
    return RedisMessageBus.create(redis.url());
  }

  /** Any value, once the request topic's stream key holds a string: XADD then fails (WRONGTYPE). */
  @Override
  protected Optional<String> aRequestTheBusRefuses(Topics topics) {
    RedisClient client = RedisClient.create(redis.url());
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      connection.sync().set(RedisKeys.stream(topics.request()), RedisKeys.utf8("not a stream"));
    } finally {
      client.shutdown();
    }
    return Optional.of("any value");
  }
}
