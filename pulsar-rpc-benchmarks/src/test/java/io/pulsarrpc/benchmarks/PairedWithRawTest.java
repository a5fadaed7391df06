package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --raw-rounds}: rpc-sync and rpc-async measured in turns with the raw round trip of their
 * depth, on the in-memory bus (the pairing does not depend on the bus). It asserts what the run
 * produced, never how fast.
 */
class PairedWithRawTest {

  @Test
  void rpcCallsAndTheRawRoundTripOfTheirDepthAreMeasuredInTurnsAndTheTargetsReadTheRounds(
      @TempDir Path output) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    BenchmarkMain.Report report =
        BenchmarkMain.run(
            BenchmarkOptions.parse(
                "--bus", "memory",
                "--scenarios", "raw,rpc-sync,rpc-async",
                "--raw-rounds", "4",
                "--warmup", "0",
                "--duration", "1",
                "--in-flight", "8",
                "--output", output.toString()),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    String console = printed.toString(StandardCharsets.UTF_8);

    // Each raw row comes from its pair, just before the RPC row it is the baseline of.
    assertThat(report.results())
        .as(console)
        .extracting(ScenarioResult::key)
        .containsExactly(
            "memory/default/raw-1",
            "memory/default/rpc-sync-1",
            "memory/default/raw-8",
            "memory/default/rpc-async-8");
    for (ScenarioResult result : report.results()) {
      assertThat(result.calls()).as(result.key() + "\n" + console).isPositive();
      assertThat(result.failures()).as(result.key() + "\n" + console).isZero();
      // Four rounds of a quarter second each, added up.
      assertThat(result.seconds()).as(result.key()).isEqualTo(1.0);
      if (result.scenario().startsWith("rpc-")) {
        assertThat(result.rounds().callsRatios()).as(result.key()).hasSize(4);
        assertThat(result.baseline()).as(result.key()).isNotNull();
      } else {
        assertThat(result.rounds()).as(result.key()).isNull();
      }
    }
    assertThat(console)
        .containsPattern("rpc-sync-1 / raw-1 in 4 paired rounds: calls/s x[0-9.]+")
        .containsPattern("rpc-async-8 / raw-8 in 4 paired rounds: calls/s x[0-9.]+");
    assertThat(report.targets())
        .filteredOn(target -> target.name().equals("memory/default rpc-sync p50 / raw-1 p50"))
        .singleElement()
        .satisfies(
            target -> {
              assertThat(target.detail()).matches("4 paired rounds, 95 % CI [0-9.]+-[0-9.]+");
              assertThat(target.measured())
                  .isEqualTo(report.results().get(1).rounds().p50().mean());
            });
  }
}
