package io.pulsarrpc.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * The figures of one scenario. Latencies are in microseconds; ratios are against the raw scenario
 * of the same bus, configuration and in-flight count measured in the same run ({@code null} when
 * there is none); the call kinds (multi, affinity) are also compared with the single call of the
 * same run; the heap fields are set by the heap scenario only.
 *
 * @param bus pulsar, memory, redis or nats
 * @param config the bus's configuration, e.g. {@code delay=0ms} for the broker's entries check
 *     delay
 * @param scenario raw, rpc-sync, rpc-async, rpc-work, rpc-dedup, rpc-dedup-shared, rpc-multi,
 *     rpc-affinity or heap
 * @param baseline the {@link #key()} of the raw scenario the ratios compare with
 * @param throughputRatio this throughput over the baseline's
 * @param p50Ratio this p50 over the baseline's
 * @param singleCall the {@link #key()} of the single call a call kind's p50 compares with: rpc-sync
 *     at 1 in flight, rpc-async at the same depth above
 * @param singleP50Ratio this p50 over the single call's
 * @param heapBytesPerCall client heap growth per pending call
 * @param pendingAfter {@code pendingRequestSize()} once every held call was answered
 * @param rounds for a scenario measured in turns with its single call (a generated call and its
 *     twin), its figures over the single call's round by round; null for the others
 */
record ScenarioResult(
    String bus,
    String config,
    String scenario,
    int inFlight,
    int payloadBytes,
    long calls,
    long failures,
    double seconds,
    double throughput,
    double p50Micros,
    double p99Micros,
    double p999Micros,
    double maxMicros,
    String baseline,
    Double throughputRatio,
    Double p50Ratio,
    String singleCall,
    Double singleP50Ratio,
    Double heapBytesPerCall,
    Integer pendingAfter,
    PairedRounds rounds) {

  static ScenarioResult of(
      String bus,
      String config,
      String scenario,
      int inFlight,
      int payloadBytes,
      LoadDriver.Measurement measurement) {
    Histogram latency = measurement.latencyNanos();
    boolean any = latency.getTotalCount() > 0;
    return new ScenarioResult(
        bus,
        config,
        scenario,
        inFlight,
        payloadBytes,
        measurement.calls(),
        measurement.failures(),
        measurement.seconds(),
        measurement.throughput(),
        any ? latency.getValueAtPercentile(50) / 1e3 : Double.NaN,
        any ? latency.getValueAtPercentile(99) / 1e3 : Double.NaN,
        any ? latency.getValueAtPercentile(99.9) / 1e3 : Double.NaN,
        any ? latency.getMaxValue() / 1e3 : Double.NaN,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static ScenarioResult heap(
      String bus, String config, int calls, int payloadBytes, double bytesPerCall, int after) {
    return new ScenarioResult(
        bus,
        config,
        "heap",
        calls,
        payloadBytes,
        calls,
        0,
        0,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        null,
        null,
        null,
        null,
        null,
        bytesPerCall,
        after,
        null);
  }

  /** Names this scenario within a run, e.g. {@code pulsar/delay=0ms/rpc-async-64}. */
  String key() {
    return bus + "/" + config + "/" + scenario + "-" + inFlight;
  }

  /** The same figures, with {@code rounds} measured in turns with the single call. */
  ScenarioResult withRounds(PairedRounds rounds) {
    return with(baseline, throughputRatio, p50Ratio, singleCall, singleP50Ratio, rounds);
  }

  /** The same figures, with ratios against {@code raw}. */
  ScenarioResult comparedWith(ScenarioResult raw) {
    return with(
        raw.key(),
        ratio(throughput, raw.throughput),
        ratio(p50Micros, raw.p50Micros),
        singleCall,
        singleP50Ratio,
        rounds);
  }

  /** The same figures, with the p50 compared with {@code single}'s. */
  ScenarioResult comparedWithSingleCall(ScenarioResult single) {
    return with(
        baseline,
        throughputRatio,
        p50Ratio,
        single.key(),
        ratio(p50Micros, single.p50Micros),
        rounds);
  }

  private ScenarioResult with(
      String baseline,
      Double throughputRatio,
      Double p50Ratio,
      String singleCall,
      Double singleP50Ratio,
      PairedRounds rounds) {
    return new ScenarioResult(
        bus,
        config,
        scenario,
        inFlight,
        payloadBytes,
        calls,
        failures,
        seconds,
        throughput,
        p50Micros,
        p99Micros,
        p999Micros,
        maxMicros,
        baseline,
        throughputRatio,
        p50Ratio,
        singleCall,
        singleP50Ratio,
        heapBytesPerCall,
        pendingAfter,
        rounds);
  }

  private static Double ratio(double value, double base) {
    if (Double.isNaN(value) || Double.isNaN(base) || base == 0) {
      return null;
    }
    return value / base;
  }
}
