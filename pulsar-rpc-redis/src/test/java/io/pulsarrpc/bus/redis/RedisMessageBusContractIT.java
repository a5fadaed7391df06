package io.pulsarrpc.bus.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.MessageBusContractSuite;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bus contract on the Redis bus, against a real redis-server. */
@ExtendWith(TestBrokersExtension.class)
class RedisMessageBusContractIT extends MessageBusContractSuite {

  // One client for the class: each Lettuce client starts its own event loops, and a bus leaves a
  // client it was given working when it closes.
  private static RedisClient client;

  @BeforeAll
  static void connect(RedisTestServer redis) {
    client = RedisClient.create(redis.url());
  }

  private static StatefulRedisConnection<String, String> inspection;

  @AfterAll
  static void disconnect() {
    if (inspection != null) {
      inspection.close();
    }
    if (client != null) {
      client.shutdown();
    }
  }

  @Override
  protected MessageBus newBus() {
    return RedisMessageBus.builder()
        .client(client)
        .pollInterval(Duration.ofMillis(50))
        .negativeAckRedeliveryDelay(Duration.ofMillis(100))
        .build();
  }

  @Override
  protected boolean canSeeSubscriptions() {
    return true;
  }

  /** Whether Redis has the subscription's group, members or entry among temporary groups. */
  @Override
  protected boolean holdsSubscription(String topic, String subscription) {
    synchronized (RedisMessageBusContractIT.class) {
      if (inspection == null) {
        inspection = client.connect();
      }
    }
    return RedisGroups.holds(inspection.sync(), topic, subscription);
  }
}
