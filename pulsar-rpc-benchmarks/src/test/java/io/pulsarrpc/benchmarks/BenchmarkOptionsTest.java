package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

  @Test
  void defaultsRunEveryBusAndScenarioWithBothEntriesCheckDelays() {
    BenchmarkOptions options = BenchmarkOptions.parse();

    assertThat(options.buses()).containsExactly("pulsar", "memory", "redis", "nats");
    assertThat(options.scenarios())
        .containsExactly(
            "raw",
            "rpc-sync",
            "rpc-async",
            "rpc-generated-sync",
            "rpc-generated-async",
            "rpc-work",
            "rpc-dedup",
            "rpc-dedup-shared",
            "rpc-multi",
            "rpc-affinity",
            "stream",
            "broadcast",
            "heap");
    assertThat(options.entriesCheckDelaysMs()).containsExactly(10, 0);
    assertThat(options.topicDomains()).containsExactly("persistent");
    assertThat(options.natsModes()).containsExactly("jetstream", "core");
    assertThat(options.warmUp().plus(options.duration()))
        .isLessThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(options.rounds()).isEqualTo(8);
    assertThat(options.rawRounds()).isZero();
    assertThat(options.pairsWithRaw()).isFalse();
    assertThat(options.payloadBytes()).isEqualTo(100);
    assertThat(options.inFlight()).containsExactly(64, 256);
    assertThat(options.workInFlight()).isEqualTo(64);
    assertThat(options.work()).isEqualTo(Duration.ofMillis(5));
    assertThat(options.heapCalls()).isEqualTo(10_000);
    assertThat(options.serviceUrl()).isNull();
    assertThat(options.output()).isEqualTo(Path.of("target", "benchmark-results"));
  }

  @Test
  void everyOptionIsRead() {
    BenchmarkOptions options =
        BenchmarkOptions.parse(
            "--bus", "nats, redis",
            "--scenarios", "raw,rpc-sync",
            "--service-url", "pulsar://127.0.0.1:6650",
            "--entries-check-delay-ms", "0",
            "--topic-domain", "non-persistent",
            "--nats-mode", "core",
            "--broker-setting", "journalSyncData=false",
            "--redis-url", "redis://127.0.0.1:6379",
            "--nats-url", "nats://127.0.0.1:4222",
            "--warmup", "0",
            "--duration", "0.5",
            "--rounds", "12",
            "--raw-rounds", "6",
            "--payload", "1024",
            "--in-flight", "8,16",
            "--work-in-flight", "32",
            "--work-ms", "2",
            "--heap-calls", "100",
            "--producer-config", "batchingEnabled=false,batchingMaxPublishDelayMicros=500",
            "--output", "out");

    assertThat(options.buses()).containsExactly("nats", "redis");
    assertThat(options.runs("raw")).isTrue();
    assertThat(options.runs("heap")).isFalse();
    assertThat(options.serviceUrl()).isEqualTo("pulsar://127.0.0.1:6650");
    assertThat(options.entriesCheckDelaysMs()).containsExactly(0);
    assertThat(options.topicDomains()).containsExactly("non-persistent");
    assertThat(options.natsModes()).containsExactly("core");
    assertThat(options.brokerSettings()).containsEntry("journalSyncData", "false");
    assertThat(options.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(options.natsUrl()).isEqualTo("nats://127.0.0.1:4222");
    assertThat(options.warmUp()).isZero();
    assertThat(options.duration()).isEqualTo(Duration.ofMillis(500));
    assertThat(options.rounds()).isEqualTo(12);
    assertThat(options.rawRounds()).isEqualTo(6);
    assertThat(options.pairsWithRaw()).isTrue();
    assertThat(options.payloadBytes()).isEqualTo(1024);
    assertThat(options.inFlight()).containsExactly(8, 16);
    assertThat(options.workInFlight()).isEqualTo(32);
    assertThat(options.work()).isEqualTo(Duration.ofMillis(2));
    assertThat(options.heapCalls()).isEqualTo(100);
    assertThat(options.producerConfig())
        .isEqualTo(Map.of("batchingEnabled", false, "batchingMaxPublishDelayMicros", 500L));
    assertThat(options.output()).isEqualTo(Path.of("out"));
  }

  @Test
  void rawWorkSlowsThePulsarResponderOnly() {
    assertThat(BenchmarkOptions.parse().rawPulsar()).isEqualTo(RawPulsarSettings.BARE);
    assertThat(
            BenchmarkOptions.parse("--bus", "pulsar", "--raw-work-us", "10")
                .rawPulsar()
                .responderWork())
        .isEqualTo(Duration.ofNanos(10_000));
    assertThatThrownBy(() -> BenchmarkOptions.parse("--raw-work-us", "10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--raw-work-us")
        .hasMessageContaining("--bus pulsar");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--bus", "pulsar", "--raw-work-us", "-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--raw-work-us");
  }

  @Test
  void rawPropertiesAreThoseOfAPlainCallOnThePulsarRoundTripOnly() {
    RawPulsarSettings rpc =
        BenchmarkOptions.parse("--bus", "pulsar", "--raw-properties", "rpc").rawPulsar();
    assertThat(rpc.rpcProperties()).isTrue();
    assertThat(rpc.label()).isEqualTo(",raw-properties=rpc");
    assertThat(
            BenchmarkOptions.parse(
                    "--bus", "pulsar", "--raw-properties", "rpc", "--raw-work-us", "6")
                .rawPulsar()
                .label())
        .isEqualTo(",raw-work=6us,raw-properties=rpc");
    assertThat(BenchmarkOptions.parse("--raw-properties", "none").rawPulsar())
        .isEqualTo(RawPulsarSettings.BARE);
    assertThatThrownBy(() -> BenchmarkOptions.parse("--raw-properties", "rpc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--raw-properties")
        .hasMessageContaining("--bus pulsar");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--bus", "pulsar", "--raw-properties", "all"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--raw-properties takes one of none, rpc; got 'all'");
  }

  @Test
  void rawRoundsPairNothingWhenRawIsNotRun() {
    BenchmarkOptions options =
        BenchmarkOptions.parse("--scenarios", "rpc-async", "--raw-rounds", "4");

    assertThat(options.rawRounds()).isEqualTo(4);
    assertThat(options.pairsWithRaw()).isFalse();
  }

  @Test
  void anUnknownTopicDomainOrNatsModeIsRefusedWithTheValuesThatExist() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--topic-domain", "transient"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--topic-domain takes a list of persistent,non-persistent; got 'transient'");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--nats-mode", "streaming"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--nats-mode takes a list of jetstream,core; got 'streaming'");
  }

  @Test
  void anUnknownBusIsRefusedWithTheBusesThatExist() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--bus", "pulsar,kafka"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--bus takes a list of pulsar,memory,redis,nats; got 'kafka'");
  }

  @Test
  void anUnknownOptionIsRefused() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--speed", "fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option --speed");
  }

  @Test
  void anOptionWithoutValueIsRefused() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--duration"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--duration needs a value");
  }

  @Test
  void aZeroOrEndlessDurationIsRefused() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--duration", "0"))
        .hasMessageContaining("--duration must be more than 0 to 300 seconds");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--duration", "100000"))
        .hasMessageContaining("--duration must be more than 0 to 300 seconds");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--warmup", "soon"))
        .hasMessage("--warmup takes seconds, e.g. 5 or 0.5; got 'soon'");
  }

  @Test
  void numbersOutOfRangeAreRefusedWithTheRange() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--in-flight", "64,0"))
        .hasMessage("--in-flight must be from 1 to 10000; got 0");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--rounds", "1"))
        .hasMessage("--rounds must be from 2 to 100; got 1");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--raw-rounds", "1"))
        .hasMessage("--raw-rounds takes 0 or a whole number from 2 to 100; got '1'");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--payload", "many"))
        .hasMessage("--payload takes a whole number from 1 to 4194304; got 'many'");
  }

  @Test
  void aSettingWithoutEqualsSignIsRefused() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--broker-setting", "journalSyncData"))
        .hasMessage("--broker-setting takes KEY=VALUE; got 'journalSyncData'");
  }

  @Test
  void helpIsItsOwnSignal() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--help"))
        .isInstanceOf(BenchmarkOptions.HelpRequested.class)
        .hasMessageContaining("--entries-check-delay-ms");
  }

  @Test
  void repeatedListEntriesCountOnce() {
    assertThat(BenchmarkOptions.parse("--in-flight", "64,64,1").inFlight())
        .isEqualTo(List.of(64, 1));
  }
}
