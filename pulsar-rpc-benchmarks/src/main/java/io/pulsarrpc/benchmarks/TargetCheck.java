package io.pulsarrpc.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One target of the issue, checked against one run's figures.
 *
 * @param name what is compared, e.g. {@code pulsar/delay=0ms rpc-async-64 throughput / raw-64}
 * @param measured the measured value (a ratio, calls/s or bytes)
 * @param limit the target's bound
 * @param atLeast true when {@code measured} must be at least {@code limit}, false for at most
 * @param detail how far {@code measured} can be trusted, e.g. its confidence interval; empty when
 *     it is one run's figure
 */
record TargetCheck(String name, double measured, double limit, boolean atLeast, String detail) {

  TargetCheck(String name, double measured, double limit, boolean atLeast) {
    this(name, measured, limit, atLeast, "");
  }

  /** The work scenario's target: 80 % of in-flight / work time, e.g. 0.8 × 64 / 5 ms. */
  static double workTarget(int inFlight, long workMillis) {
    return 0.8 * inFlight * 1000.0 / Math.max(1, workMillis);
  }

  /**
   * A generated call costs at most {@value #GENERATED_COST} times the hand-written call of the same
   * run at 64 in flight (rpc-async-64): its p50 at most that multiple, its calls/s at least the
   * hand-written calls/s over it. Measured in turns, each figure is the geometric mean of the
   * per-round ratios, with its 95 % confidence interval as the detail; else the ratio of the two
   * rows.
   */
  static List<TargetCheck> generatedAgainstHandWritten(
      ScenarioResult generated, List<ScenarioResult> results) {
    if (generated.inFlight() != GENERATED_IN_FLIGHT || generated.singleP50Ratio() == null) {
      return List.of();
    }
    ScenarioResult handWritten =
        results.stream()
            .filter(r -> r.key().equals(generated.singleCall()))
            .findFirst()
            .orElse(null);
    if (handWritten == null || handWritten.throughput() == 0) {
      return List.of();
    }
    String where =
        generated.bus()
            + "/"
            + generated.config()
            + " "
            + generated.scenario()
            + "-"
            + generated.inFlight();
    String handWrittenName = handWritten.scenario() + "-" + handWritten.inFlight();
    String p50Name = where + " p50 / " + handWrittenName + " p50";
    String callsName = where + " calls/s / " + handWrittenName;
    PairedRounds rounds = generated.rounds();
    if (isPaired(generated)) {
      return List.of(
          paired(p50Name, rounds.p50(), GENERATED_COST, false),
          paired(callsName, rounds.calls(), 1 / GENERATED_COST, true));
    }
    return List.of(
        new TargetCheck(p50Name, generated.singleP50Ratio(), GENERATED_COST, false),
        new TargetCheck(
            callsName,
            generated.throughput() / handWritten.throughput(),
            1 / GENERATED_COST,
            true));
  }

  private static TargetCheck paired(
      String name, PairedRounds.Estimate estimate, double limit, boolean atLeast) {
    return new TargetCheck(
        name,
        estimate.mean(),
        limit,
        atLeast,
        String.format(
            Locale.ROOT,
            "%d paired rounds, 95 %% CI %.3f-%.3f",
            estimate.rounds(),
            estimate.low(),
            estimate.high()));
  }

  /**
   * The least rpc-async throughput over the raw round trip's at depth {@code inFlight} on {@code
   * busConfig} ({@code bus/config}), or NaN where none is set: Pulsar at least 1.0, Redis 0.9 at
   * 256 in flight and 0.8 at other depths, NATS JetStream 0.8 and core NATS 0.5.
   */
  static double rpcAsyncBound(String busConfig, int inFlight) {
    return switch (busConfig) {
      case "redis/default" -> inFlight >= 256 ? 0.90 : 0.80;
      case "nats/jetstream" -> 0.80;
      case "nats/core" -> 0.50;
      case "memory/default" -> Double.NaN;
      default -> 1.00;
    };
  }

  /** Whether {@code result} was measured in turns with its baseline (at least two rounds). */
  private static boolean isPaired(ScenarioResult result) {
    return result.rounds() != null && result.rounds().callsRatios().size() >= 2;
  }

  /** How much more a generated call may cost than the hand-written one. */
  static final double GENERATED_COST = 1.05;

  /** The in-flight count the generated call's target is checked at. */
  static final int GENERATED_IN_FLIGHT = 64;

  boolean passed() {
    return atLeast ? measured >= limit : measured <= limit;
  }

  String verdict() {
    return passed() ? "PASS" : "MISS";
  }

  /** The targets that apply to {@code results}, for each bus and configuration in them. */
  static List<TargetCheck> evaluate(List<ScenarioResult> results, long workMillis) {
    List<TargetCheck> checks = new ArrayList<>();
    for (ScenarioResult result : results) {
      String where = result.bus() + "/" + result.config() + " ";
      switch (result.scenario()) {
        case "rpc-async" -> {
          double bound = rpcAsyncBound(result.bus() + "/" + result.config(), result.inFlight());
          String name = where + "rpc-async-" + result.inFlight() + " throughput / raw";
          if (Double.isNaN(bound)) {
            // No target: the in-memory raw baseline completes inline, no round trip to match.
          } else if (isPaired(result)) {
            checks.add(paired(name, result.rounds().calls(), bound, true));
          } else if (result.throughputRatio() != null) {
            checks.add(new TargetCheck(name, result.throughputRatio(), bound, true));
          }
        }
        case "rpc-sync" -> {
          double bound =
              switch (result.bus()) {
                case "nats" -> result.config().equals("core") ? 1.50 : 1.30;
                case "pulsar", "memory" -> 1.15;
                default -> Double.NaN;
              };
          String name = where + "rpc-sync p50 / raw-1 p50";
          if (Double.isNaN(bound)) {
            // No target on this bus.
          } else if (isPaired(result)) {
            checks.add(paired(name, result.rounds().p50(), bound, false));
          } else if (result.p50Ratio() != null) {
            checks.add(new TargetCheck(name, result.p50Ratio(), bound, false));
          }
        }
        case "rpc-multi", "rpc-affinity" -> {
          // A multi-call must end about one round trip after the answers, not at a timeout; an
          // affinity call costs one extra round trip for the offers.
          double bound = result.scenario().equals("rpc-multi") ? 1.5 : 2.5;
          if (result.inFlight() == 1 && result.singleP50Ratio() != null) {
            checks.add(
                new TargetCheck(
                    where + result.scenario() + "-1 p50 / rpc-sync p50",
                    result.singleP50Ratio(),
                    bound,
                    false));
          }
        }
        case "rpc-generated-sync", "rpc-generated-async" ->
            checks.addAll(generatedAgainstHandWritten(result, results));
        case "stream", "broadcast" -> {
          // The targets are for Pulsar; the other buses are reported without one.
          if (result.bus().equals("pulsar") && result.throughputRatio() != null) {
            checks.add(
                new TargetCheck(
                    where + result.scenario() + "-" + result.inFlight() + " messages/s / raw",
                    result.throughputRatio(),
                    result.scenario().equals("stream") ? 0.7 : 0.9,
                    true));
          }
        }
        case "rpc-work" ->
            checks.add(
                new TargetCheck(
                    where + "rpc-work-" + result.inFlight() + " calls/s",
                    result.throughput(),
                    workTarget(result.inFlight(), workMillis),
                    true));
        case "heap" ->
            Optional.ofNullable(result.heapBytesPerCall())
                .ifPresent(
                    bytes ->
                        checks.add(
                            new TargetCheck(
                                where + "heap bytes per pending call", bytes, 1024, false)));
        default -> {}
      }
    }
    return checks;
  }
}
