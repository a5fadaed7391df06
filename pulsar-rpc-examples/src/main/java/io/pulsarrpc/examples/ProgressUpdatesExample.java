package io.pulsarrpc.examples;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.client.PulsarRpcSubscriber;
import io.pulsarrpc.client.SubscribeOptions;
import io.pulsarrpc.server.PulsarRpcPublisher;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.pulsar.client.api.Schema;

/**
 * Server-pushed updates: a job runner publishes the progress of two jobs; two dashboards subscribe
 * with broadcast subscriptions, so each sees every step of every job in order; two archivers share
 * the finished jobs with a queue subscription on topic {@code done}, so each job is archived once.
 *
 * <p>Run: {@code mvn -q -DskipTests -Pdemo verify
 * -Ddemo.main=io.pulsarrpc.examples.ProgressUpdatesExample} (add {@code -Ddemo.args="--bus
 * memory"}, or {@code redis}, {@code nats}, for another bus)
 */
public final class ProgressUpdatesExample {

  private static final List<String> JOBS = List.of("job-1", "job-2");
  private static final List<String> DASHBOARDS = List.of("wall", "ops");
  private static final List<String> ARCHIVERS = List.of("archiver-1", "archiver-2");

  private final PrintStream out;

  ProgressUpdatesExample(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the example and exits with status 0 when every dashboard saw every step in order and each
   * job was archived once, 1 otherwise, 2 on a usage error.
   *
   * @param args {@code --bus pulsar|redis|nats|memory} (default {@code pulsar})
   */
  public static void main(String[] args) throws Exception {
    QuietOpenTelemetry.apply();
    String busName = DemoBus.nameFromArgumentsOrExit(args);
    boolean ok;
    try (DemoBus demoBus = DemoBus.open(busName, System.out)) {
      ok = new ProgressUpdatesExample(System.out).run(demoBus.bus(), demoBus::newTopic);
    }
    System.exit(ok ? 0 : 1);
  }

  /** Runs the example over {@code bus}; true when everything arrived as described. */
  boolean run(MessageBus bus, UnaryOperator<String> newTopic) throws Exception {
    String updateTopic = newTopic.apply("job-progress");
    out.println();
    out.println("Over the " + bus.name() + " bus, a job runner publishes to " + updateTopic + ":");
    out.println("  dashboards " + DASHBOARDS + " subscribe (broadcast: each sees every update),");
    out.println("  archivers " + ARCHIVERS + " share topic 'done' (queue: one of them per job).");
    List<String> expectedSteps = new ArrayList<>();
    for (String job : JOBS) {
      for (int percent = 0; percent <= 100; percent += 20) {
        expectedSteps.add(job + " " + percent + "%");
      }
    }
    CountDownLatch allSeen = new CountDownLatch(DASHBOARDS.size() * expectedSteps.size());
    CountDownLatch allArchived = new CountDownLatch(JOBS.size());
    Map<String, List<String>> seen = new ConcurrentHashMap<>();
    Map<String, List<String>> archivedBy = new ConcurrentHashMap<>();

    try (PulsarRpcSubscriber<String> subscriber =
            PulsarRpcSubscriber.builder(Schema.STRING).updateTopic(updateTopic).build(bus);
        PulsarRpcPublisher<String> runner =
            PulsarRpcPublisher.builder(Schema.STRING).updateTopic(updateTopic).build(bus)) {
      for (String dashboard : DASHBOARDS) {
        List<String> steps = seen.computeIfAbsent(dashboard, name -> new CopyOnWriteArrayList<>());
        subscriber.subscribe(
            update -> {
              steps.add(update);
              allSeen.countDown();
            });
      }
      SubscribeOptions finished =
          SubscribeOptions.defaults().withTopic("done").withQueue("archivers");
      for (String archiver : ARCHIVERS) {
        subscriber.subscribe(
            job -> {
              archivedBy.computeIfAbsent(job, name -> new CopyOnWriteArrayList<>()).add(archiver);
              out.println("  " + archiver + " archived " + job);
              allArchived.countDown();
            },
            finished);
      }

      // The two jobs run side by side: their steps interleave on the update topic.
      for (int percent = 0; percent <= 100; percent += 20) {
        for (String job : JOBS) {
          runner.publish(job + " " + percent + "%");
        }
      }
      for (String job : JOBS) {
        runner.publish("done", job);
      }

      boolean arrived =
          allSeen.await(60, TimeUnit.SECONDS) & allArchived.await(60, TimeUnit.SECONDS);
      boolean ok = arrived;
      for (String dashboard : DASHBOARDS) {
        for (String job : JOBS) {
          List<String> jobSteps =
              seen.get(dashboard).stream().filter(step -> step.startsWith(job + " ")).toList();
          out.println("  " + dashboard + " saw " + job + ": " + String.join(", ", jobSteps));
          List<String> expected =
              expectedSteps.stream().filter(step -> step.startsWith(job + " ")).toList();
          ok &= jobSteps.equals(expected);
        }
      }
      for (String job : JOBS) {
        ok &= archivedBy.getOrDefault(job, List.of()).size() == 1;
      }
      out.println(
          ok
              ? "Every dashboard saw every step in order, and each job was archived once."
              : "Something went wrong: seen " + seen + ", archived " + archivedBy);
      return ok;
    }
  }
}
