package io.pulsarrpc.examples;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.testkit.PulsarTestBroker;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Scheduled RPCs as a cron: a job that runs "every 3 seconds", booked ahead with {@code
 * requestAtAsync}, and a one-off "retry in 2 s" with {@code requestAfterAsync}. The broker holds
 * each request until its time; the server runs it then and replies; the caller's future completes.
 *
 * <p>Run: {@code mvn -q -DskipTests -Pdemo verify
 * -Ddemo.main=io.pulsarrpc.examples.ScheduledCallsExample}
 */
public final class ScheduledCallsExample {

  private static final Duration EVERY = Duration.ofSeconds(3);
  private static final int RUNS = 3;

  private final PrintStream out;

  ScheduledCallsExample(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the example and exits with status 0 when every job ran on time, 1 otherwise.
   *
   * @param args ignored
   */
  public static void main(String[] args) throws Exception {
    QuietOpenTelemetry.apply();
    boolean ok;
    try (PulsarTestBroker broker = PulsarTestBroker.startFromEnvironment()) {
      ok = new ScheduledCallsExample(System.out).run(broker);
    }
    System.exit(ok ? 0 : 1);
  }

  /** Books the jobs and waits for them; true when each ran no earlier than its time. */
  boolean run(PulsarTestBroker broker) throws Exception {
    PulsarClient pulsar = broker.client();
    String jobs = broker.newTopic("jobs");
    try (PulsarRpcServer<String, String> worker =
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(jobs)
                .requestSubscription("job-runner")
                .build(
                    pulsar,
                    job -> CompletableFuture.completedFuture(job + " ran at " + clock()),
                    (id, job) -> out.println("rolled back " + id));
        PulsarRpcClient<String, String> scheduler =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(jobs)
                .replyTopic(broker.newTopic("job-results"))
                .replySubscription("scheduler")
                .replyTimeout(Duration.ofSeconds(30))
                .build(pulsar)) {

      // The next three fire times of "every 3 seconds", like a cron expression would give.
      Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(EVERY);
      List<CompletableFuture<String>> booked = new ArrayList<>();
      List<Instant> due = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        Instant at = first.plus(EVERY.multipliedBy(run));
        due.add(at);
        booked.add(scheduler.requestAtAsync("report-" + run, "report #" + run, at.toEpochMilli()));
        out.println("booked report #" + run + " for " + clock(at));
      }
      CompletableFuture<String> retry =
          scheduler.requestAfterAsync("retry-1", "retry of a failed upload", 2, TimeUnit.SECONDS);
      out.println("booked a retry of a failed upload in 2 s");

      boolean onTime = true;
      out.println(retry.get(60, TimeUnit.SECONDS));
      for (int run = 0; run < RUNS; run++) {
        String result = booked.get(run).get(60, TimeUnit.SECONDS);
        out.println(result + " (due " + clock(due.get(run)) + ")");
        onTime &= !Instant.now().isBefore(due.get(run));
      }
      out.println(onTime ? "Every job ran at or after its time." : "A job ran early!");
      return onTime;
    }
  }

  private static String clock() {
    return clock(Instant.now());
  }

  private static String clock(Instant instant) {
    return LocalTime.ofInstant(instant, ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS) + " UTC";
  }
}
