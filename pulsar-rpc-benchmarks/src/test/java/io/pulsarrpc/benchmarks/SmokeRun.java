package io.pulsarrpc.benchmarks;

import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.RedisTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A smoke run of the harness: the given scenarios for one second each (no warm-up, 64 in flight) on
 * every bus and configuration (the embedded broker with the entries check delay at 0 and both topic
 * domains, in-memory, the test's Redis, the test's NATS in both modes).
 *
 * @param report what the run produced
 * @param console what it printed
 */
record SmokeRun(BenchmarkMain.Report report, String console) {

  static SmokeRun onEveryBus(
      RedisTestServer redis, NatsTestServer nats, String scenarios, String... moreOptions)
      throws Exception {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--bus", "pulsar,memory,redis,nats",
                "--scenarios", scenarios,
                "--entries-check-delay-ms", "0",
                "--topic-domain", "persistent,non-persistent",
                "--redis-url", redis.url(),
                "--nats-url", nats.url(),
                "--warmup", "0",
                "--duration", "1",
                "--in-flight", "64"));
    arguments.addAll(List.of(moreOptions));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    BenchmarkMain.Report report =
        BenchmarkMain.run(
            BenchmarkOptions.parse(arguments.toArray(String[]::new)),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    return new SmokeRun(report, printed.toString(StandardCharsets.UTF_8));
  }
}
