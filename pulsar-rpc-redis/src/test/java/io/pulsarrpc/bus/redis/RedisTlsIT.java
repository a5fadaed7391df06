package io.pulsarrpc.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.server.CallsOverTls;
import io.pulsarrpc.testkit.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS passes through: calls travel over {@code rediss://}, trusting the server's authority. */
class RedisTlsIT {

  private static RedisTestServer redis;

  @BeforeAll
  static void startRedisWithTls() {
    redis = RedisTestServer.startLocalWithTls();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aCallMakesARoundTripOverTls() throws Exception {
    try (RedisMessageBus bus =
        RedisMessageBus.builder()
            .redisUrl(redis.url())
            .tlsTrustCertsFile(redis.tlsTrustCertsFile())
            .build()) {

      assertThat(redis.url()).startsWith("rediss://");
      CallsOverTls.assertACallMakesARoundTrip(bus);
    }
  }

  @Test
  void aClientThatDoesNotTrustTheServersCertificateFailsAtBuildSayingSo() {
    try (RedisMessageBus untrusting = RedisMessageBus.create(redis.url())) {

      CallsOverTls.assertAnUntrustingClientFailsSayingSo(untrusting, "tlsTrustCertsFile");
    }
  }
}
