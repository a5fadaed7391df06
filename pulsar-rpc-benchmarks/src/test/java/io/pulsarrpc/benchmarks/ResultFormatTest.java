package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultFormatTest {

  private static ScenarioResult result(
      String scenario, int inFlight, double throughput, double p50) {
    return result("pulsar", "delay=0ms", scenario, inFlight, throughput, p50);
  }

  private static ScenarioResult result(
      String bus, String config, String scenario, int inFlight, double throughput, double p50) {
    return new ScenarioResult(
        bus,
        config,
        scenario,
        inFlight,
        100,
        1000,
        0,
        10,
        throughput,
        p50,
        p50 * 2,
        p50 * 3,
        p50 * 4,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void rpcScenariosAreComparedWithTheRawScenarioAtTheSameDepth() {
    List<ScenarioResult> compared =
        BenchmarkMain.withRatios(
            List.of(
                result("raw", 1, 500, 2000),
                result("raw", 64, 10_000, 6000),
                result("rpc-sync", 1, 400, 2400),
                result("rpc-async", 64, 9_500, 6600),
                result("rpc-async", 256, 20_000, 9000)));

    assertThat(compared.get(2).baseline()).isEqualTo("pulsar/delay=0ms/raw-1");
    assertThat(compared.get(2).p50Ratio()).isEqualTo(1.2);
    assertThat(compared.get(3).baseline()).isEqualTo("pulsar/delay=0ms/raw-64");
    assertThat(compared.get(3).throughputRatio()).isEqualTo(0.95);
    assertThat(compared.get(4).baseline()).as("no raw-256 in this run").isNull();
    assertThat(compared.get(4).throughputRatio()).isNull();
  }

  @Test
  void targetsSayPassOrMissAgainstTheirBounds() {
    List<ScenarioResult> compared =
        BenchmarkMain.withRatios(
            List.of(
                result("raw", 1, 500, 2000),
                result("raw", 64, 10_000, 6000),
                result("rpc-sync", 1, 400, 2400),
                result("rpc-async", 64, 10_200, 6600),
                result("rpc-work", 64, 11_000, 5800),
                ScenarioResult.heap("pulsar", "delay=0ms", 10_000, 100, 1500, 0)));

    List<TargetCheck> checks = TargetCheck.evaluate(compared, 5);

    assertThat(checks)
        .extracting(TargetCheck::name, TargetCheck::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "pulsar/delay=0ms rpc-sync p50 / raw-1 p50", "MISS"),
            org.assertj.core.groups.Tuple.tuple(
                "pulsar/delay=0ms rpc-async-64 throughput / raw", "PASS"),
            org.assertj.core.groups.Tuple.tuple("pulsar/delay=0ms rpc-work-64 calls/s", "PASS"),
            org.assertj.core.groups.Tuple.tuple(
                "pulsar/delay=0ms heap bytes per pending call", "MISS"));
    assertThat(checks.get(2).limit()).isEqualTo(10_240);
  }

  @Test
  void callKindsAreComparedWithTheSingleCallAtTheSameDepth() {
    List<ScenarioResult> compared =
        BenchmarkMain.withRatios(
            List.of(
                result("raw", 1, 500, 2000),
                result("rpc-sync", 1, 400, 2400),
                result("rpc-async", 64, 9_500, 6600),
                result("rpc-multi", 1, 300, 3000),
                result("rpc-multi", 64, 5_000, 13_200),
                result("rpc-multi", 256, 9_000, 30_000),
                result("rpc-affinity", 1, 150, 6000)));

    assertThat(compared.get(3).baseline()).isEqualTo("pulsar/delay=0ms/raw-1");
    assertThat(compared.get(3).p50Ratio()).isEqualTo(1.5);
    assertThat(compared.get(3).singleCall()).isEqualTo("pulsar/delay=0ms/rpc-sync-1");
    assertThat(compared.get(3).singleP50Ratio()).isEqualTo(1.25);
    assertThat(compared.get(4).singleCall()).isEqualTo("pulsar/delay=0ms/rpc-async-64");
    assertThat(compared.get(4).singleP50Ratio()).isEqualTo(2.0);
    assertThat(compared.get(5).singleCall()).as("no rpc-async-256 in this run").isNull();
    assertThat(compared.get(6).singleCall()).isEqualTo("pulsar/delay=0ms/rpc-sync-1");
    assertThat(compared.get(6).singleP50Ratio()).isEqualTo(2.5);
    assertThat(compared.get(1).singleCall()).as("the single call itself").isNull();
    assertThat(ResultFormat.line(compared.get(3))).endsWith("  vs single call: p50 x1.25");
  }

  @Test
  void callKindTargetsBoundTheirOneInFlightP50ByTheSingleCalls() {
    List<ScenarioResult> compared =
        BenchmarkMain.withRatios(
            List.of(
                result("rpc-sync", 1, 400, 2000),
                result("rpc-async", 64, 9_500, 6600),
                result("rpc-multi", 1, 300, 3200),
                result("rpc-multi", 64, 5_000, 13_200),
                result("rpc-affinity", 1, 150, 5000)));

    List<TargetCheck> checks = TargetCheck.evaluate(compared, 5);

    assertThat(checks)
        .extracting(TargetCheck::name, TargetCheck::limit, TargetCheck::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "pulsar/delay=0ms rpc-multi-1 p50 / rpc-sync p50", 1.5, "MISS"),
            org.assertj.core.groups.Tuple.tuple(
                "pulsar/delay=0ms rpc-affinity-1 p50 / rpc-sync p50", 2.5, "PASS"));
  }

  @Test
  void generatedCallIsBoundByItsHandWrittenTwinAtSixtyFourInFlight() {
    List<ScenarioResult> compared =
        BenchmarkMain.withRatios(
            List.of(
                result("rpc-sync", 1, 400, 2000),
                result("rpc-async", 64, 10_000, 6000),
                result("rpc-protobuf-sync", 1, 390, 2050),
                result("rpc-generated-sync", 1, 390, 2050),
                result("rpc-protobuf-async", 64, 10_000, 5000),
                result("rpc-generated-async", 64, 9_000, 5000)));

    List<TargetCheck> checks = TargetCheck.evaluate(compared, 5);

    assertThat(compared)
        .extracting(ScenarioResult::singleCall)
        .containsExactly(
            null,
            null,
            "pulsar/delay=0ms/rpc-sync-1",
            "pulsar/delay=0ms/rpc-protobuf-sync-1",
            "pulsar/delay=0ms/rpc-async-64",
            "pulsar/delay=0ms/rpc-protobuf-async-64");
    assertThat(checks)
        .extracting(TargetCheck::name, TargetCheck::measured, TargetCheck::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "pulsar/delay=0ms rpc-generated-async-64 p50 / rpc-protobuf-async-64 p50",
                1.0,
                "PASS"),
            org.assertj.core.groups.Tuple.tuple(
                "pulsar/delay=0ms rpc-generated-async-64 calls/s / rpc-protobuf-async-64",
                0.9,
                "MISS"));
  }

  @Test
  void aGeneratedCallMeasuredInTurnsIsJudgedByItsPairedRoundsWithTheirInterval() {
    // The rows' totals say 0.9 × the twin's calls/s; the rounds, each against the twin's round
    // of the same turn, say about 0.99: the paired figure decides, and its interval is shown.
    PairedRounds rounds =
        new PairedRounds(List.of(0.98, 1.0, 0.99, 0.99), List.of(1.01, 1.0, 1.02, 1.01));
    List<ScenarioResult> compared =
        BenchmarkMain.withRatios(
            List.of(
                result("rpc-async", 64, 10_000, 6000),
                result("rpc-protobuf-async", 64, 10_000, 5000),
                result("rpc-generated-async", 64, 9_000, 5000).withRounds(rounds)));

    List<TargetCheck> checks = TargetCheck.evaluate(compared, 5);

    assertThat(checks)
        .extracting(TargetCheck::name, TargetCheck::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "pulsar/delay=0ms rpc-generated-async-64 p50 / rpc-protobuf-async-64 p50", "PASS"),
            org.assertj.core.groups.Tuple.tuple(
                "pulsar/delay=0ms rpc-generated-async-64 calls/s / rpc-protobuf-async-64", "PASS"));
    assertThat(checks.get(1).measured()).isCloseTo(rounds.calls().mean(), within(1e-12));
    assertThat(checks.get(1).measured()).isCloseTo(0.99, within(0.001));
    assertThat(checks.get(1).detail()).startsWith("4 paired rounds, 95 % CI 0.9");
    assertThat(ResultFormat.targets(checks)).contains("(4 paired rounds, 95 % CI ");
    assertThat(ResultFormat.csv(compared).lines().skip(3).findFirst().orElseThrow())
        .endsWith(",4,0.990,0.977,1.003,1.010,0.997,1.023");
  }

  @Test
  void natsModesAreComparedWithTheirOwnBaselineAndBounds() {
    List<ScenarioResult> compared =
        BenchmarkMain.withRatios(
            List.of(
                result("nats", "jetstream", "raw-jetstream", 64, 10_000, 3000),
                result("nats", "jetstream", "rpc-async", 64, 7_000, 6000)));
    compared = new java.util.ArrayList<>(compared);
    compared.addAll(
        BenchmarkMain.withRatios(
            List.of(
                result("nats", "core", "raw", 1, 5_000, 200),
                result("nats", "core", "raw", 64, 60_000, 600),
                result("nats", "core", "rpc-sync", 1, 3_000, 280),
                result("nats", "core", "rpc-async", 64, 31_000, 2000))));

    List<TargetCheck> checks = TargetCheck.evaluate(compared, 5);

    assertThat(compared.get(1).baseline()).isEqualTo("nats/jetstream/raw-jetstream-64");
    assertThat(checks)
        .extracting(TargetCheck::name, TargetCheck::limit, TargetCheck::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "nats/jetstream rpc-async-64 throughput / raw", 0.8, "MISS"),
            org.assertj.core.groups.Tuple.tuple("nats/core rpc-sync p50 / raw-1 p50", 1.5, "PASS"),
            org.assertj.core.groups.Tuple.tuple(
                "nats/core rpc-async-64 throughput / raw", 0.5, "PASS"));
  }

  @Test
  void csvHasAHeaderAndOneRowPerResultWithEmptyCellsForMissingFigures() {
    String csv =
        ResultFormat.csv(
            List.of(
                result("raw", 64, 10_000.25, 6000),
                ScenarioResult.heap("memory", "default", 100, 100, 812.4, 0)));

    String[] lines = csv.split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).isEqualTo(ResultFormat.CSV_HEADER);
    assertThat(lines[1]).startsWith("pulsar,delay=0ms,raw,64,100,1000,0,10.0,10000.3,6000,12000,");
    assertThat(lines[2]).isEqualTo("memory,default,heap,100,100,100,0,0.0,,,,,,,,,,,812,0,,,,,,,");
    assertThat(lines[1].split(",", -1)).hasSize(ResultFormat.CSV_HEADER.split(",").length);
  }

  @Test
  void csvQuotesAConfigurationThatHoldsAComma() {
    List<ScenarioResult> compared =
        BenchmarkMain.withRatios(
            List.of(
                result("pulsar", "delay=0ms,non-persistent", "raw", 1, 500, 2000),
                result("pulsar", "delay=0ms,non-persistent", "rpc-sync", 1, 400, 2400)));

    String row = ResultFormat.csv(compared).split("\n")[2];

    assertThat(row)
        .startsWith("pulsar,\"delay=0ms,non-persistent\",rpc-sync,1,")
        .contains(",\"pulsar/delay=0ms,non-persistent/raw-1\",");
  }

  @Test
  void consoleLineShowsThroughputPercentilesAndRatios() {
    ScenarioResult rpc =
        BenchmarkMain.withRatios(
                List.of(result("raw", 64, 10_000, 6000), result("rpc-async", 64, 9_000, 6600)))
            .get(1);

    assertThat(ResultFormat.line(rpc))
        .contains("rpc-async")
        .contains("9000 calls/s")
        .contains("p50      6600 us")
        .contains("vs raw: throughput x0.90, p50 x1.10");
  }

  @Test
  void markdownTableLeavesTheHeapOutAndGivesMilliseconds() {
    String table =
        ResultFormat.markdown(
            List.of(
                result("raw", 1, 500, 2000), ScenarioResult.heap("memory", "default", 1, 1, 1, 0)));

    assertThat(table.lines()).hasSize(3);
    assertThat(table)
        .contains("| pulsar | delay=0ms | raw | 1 | 500 | 2.000 | 4.000 | 6.000 |  |  |  |");
  }
}
