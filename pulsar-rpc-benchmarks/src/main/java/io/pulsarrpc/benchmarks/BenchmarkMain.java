package io.pulsarrpc.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The benchmark harness's command line: runs each selected scenario on each selected bus, prints
 * throughput and latency percentiles with their ratio to the raw round trip of the same run, checks
 * the targets (PASS/MISS), and writes {@code results.csv}, {@code results.json} and PNG plots to
 * the output directory. {@code --help} lists the options; {@code docs/performance.md} shows the
 * commands and what the figures mean.
 *
 * <p>Exit status: 0 when every scenario ran (whatever the targets say), 1 when a scenario completed
 * no call or could not run, 2 on a usage error.
 */
public final class BenchmarkMain {

  /** Held here because java.util.logging keeps loggers only weakly. */
  private static final Logger OPEN_TELEMETRY_LOG = Logger.getLogger("io.opentelemetry");

  private BenchmarkMain() {}

  /** What one run produced. */
  record Report(
      List<ScenarioResult> results,
      List<TargetCheck> targets,
      Path csv,
      Path json,
      List<Path> plots) {}

  /**
   * Runs the harness.
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) throws Exception {
    OPEN_TELEMETRY_LOG.setLevel(Level.WARNING);
    BenchmarkOptions options;
    try {
      options = BenchmarkOptions.parse(args);
    } catch (BenchmarkOptions.HelpRequested help) {
      System.out.print(BenchmarkOptions.USAGE);
      System.exit(0);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage());
      System.err.print(BenchmarkOptions.USAGE);
      System.exit(2);
      return;
    }
    Report report = run(options, System.out);
    boolean complete =
        report.results().stream()
            .allMatch(r -> r.scenario().equals("heap") ? r.pendingAfter() == 0 : r.calls() > 0);
    System.exit(complete ? 0 : 1);
  }

  /** Runs every selected bus and scenario, prints as it goes, and writes the result files. */
  static Report run(BenchmarkOptions options, PrintStream out) throws Exception {
    out.println("pulsar-rpc benchmarks on " + machine().get("summary"));
    out.printf(
        "Each scenario: %.1f s warm-up + %.1f s measured; payload %d bytes%n",
        options.warmUp().toMillis() / 1e3,
        options.duration().toMillis() / 1e3,
        options.payloadBytes());
    List<ScenarioResult> results = new ArrayList<>();
    ScenarioRunner runner = new ScenarioRunner(options, out);
    for (String bus : options.buses()) {
      if (bus.equals("pulsar")) {
        List<Integer> delays =
            options.serviceUrl() == null ? options.entriesCheckDelaysMs() : List.of(-1);
        if (options.serviceUrl() != null) {
          out.println(
              "Using the Pulsar broker at "
                  + options.serviceUrl()
                  + " (--entries-check-delay-ms does not apply)");
        }
        for (int delay : delays) {
          for (String domain : options.topicDomains()) {
            try (BusEnvironment environment =
                BusEnvironment.pulsar(
                    options.serviceUrl(),
                    delay,
                    domain,
                    options.brokerSettings(),
                    options.producerConfig(),
                    options.rawPulsar(),
                    out)) {
              results.addAll(withRatios(runOne(runner, environment, out)));
            }
          }
        }
      } else if (bus.equals("nats")) {
        for (String mode : options.natsModes()) {
          try (BusEnvironment environment =
              BusEnvironment.nats(options.natsUrl(), mode.equals("core"), out)) {
            results.addAll(withRatios(runOne(runner, environment, out)));
          }
        }
      } else {
        try (BusEnvironment environment = open(bus, options, out)) {
          results.addAll(withRatios(runOne(runner, environment, out)));
        }
      }
    }
    List<TargetCheck> targets = TargetCheck.evaluate(results, options.work().toMillis());
    out.println();
    out.println("Results");
    results.forEach(result -> out.println("  " + ResultFormat.line(result)));
    out.println();
    out.println("Targets");
    out.print(ResultFormat.targets(targets));
    Files.createDirectories(options.output());
    Path csv = options.output().resolve("results.csv");
    Files.writeString(csv, ResultFormat.csv(results), StandardCharsets.UTF_8);
    Path json = options.output().resolve("results.json");
    writeJson(json, options, results, targets);
    Path markdown = options.output().resolve("results.md");
    Files.writeString(markdown, ResultFormat.markdown(results), StandardCharsets.UTF_8);
    List<Path> plots = Plots.write(results, options.output());
    out.println();
    out.println(
        "Wrote "
            + csv
            + ", "
            + json
            + ", "
            + markdown
            + " and "
            + plots.size()
            + " plots to "
            + options.output());
    return new Report(List.copyOf(results), targets, csv, json, plots);
  }

  private static List<ScenarioResult> runOne(
      ScenarioRunner runner, BusEnvironment environment, PrintStream out) throws Exception {
    out.println();
    out.println("== " + environment.bus() + " (" + environment.config() + ")");
    return runner.run(environment);
  }

  private static BusEnvironment open(String bus, BenchmarkOptions options, PrintStream out) {
    return switch (bus) {
      case "memory" -> BusEnvironment.memory();
      case "redis" -> BusEnvironment.redis(options.redisUrl(), out);
      default -> throw new IllegalArgumentException("unknown bus " + bus);
    };
  }

  /**
   * Each RPC scenario compared with the raw scenario (raw, or raw-jetstream) at the same depth (1
   * for rpc-sync); each call kind, generated call and its twin also with its single call at the
   * same depth ({@link ScenarioRunner#singleCallOf}). The stream and broadcast scenarios are
   * compared with their own raw delivery ({@link #ONE_WAY_BASELINES}).
   */
  static List<ScenarioResult> withRatios(List<ScenarioResult> results) {
    List<ScenarioResult> compared = new ArrayList<>();
    for (ScenarioResult result : results) {
      String oneWayBaseline = ONE_WAY_BASELINES.get(result.scenario());
      if (oneWayBaseline != null) {
        ScenarioResult raw = find(results, r -> r.scenario().equals(oneWayBaseline));
        compared.add(raw == null ? result : result.comparedWith(raw));
      } else if (result.scenario().startsWith("rpc-")) {
        int depth = result.scenario().equals("rpc-sync") ? 1 : result.inFlight();
        ScenarioResult raw =
            find(
                results, r -> ROUND_TRIP_BASELINES.contains(r.scenario()) && r.inFlight() == depth);
        ScenarioResult rpc = raw == null ? result : result.comparedWith(raw);
        String single = ScenarioRunner.singleCallOf(result.scenario(), depth);
        if (single != null) {
          ScenarioResult call =
              find(results, r -> r.scenario().equals(single) && r.inFlight() == depth);
          rpc = call == null ? rpc : rpc.comparedWithSingleCall(call);
        }
        compared.add(rpc);
      } else {
        compared.add(result);
      }
    }
    return compared;
  }

  /** The raw round trips the RPC scenarios are compared with: one per bus. */
  static final Set<String> ROUND_TRIP_BASELINES = Set.of("raw", "raw-jetstream");

  /** The raw one-way delivery each scenario of the other kinds is compared with. */
  static final Map<String, String> ONE_WAY_BASELINES =
      Map.of(
          "stream", "raw-oneway",
          "stream-both", "raw-oneway-both",
          "broadcast", "raw-broadcast");

  private static ScenarioResult find(
      List<ScenarioResult> results, Predicate<ScenarioResult> which) {
    return results.stream().filter(which).findFirst().orElse(null);
  }

  private static void writeJson(
      Path file, BenchmarkOptions options, List<ScenarioResult> results, List<TargetCheck> targets)
      throws IOException {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("machine", machine());
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("buses", options.buses());
    settings.put("scenarios", options.scenarios());
    settings.put("serviceUrl", options.serviceUrl());
    settings.put("entriesCheckDelaysMs", options.entriesCheckDelaysMs());
    settings.put("topicDomains", options.topicDomains());
    settings.put("natsModes", options.natsModes());
    settings.put("brokerSettings", options.brokerSettings());
    settings.put("warmUpSeconds", options.warmUp().toMillis() / 1e3);
    settings.put("durationSeconds", options.duration().toMillis() / 1e3);
    settings.put("rounds", options.rounds());
    settings.put("rawRounds", options.rawRounds());
    settings.put("payloadBytes", options.payloadBytes());
    settings.put("inFlight", options.inFlight());
    settings.put("workInFlight", options.workInFlight());
    settings.put("workMillis", options.work().toMillis());
    settings.put("heapCalls", options.heapCalls());
    settings.put("producerConfig", options.producerConfig());
    document.put("settings", settings);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ScenarioResult r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("key", r.key());
      row.put("bus", r.bus());
      row.put("config", r.config());
      row.put("scenario", r.scenario());
      row.put("inFlight", r.inFlight());
      row.put("payloadBytes", r.payloadBytes());
      row.put("calls", r.calls());
      row.put("failures", r.failures());
      row.put("seconds", finite(r.seconds()));
      row.put("throughputPerSecond", finite(r.throughput()));
      row.put("p50Micros", finite(r.p50Micros()));
      row.put("p99Micros", finite(r.p99Micros()));
      row.put("p999Micros", finite(r.p999Micros()));
      row.put("maxMicros", finite(r.maxMicros()));
      row.put("baseline", r.baseline());
      row.put("throughputRatio", r.throughputRatio());
      row.put("p50Ratio", r.p50Ratio());
      row.put("singleCall", r.singleCall());
      row.put("singleP50Ratio", r.singleP50Ratio());
      row.put("heapBytesPerCall", r.heapBytesPerCall());
      row.put("pendingAfter", r.pendingAfter());
      if (r.rounds() != null) {
        row.put(
            "rounds",
            Map.of(
                "callsRatios", r.rounds().callsRatios(),
                "p50Ratios", r.rounds().p50Ratios(),
                "calls", estimate(r.rounds().calls()),
                "p50", estimate(r.rounds().p50())));
      }
      rows.add(row);
    }
    document.put("results", rows);
    List<Map<String, Object>> checks = new ArrayList<>();
    for (TargetCheck check : targets) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("target", check.name());
      row.put("measured", finite(check.measured()));
      row.put(check.atLeast() ? "atLeast" : "atMost", check.limit());
      row.put("verdict", check.verdict());
      if (!check.detail().isEmpty()) {
        row.put("detail", check.detail());
      }
      checks.add(row);
    }
    document.put("targets", checks);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), document);
  }

  private static Map<String, Object> estimate(PairedRounds.Estimate estimate) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("rounds", estimate.rounds());
    fields.put("geometricMean", finite(estimate.mean()));
    fields.put("ci95Low", finite(estimate.low()));
    fields.put("ci95High", finite(estimate.high()));
    return fields;
  }

  private static Double finite(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
  }

  /** What the figures were measured on. */
  static Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    String cpu = "unknown CPU";
    Path cpuInfo = Path.of("/proc/cpuinfo");
    if (Files.isReadable(cpuInfo)) {
      try (Stream<String> lines = Files.lines(cpuInfo)) {
        cpu =
            lines
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst()
                .orElse(cpu);
      } catch (IOException | RuntimeException e) {
        // The model name is only informative.
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    String os =
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch");
    String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
    long maxHeapMiB = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    machine.put("cpu", cpu);
    machine.put("cores", cores);
    machine.put("os", os);
    machine.put("java", java);
    machine.put("maxHeapMiB", maxHeapMiB);
    machine.put("date", Instant.now().toString());
    machine.put(
        "summary",
        cores + " cores (" + cpu + "), " + os + ", " + java + ", heap " + maxHeapMiB + " MiB");
    return machine;
  }
}
