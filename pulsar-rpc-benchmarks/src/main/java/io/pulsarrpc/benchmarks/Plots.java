package io.pulsarrpc.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws throughput and latency against in-flight count, one line per bus, configuration and kind
 * (raw; RPC: rpc-sync at 1 in flight, rpc-async above; rpc-multi), and the stream and broadcast
 * scenarios' messages/s over their raw baselines', as PNG files.
 */
final class Plots {

  private Plots() {}

  /**
   * Writes {@code benchmark-throughput.png}, {@code -latency-p50.png} and {@code -p99.png}, and
   * {@code benchmark-streams.png} when the run has stream or broadcast results.
   */
  static List<Path> write(List<ScenarioResult> results, Path directory) throws IOException {
    List<Path> written = new ArrayList<>();
    written.add(
        chart(
            results,
            directory,
            "benchmark-throughput",
            "Throughput",
            "calls/s",
            ScenarioResult::throughput));
    written.add(
        chart(
            results,
            directory,
            "benchmark-latency-p50",
            "Latency p50",
            "ms",
            r -> r.p50Micros() / 1000));
    written.add(
        chart(
            results,
            directory,
            "benchmark-latency-p99",
            "Latency p99",
            "ms",
            r -> r.p99Micros() / 1000));
    List<ScenarioResult> oneWay =
        results.stream()
            .filter(r -> BenchmarkMain.ONE_WAY_BASELINES.containsKey(r.scenario()))
            .toList();
    if (!oneWay.isEmpty()) {
      written.add(oneWayChart(oneWay, directory));
    }
    return written;
  }

  /**
   * Each stream and broadcast scenario's messages/s over its raw baseline's, per bus and
   * configuration: the figure the targets are about, on one linear scale for every bus.
   */
  private static Path oneWayChart(List<ScenarioResult> results, Path directory) throws IOException {
    List<String> places = results.stream().map(r -> r.bus() + " " + r.config()).distinct().toList();
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1000)
            .height(560)
            .title("Streams and broadcast: messages/s × raw delivery of the same run")
            .xAxisTitle("bus")
            .yAxisTitle("× raw messages/s")
            .build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    for (String scenario : BenchmarkMain.ONE_WAY_BASELINES.keySet().stream().sorted().toList()) {
      List<Double> ratios = new ArrayList<>();
      for (String place : places) {
        ratios.add(
            results.stream()
                .filter(r -> r.scenario().equals(scenario))
                .filter(r -> (r.bus() + " " + r.config()).equals(place))
                .map(ScenarioResult::throughputRatio)
                .filter(ratio -> ratio != null)
                .findFirst()
                .orElse(0.0));
      }
      if (ratios.stream().anyMatch(ratio -> ratio > 0)) {
        chart.addSeries(scenario, places, ratios);
      }
    }
    Path file = directory.resolve("benchmark-streams.png");
    if (!chart.getSeriesMap().isEmpty()) {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    return file;
  }

  private static Path chart(
      List<ScenarioResult> results,
      Path directory,
      String name,
      String title,
      String unit,
      ToDoubleFunction<ScenarioResult> value)
      throws IOException {
    Map<String, List<ScenarioResult>> lines = new LinkedHashMap<>();
    for (ScenarioResult r : results) {
      String kind =
          switch (r.scenario()) {
            case "raw", "raw-jetstream" -> "raw";
            case "rpc-sync", "rpc-async" -> "rpc";
            case "rpc-multi" -> "rpc-multi";
            default -> null;
          };
      if (kind != null && !Double.isNaN(value.applyAsDouble(r)) && value.applyAsDouble(r) > 0) {
        lines
            .computeIfAbsent(r.bus() + " " + r.config() + " " + kind, k -> new ArrayList<>())
            .add(r);
      }
    }
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(560)
            .title(title + " against calls in flight (" + unit + ", log scales)")
            .xAxisTitle("calls in flight")
            .yAxisTitle(unit)
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(7);
    for (Map.Entry<String, List<ScenarioResult>> line : lines.entrySet()) {
      List<ScenarioResult> points = new ArrayList<>(line.getValue());
      points.sort(java.util.Comparator.comparingInt(ScenarioResult::inFlight));
      double[] x = points.stream().mapToDouble(ScenarioResult::inFlight).toArray();
      double[] y = points.stream().mapToDouble(value).toArray();
      XYSeries series = chart.addSeries(line.getKey(), x, y);
      series.setMarker(
          line.getKey().endsWith("raw") ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
    }
    Path file = directory.resolve(name + ".png");
    if (!lines.isEmpty()) {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    return file;
  }
}
