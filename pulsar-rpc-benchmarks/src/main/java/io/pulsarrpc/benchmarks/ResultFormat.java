package io.pulsarrpc.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/** Formats results for the console, as CSV and as the report's Markdown table. */
final class ResultFormat {

  static final String CSV_HEADER =
      "bus,config,scenario,in_flight,payload_bytes,calls,failures,seconds,throughput_per_s,"
          + "p50_us,p99_us,p999_us,max_us,baseline,throughput_ratio,p50_ratio,single_call,"
          + "single_p50_ratio,heap_bytes_per_call,pending_after,rounds,rounds_calls_ratio,"
          + "rounds_calls_ci_low,rounds_calls_ci_high,rounds_p50_ratio,rounds_p50_ci_low,"
          + "rounds_p50_ci_high";

  private ResultFormat() {}

  /** One line for the console while the run goes on. */
  static String line(ScenarioResult r) {
    if (r.scenario().equals("heap")) {
      return String.format(
          Locale.ROOT,
          "%-7s %-12s %-12s %6d calls: %8.0f bytes/pending call, pending after = %d",
          r.bus(),
          r.config(),
          r.scenario(),
          r.inFlight(),
          r.heapBytesPerCall(),
          r.pendingAfter());
    }
    return String.format(
        Locale.ROOT,
        "%-7s %-12s %-12s %5d in flight: %9.0f calls/s  p50 %9.0f us  p99 %9.0f us  p99.9 %9.0f us"
            + "  (%d calls, %d failed)%s%s",
        r.bus(),
        r.config(),
        r.scenario(),
        r.inFlight(),
        r.throughput(),
        r.p50Micros(),
        r.p99Micros(),
        r.p999Micros(),
        r.calls(),
        r.failures(),
        r.baseline() == null
            ? ""
            : String.format(
                Locale.ROOT,
                "  vs raw: throughput x%s, p50 x%s",
                number(r.throughputRatio(), 2),
                number(r.p50Ratio(), 2)),
        r.singleCall() == null
            ? ""
            : String.format(
                Locale.ROOT, "  vs single call: p50 x%s", number(r.singleP50Ratio(), 2)));
  }

  static String csv(List<ScenarioResult> results) {
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (ScenarioResult r : results) {
      StringJoiner row = new StringJoiner(",");
      row.add(r.bus())
          .add(cell(r.config()))
          .add(r.scenario())
          .add(Integer.toString(r.inFlight()))
          .add(Integer.toString(r.payloadBytes()))
          .add(Long.toString(r.calls()))
          .add(Long.toString(r.failures()))
          .add(number(r.seconds(), 1))
          .add(number(r.throughput(), 1))
          .add(number(r.p50Micros(), 0))
          .add(number(r.p99Micros(), 0))
          .add(number(r.p999Micros(), 0))
          .add(number(r.maxMicros(), 0))
          .add(r.baseline() == null ? "" : cell(r.baseline()))
          .add(number(r.throughputRatio(), 3))
          .add(number(r.p50Ratio(), 3))
          .add(r.singleCall() == null ? "" : cell(r.singleCall()))
          .add(number(r.singleP50Ratio(), 3))
          .add(number(r.heapBytesPerCall(), 0))
          .add(r.pendingAfter() == null ? "" : r.pendingAfter().toString());
      if (r.rounds() == null) {
        row.add("").add("").add("").add("").add("").add("").add("");
      } else {
        PairedRounds.Estimate calls = r.rounds().calls();
        PairedRounds.Estimate p50 = r.rounds().p50();
        row.add(Integer.toString(calls.rounds()))
            .add(number(calls.mean(), 3))
            .add(number(calls.low(), 3))
            .add(number(calls.high(), 3))
            .add(number(p50.mean(), 3))
            .add(number(p50.low(), 3))
            .add(number(p50.high(), 3));
      }
      csv.append(row).append('\n');
    }
    return csv.toString();
  }

  /**
   * A CSV cell: quoted when it holds a comma, as configurations like {@code
   * delay=0ms,non-persistent} do.
   */
  private static String cell(String text) {
    return text.contains(",") || text.contains("\"")
        ? "\"" + text.replace("\"", "\"\"") + "\""
        : text;
  }

  /** The figures as a Markdown table, for docs/performance.md. */
  static String markdown(List<ScenarioResult> results) {
    StringBuilder table =
        new StringBuilder(
            "| bus | config | scenario | in flight | calls/s | p50 ms | p99 ms | p99.9 ms |"
                + " × raw calls/s | × raw p50 | × single call p50 |\n"
                + "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (ScenarioResult r : results) {
      if (r.scenario().equals("heap")) {
        continue;
      }
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |%n",
              r.bus(),
              r.config(),
              r.scenario(),
              r.inFlight(),
              number(r.throughput(), 0),
              number(r.p50Micros() / 1000, 3),
              number(r.p99Micros() / 1000, 3),
              number(r.p999Micros() / 1000, 3),
              number(r.throughputRatio(), 2),
              number(r.p50Ratio(), 2),
              number(r.singleP50Ratio(), 2)));
    }
    return table.toString();
  }

  static String targets(List<TargetCheck> checks) {
    StringBuilder text = new StringBuilder();
    for (TargetCheck check : checks) {
      text.append(
          String.format(
              Locale.ROOT,
              "%s  %-58s %12s %s %s%s%n",
              check.verdict(),
              check.name(),
              number(check.measured(), check.measured() < 10 ? 2 : 0),
              check.atLeast() ? ">=" : "<=",
              number(check.limit(), check.limit() < 10 ? 2 : 0),
              check.detail().isEmpty() ? "" : "  (" + check.detail() + ")"));
    }
    return text.toString();
  }

  static String number(Double value, int decimals) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return "";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
