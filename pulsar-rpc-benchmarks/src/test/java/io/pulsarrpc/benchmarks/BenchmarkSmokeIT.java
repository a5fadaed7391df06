package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs every scenario of the single call for a second on every bus (the embedded broker the harness
 * starts itself, in-memory, Redis, NATS) to prove the harness works. It asserts what was produced,
 * never how fast. {@link CallKindsBenchmarkSmokeIT} does the same for the other call kinds.
 */
@ExtendWith(TestBrokersExtension.class)
class BenchmarkSmokeIT {

  @Test
  void everySingleCallScenarioRunsOnEveryBusAndTheResultFilesAreWritten(
      RedisTestServer redis, NatsTestServer nats) throws Exception {
    SmokeRun run =
        SmokeRun.onEveryBus(
            redis,
            nats,
            "raw,rpc-sync,rpc-async,rpc-work,rpc-dedup,rpc-dedup-shared,heap",
            "--heap-calls",
            "500",
            "--output",
            Path.of("target", "benchmark-smoke").toString());
    BenchmarkMain.Report report = run.report();
    String console = run.console();
    assertThat(report.results())
        .as(console)
        .extracting(ScenarioResult::key)
        .containsExactly(
            "pulsar/delay=0ms/raw-1",
            "pulsar/delay=0ms/raw-64",
            "pulsar/delay=0ms/rpc-sync-1",
            "pulsar/delay=0ms/rpc-async-64",
            "pulsar/delay=0ms/rpc-work-64",
            "pulsar/delay=0ms/rpc-dedup-64",
            "pulsar/delay=0ms/rpc-dedup-shared-64",
            "pulsar/delay=0ms/heap-500",
            "pulsar/delay=0ms,non-persistent/raw-1",
            "pulsar/delay=0ms,non-persistent/raw-64",
            "pulsar/delay=0ms,non-persistent/rpc-sync-1",
            "pulsar/delay=0ms,non-persistent/rpc-async-64",
            "pulsar/delay=0ms,non-persistent/rpc-work-64",
            "pulsar/delay=0ms,non-persistent/rpc-dedup-64",
            "pulsar/delay=0ms,non-persistent/rpc-dedup-shared-64",
            "memory/default/raw-1",
            "memory/default/raw-64",
            "memory/default/rpc-sync-1",
            "memory/default/rpc-async-64",
            "memory/default/rpc-work-64",
            "memory/default/rpc-dedup-64",
            "memory/default/heap-500",
            "redis/default/raw-1",
            "redis/default/raw-64",
            "redis/default/rpc-sync-1",
            "redis/default/rpc-async-64",
            "redis/default/rpc-work-64",
            "redis/default/rpc-dedup-64",
            "redis/default/heap-500",
            "nats/jetstream/raw-jetstream-1",
            "nats/jetstream/raw-jetstream-64",
            "nats/jetstream/rpc-sync-1",
            "nats/jetstream/rpc-async-64",
            "nats/jetstream/rpc-work-64",
            "nats/jetstream/rpc-dedup-64",
            "nats/jetstream/heap-500",
            "nats/core/raw-1",
            "nats/core/raw-64",
            "nats/core/rpc-sync-1",
            "nats/core/rpc-async-64",
            "nats/core/rpc-work-64",
            "nats/core/rpc-dedup-64",
            "nats/core/heap-500");
    for (ScenarioResult result : report.results()) {
      if (result.scenario().equals("heap")) {
        assertThat(result.pendingAfter()).as(result.key() + " pending map after").isZero();
        assertThat(result.heapBytesPerCall()).as(result.key()).isNotNull();
      } else {
        assertThat(result.calls()).as(result.key() + " completed calls\n" + console).isPositive();
        assertThat(result.failures()).as(result.key() + " failed calls\n" + console).isZero();
      }
      if (result.scenario().startsWith("rpc-")) {
        assertThat(result.baseline()).as(result.key()).isNotNull();
      }
    }
    assertThat(report.targets()).isNotEmpty();
    assertThat(console)
        .contains("Targets")
        .containsPattern("(PASS|MISS)  pulsar/delay=0ms rpc-sync");

    assertThat(Files.readAllLines(report.csv())).hasSize(report.results().size() + 1);
    JsonNode json = new ObjectMapper().readTree(report.json().toFile());
    assertThat(json.get("results")).hasSize(report.results().size());
    assertThat(json.get("targets")).hasSize(report.targets().size());
    assertThat(json.at("/machine/cores").asInt()).isPositive();
    for (Path plot : report.plots()) {
      assertThat(plot).isRegularFile();
      assertThat(Files.size(plot)).isPositive();
    }
  }
}
