package io.pulsarrpc.cli;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.redis.RedisMessageBus;
import io.pulsarrpc.testkit.RedisTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;

/** The command line over {@code rediss://}. */
class RedisTlsCliIT extends CliOverTls {

  @AutoClose private static final RedisTestServer redis = RedisTestServer.startLocalWithTls();

  @Override
  String busName() {
    return "redis";
  }

  @Override
  String tlsUrl() {
    return redis.url();
  }

  @Override
  Path trustCertsFile() {
    return redis.tlsTrustCertsFile();
  }

  @Override
  MessageBus openServerBus() {
    return RedisMessageBus.builder()
        .redisUrl(redis.url())
        .tlsTrustCertsFile(redis.tlsTrustCertsFile())
        .build();
  }
}
