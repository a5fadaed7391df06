package io.pulsarrpc.bus.redis;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.server.CallsThroughACrash;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.testkit.RedisTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis dies by {@code kill -9} with 1 000 calls in flight and new calls coming, stays down for a
 * few seconds, then restarts on its append-only file: every call ends by its deadline, with a reply
 * or a clear error; every call whose request Redis acknowledged gets its reply; and every such
 * request is handled, after the restart if not before ({@link CallsThroughACrash}). The testkit's
 * Redis writes its append-only file with {@code appendfsync always}, so an entry whose XADD was
 * answered is on disk before the answer.
 */
class RedisRestartIT {

  // Room for the downtime, the restart (well under a second) and the backlog of 1 000 calls, but
  // less than the claim idle time (30 s): an entry Redis handed to a consumer in the moment of the
  // crash, whose answer was lost, must come back through the consumer's recovery after the
  // reconnect, not through a claim after the idle time. Every call whose request Redis accepted
  // must be answered.
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  // Long enough for calls to start while Redis is down, not only while it restarts.
  private static final Duration DOWNTIME = Duration.ofSeconds(3);

  private static RedisTestServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisTestServer.startLocal();
  }

  @AfterAll
  static void closeRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void everyCallEndsByItsDeadlineAndAcceptedRequestsAreHandledAfterTheRestart() throws Exception {
    CallsThroughACrash crash =
        new CallsThroughACrash("Redis restart", TIMEOUT).requireAReplyToEveryAcceptedRequest();
    // Two buses, as a server and a client in different processes would have.
    try (RedisMessageBus serverBus = RedisMessageBus.create(redis.url());
        RedisMessageBus clientBus = RedisMessageBus.create(redis.url());
        PulsarRpcServer<String, String> server = crash.server(serverBus, "restart-requests");
        PulsarRpcClient<String, String> client =
            crash.client(clientBus, "restart-requests", "restart-replies")) {
      crash.run(client, redis::kill, DOWNTIME, redis::start);
    }
  }
}
