package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestBrokersExtension.class)
class RedisTestServerIT {

  @Test
  void aStreamEntryMakesARoundTripThroughTheServer(RedisTestServer redis) {
    RedisClient client = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> commands = connection.sync();
      String id = commands.xadd("round-trip", Map.of("key", "k1", "value", "hello"));

      List<StreamMessage<String, String>> read =
          commands.xread(XReadArgs.StreamOffset.from("round-trip", "0"));

      assertThat(read).hasSize(1);
      assertThat(read.get(0).getId()).isEqualTo(id);
      assertThat(read.get(0).getBody()).containsEntry("value", "hello");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aTlsServerAnswersAClientThatTrustsItsAuthority() {
    try (RedisTestServer redis = RedisTestServer.startLocalWithTls()) {
      RedisURI uri = RedisURI.create(redis.url());
      RedisClient client = RedisClient.create(uri);
      client.setOptions(
          ClientOptions.builder()
              .sslOptions(
                  SslOptions.builder().trustManager(redis.tlsTrustCertsFile().toFile()).build())
              .build());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {

        assertThat(redis.url()).startsWith("rediss://");
        assertThat(connection.sync().ping()).isEqualTo("PONG");
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void dataSurvivesAKillAndRestart(RedisTestServer redis) {
    assumeTrue(redis.isEmbedded(), "needs a Redis the testkit runs");
    RedisClient client = RedisClient.create(redis.url());
    try {
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.sync().set("survivor", "yes");
      }

      redis.kill();
      redis.start();

      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        assertThat(connection.sync().get("survivor")).isEqualTo("yes");
      }
    } finally {
      client.shutdown();
    }
  }
}
