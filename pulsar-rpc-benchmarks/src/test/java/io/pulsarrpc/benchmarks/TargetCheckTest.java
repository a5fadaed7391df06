package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TargetCheckTest {

  @Test
  void theRpcAsyncBoundsAreTheIssuesPerBusAndDepth() {
    assertThat(TargetCheck.rpcAsyncBound("pulsar/delay=10ms", 64)).isEqualTo(1.0);
    assertThat(TargetCheck.rpcAsyncBound("pulsar/delay=0ms,non-persistent", 256)).isEqualTo(1.0);
    assertThat(TargetCheck.rpcAsyncBound("redis/default", 64)).isEqualTo(0.8);
    assertThat(TargetCheck.rpcAsyncBound("redis/default", 256)).isEqualTo(0.9);
    assertThat(TargetCheck.rpcAsyncBound("nats/jetstream", 256)).isEqualTo(0.8);
    assertThat(TargetCheck.rpcAsyncBound("nats/core", 64)).isEqualTo(0.5);
    assertThat(TargetCheck.rpcAsyncBound("memory/default", 64)).isNaN();
  }

  @Test
  void aPairedRpcAsyncRowIsJudgedByItsRoundsNotByTheRatioOfItsSums() {
    ScenarioResult raw = result("raw", 50_000);
    // The sums say 0.5; the rounds say about 0.92 (the raw rounds were fast while the RPC's were
    // slow, which pairing cancels).
    ScenarioResult rpc =
        result("rpc-async", 25_000)
            .withRounds(new PairedRounds(List.of(0.9, 0.95, 0.91), List.of(1.1, 1.05, 1.1)))
            .comparedWith(raw);

    List<TargetCheck> checks = TargetCheck.evaluate(List.of(raw, rpc), 5);

    assertThat(checks)
        .singleElement()
        .satisfies(
            check -> {
              assertThat(check.name()).isEqualTo("redis/default rpc-async-256 throughput / raw");
              assertThat(check.measured()).isEqualTo(rpc.rounds().calls().mean());
              assertThat(check.limit()).isEqualTo(0.9);
              assertThat(check.detail()).startsWith("3 paired rounds, 95 % CI ");
              assertThat(check.passed()).isTrue();
            });
  }

  @Test
  void anUnpairedRpcAsyncRowIsJudgedByTheRatioOfItsRow() {
    ScenarioResult raw = result("raw", 50_000);
    ScenarioResult rpc = result("rpc-async", 40_000).comparedWith(raw);

    assertThat(TargetCheck.evaluate(List.of(raw, rpc), 5))
        .singleElement()
        .satisfies(
            check -> {
              assertThat(check.measured()).isEqualTo(0.8);
              assertThat(check.detail()).isEmpty();
              assertThat(check.passed()).isFalse();
            });
  }

  private static ScenarioResult result(String scenario, long calls) {
    Histogram latencies = new Histogram(3);
    latencies.recordValue(1_000_000);
    return ScenarioResult.of(
        "redis",
        "default",
        scenario,
        256,
        100,
        new LoadDriver.Measurement(calls, 0, 1.0, latencies, null));
  }
}
