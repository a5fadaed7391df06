package io.pulsarrpc.bus.redis;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.RpcBehaviourSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance suite on the Redis bus, against a real redis-server. A bus without topic patterns
 * passes the pattern test by refusing patterns with a clear error.
 */
@ExtendWith(TestBrokersExtension.class)
class RedisRpcIT extends RpcBehaviourSuite {

  private final RedisMessageBus bus;

  RedisRpcIT(RedisTestServer redis) {
    this.bus = RedisMessageBus.create(redis.url());
  }

  @Override
  protected void afterResourcesClosed() {
    bus.close();
  }

  @Override
  protected MessageBus bus() {
    return bus;
  }
}
