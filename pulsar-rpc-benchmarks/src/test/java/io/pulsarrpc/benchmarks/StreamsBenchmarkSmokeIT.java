package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the stream and broadcast scenarios, each after its raw baseline, for a second on every bus
 * and configuration (persistent topics only on Pulsar), to prove they work: every message was taken
 * by the peer, every update reached the three subscribers, and each scenario is compared with its
 * own baseline. It asserts what was produced, never how fast.
 */
@ExtendWith(TestBrokersExtension.class)
class StreamsBenchmarkSmokeIT {

  @Test
  void streamsAndBroadcastRunOnEveryBusAndAreComparedWithTheirRawDelivery(
      RedisTestServer redis, NatsTestServer nats) throws Exception {
    SmokeRun run =
        SmokeRun.onEveryBus(
            redis,
            nats,
            "stream,broadcast",
            // Persistent topics only: a non-persistent topic drops frames a consumer has no room
            // for, and a stream that loses a frame closes ("out of order"); see docs/guide.md.
            "--topic-domain",
            "persistent",
            "--output",
            Path.of("target", "benchmark-smoke-streams").toString());
    BenchmarkMain.Report report = run.report();
    String console = run.console();
    String[] configurations = {
      "pulsar/delay=0ms", "memory/default", "redis/default", "nats/jetstream", "nats/core"
    };
    assertThat(report.results())
        .as(console)
        .extracting(ScenarioResult::key)
        .containsExactly(
            Arrays.stream(configurations)
                .flatMap(
                    configuration ->
                        Stream.of(
                            configuration + "/raw-oneway-256",
                            configuration + "/stream-256",
                            configuration + "/raw-oneway-both-512",
                            configuration + "/stream-both-512",
                            configuration + "/raw-broadcast-64",
                            configuration + "/broadcast-64"))
                .toArray(String[]::new));
    Map<String, String> baselines = BenchmarkMain.ONE_WAY_BASELINES;
    for (ScenarioResult result : report.results()) {
      assertThat(result.calls()).as(result.key() + " completed\n" + console).isPositive();
      assertThat(result.failures()).as(result.key() + " failed\n" + console).isZero();
      if (baselines.containsKey(result.scenario())) {
        assertThat(result.baseline())
            .as(result.key())
            .endsWith("/" + baselines.get(result.scenario()) + "-" + result.inFlight());
        assertThat(result.throughputRatio()).as(result.key()).isNotNull();
      }
    }
    assertThat(console)
        .containsPattern("(PASS|MISS)  pulsar/delay=0ms stream-256 messages/s / raw")
        .containsPattern("(PASS|MISS)  pulsar/delay=0ms broadcast-64 messages/s / raw");
  }
}
