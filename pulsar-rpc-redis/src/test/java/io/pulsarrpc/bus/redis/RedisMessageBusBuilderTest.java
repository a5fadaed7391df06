package io.pulsarrpc.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisMessageBusBuilderTest {

  @Test
  void settersRejectValuesOutOfRangeNamingTheSetting() {
    RedisMessageBusBuilder builder = RedisMessageBus.builder();

    assertThatThrownBy(() -> builder.claimIdleTime(Duration.ofMillis(99)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claimIdleTime");
    assertThatThrownBy(() -> builder.claimIdleTime(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claimIdleTime");
    assertThatThrownBy(() -> builder.maxStreamLength(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxStreamLength");
    assertThatThrownBy(() -> builder.pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> builder.pollInterval(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> builder.consumerLease(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("consumerLease");
    assertThatThrownBy(() -> builder.negativeAckRedeliveryDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negativeAckRedeliveryDelay");
    assertThatThrownBy(() -> builder.client(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client");
  }

  @Test
  void aUrlThatIsNotARedisUrlIsRefusedAtOnce() {
    assertThatThrownBy(() -> RedisMessageBus.create("http://localhost:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://localhost:6379");
    assertThatThrownBy(() -> RedisMessageBus.create(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redisUrl");
  }

  @Test
  void aTrustFileThatIsNotThereIsRefusedAtOnce(@TempDir Path directory) {
    assertThatThrownBy(
            () -> RedisMessageBus.builder().tlsTrustCertsFile(directory.resolve("missing.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tlsTrustCertsFile")
        .hasMessageContaining("missing.pem");
  }

  @Test
  void aTrustFileNeedsATlsUrlOfTheBusesOwnClient(@TempDir Path directory) throws Exception {
    Path pem = Files.writeString(directory.resolve("ca.pem"), "");
    RedisClient own = RedisClient.create();
    try {
      assertThatThrownBy(
              () ->
                  RedisMessageBus.builder()
                      .redisUrl("redis://localhost:6379")
                      .tlsTrustCertsFile(pem)
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("use a rediss:// URL");
      assertThatThrownBy(() -> RedisMessageBus.builder().client(own).tlsTrustCertsFile(pem).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("SslOptions");
    } finally {
      own.shutdown();
    }
  }

  @Test
  void buildNeedsExactlyOneOfUrlAndClient() {
    assertThatThrownBy(() -> RedisMessageBus.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("set redisUrl or client");
  }

  @Test
  void buildRefusesAPollIntervalNotShorterThanTheClaimIdleTime() {
    RedisMessageBusBuilder builder =
        RedisMessageBus.builder()
            .redisUrl("redis://localhost:6379")
            .claimIdleTime(Duration.ofMillis(200))
            .pollInterval(Duration.ofMillis(200));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pollInterval (PT0.2S) must be shorter than claimIdleTime");
  }

  @Test
  void derivedIntervalsFollowTheSettings() {
    BusSettings defaults =
        new BusSettings(
            RedisMessageBus.DEFAULT_CLAIM_IDLE_TIME,
            RedisMessageBus.DEFAULT_MAX_STREAM_LENGTH,
            RedisMessageBus.DEFAULT_POLL_INTERVAL,
            RedisMessageBus.DEFAULT_CONSUMER_LEASE,
            RedisMessageBus.DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY);
    BusSettings quick =
        new BusSettings(
            Duration.ofMillis(600),
            10,
            Duration.ofMillis(50),
            Duration.ofSeconds(10),
            Duration.ZERO);

    assertThat(defaults.heartbeatInterval()).isEqualTo(Duration.ofMillis(3_333).plusNanos(333_333));
    assertThat(defaults.claimScanInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(quick.heartbeatInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(quick.claimScanInterval()).isEqualTo(Duration.ofMillis(300));
  }
}
