package io.pulsarrpc.server;

import static io.pulsarrpc.server.JvmSnapshot.megabytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls at a steady rate for a while, with a bounded number in flight: every call is answered and
 * the heap in use after GC stays flat. One minute by default (CI); the long soak is {@code
 * -Dsoak.duration=PT10M} (docs/reliability.md).
 */
@ExtendWith(TestBrokersExtension.class)
class SoakIT {

  private static final Duration DURATION =
      Duration.parse(System.getProperty("soak.duration", "PT1M"));
  private static final int CALLS_PER_SECOND = 200;
  private static final int MAX_IN_FLIGHT = 32;
  // The first sample, 10 s in, is the reference: classes, JIT, pools and producers are warm by
  // then.
  private static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(10);
  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  // Heap in use after GC moved by less than 0.1 MB between samples of a one-minute soak, and its
  // slope was within 1 byte per call of zero. A leak of 64 bytes per call fails the slope; over 10
  // minutes (110 000 calls after the first sample) one of 19 bytes per call fails the growth.
  private static final long MAX_HEAP_GROWTH = 2 * 1_048_576;
  private static final double MAX_HEAP_BYTES_PER_CALL = 64;
  // Threads the JVM may start by itself meanwhile (the common pool's workers, JDK timers).
  private static final int FOREIGN_THREAD_TOLERANCE = 2;
  private static final int MAX_CONCURRENT_REQUESTS = 16;
  // The server's handler pool starts threads as bursts of calls need them, up to
  // MAX_CONCURRENT_REQUESTS, and ends them after a minute idle: counted apart from the rest.
  private static final String HANDLER_THREAD_PREFIX = "pulsar-rpc-server-soak-server-";

  @Test
  @SuppressWarnings("try") // the server works unreferenced in the try block: it answers the calls
  void aSteadyRateIsAnsweredCallForCallWithAFlatHeap(PulsarTestBroker broker) throws Exception {
    assertThat(DURATION)
        .as("soak.duration leaves room for three samples, one every %s", SAMPLE_INTERVAL)
        .isGreaterThanOrEqualTo(SAMPLE_INTERVAL.multipliedBy(3));
    String requestTopic = broker.newTopic("soak-requests");
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    AtomicLong answered = new AtomicLong();
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    List<Sample> samples = new ArrayList<>();
    long sent = 0;
    try (PulsarClient serverSide = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build();
        PulsarClient clientSide = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build();
        PulsarRpcServer<String, String> server =
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .requestSubscription("soak-server")
                .maxConcurrentRequests(MAX_CONCURRENT_REQUESTS)
                .build(
                    serverSide,
                    value -> {
                      // 1 ms of work on a handler thread.
                      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                      return CompletableFuture.completedFuture("re:" + value);
                    },
                    (id, value) -> {});
        PulsarRpcClient<String, String> client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .replyTopic(broker.newTopic("soak-replies"))
                .replySubscription("soak-client")
                .replyTimeout(TIMEOUT)
                // As many as the caller keeps in flight: a call that stayed in the table after
                // its caller had the answer would make a later call fail resource_exhausted.
                .maxPendingRequests(MAX_IN_FLIGHT)
                .build(clientSide)) {

      long interval = TimeUnit.SECONDS.toNanos(1) / CALLS_PER_SECOND;
      long start = System.nanoTime();
      long end = start + DURATION.toNanos();
      long nextCall = start;
      long nextSample = start + SAMPLE_INTERVAL.toNanos();
      for (long now = start; now < end; now = System.nanoTime()) {
        if (now >= nextSample) {
          samples.add(Sample.take(now - start, answered.get()));
          nextSample += SAMPLE_INTERVAL.toNanos();
        } else if (now < nextCall) {
          LockSupport.parkNanos(Math.min(nextCall, nextSample) - now);
        } else {
          assertThat(inFlight.tryAcquire(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
              .as("a call ended within its timeout")
              .isTrue();
          String value = "soak " + sent;
          client
              .requestAsync("soak-" + sent, value)
              .whenComplete(
                  (reply, failure) -> {
                    outcomes
                        .computeIfAbsent(outcome(value, reply, failure), key -> new AtomicInteger())
                        .incrementAndGet();
                    answered.incrementAndGet();
                    inFlight.release();
                  });
          sent++;
          nextCall += interval;
        }
      }
      assertThat(inFlight.tryAcquire(MAX_IN_FLIGHT, TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("the last calls ended within their timeout")
          .isTrue();
      double seconds = (System.nanoTime() - start) / 1e9;
      samples.add(Sample.take(System.nanoTime() - start, answered.get()));

      System.out.printf(
          "Soak: %d calls in %.0f s (%.0f/s, at most %d in flight), outcomes %s, pending after %d%n",
          sent,
          seconds,
          sent / seconds,
          MAX_IN_FLIGHT,
          new TreeMap<>(outcomes),
          client.pendingRequestSize());
      System.out.println("Soak: heap in use after GC, by time and calls answered:");
      samples.forEach(sample -> System.out.println("  " + sample));
      assertThat(client.pendingRequestSize()).isZero();
    }

    assertThat(outcomes.keySet()).containsExactly("reply");
    assertThat(outcomes.get("reply").get()).isEqualTo(sent);
    Sample first = samples.get(0);
    Sample last = samples.get(samples.size() - 1);
    double bytesPerCall = slope(samples);
    System.out.printf(
        "Soak: heap %s at the first sample, %s at the last (%+d bytes); least-squares slope %.1f"
            + " bytes per call%n",
        megabytes(first.usedHeap),
        megabytes(last.usedHeap),
        last.usedHeap - first.usedHeap,
        bytesPerCall);
    assertThat(last.usedHeap - first.usedHeap)
        .as("heap growth from the first sample to the last")
        .isLessThan(MAX_HEAP_GROWTH);
    assertThat(bytesPerCall)
        .as("heap growth per call answered")
        .isLessThan(MAX_HEAP_BYTES_PER_CALL);
    assertThat(samples)
        .as("handler threads at every sample")
        .allSatisfy(
            sample ->
                assertThat(sample.handlerThreads).isLessThanOrEqualTo(MAX_CONCURRENT_REQUESTS));
    assertThat(last.otherThreads)
        .as("threads other than the handler pool's")
        .isLessThanOrEqualTo(first.otherThreads + FOREIGN_THREAD_TOLERANCE);
  }

  private static String outcome(String value, String reply, Throwable failure) {
    if (failure == null) {
      return ("re:" + value).equals(reply) ? "reply" : "wrong reply";
    }
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
    return cause instanceof PulsarRpcClientException rpc
        ? rpc.code().wireName()
        : cause.getClass().getSimpleName();
  }

  /** Heap in use after GC as a function of calls answered, fitted by least squares. */
  private static double slope(List<Sample> samples) {
    double meanCalls = samples.stream().mapToLong(Sample::answered).average().orElse(0);
    double meanHeap = samples.stream().mapToLong(Sample::usedHeap).average().orElse(0);
    double covariance = 0;
    double variance = 0;
    for (Sample sample : samples) {
      covariance += (sample.answered - meanCalls) * (sample.usedHeap - meanHeap);
      variance += (sample.answered - meanCalls) * (sample.answered - meanCalls);
    }
    return variance == 0 ? 0 : covariance / variance;
  }

  /** The heap in use after GC, {@code elapsed} nanoseconds into the soak. */
  private record Sample(
      long elapsed, long answered, long usedHeap, int handlerThreads, int otherThreads) {

    static Sample take(long elapsed, long answered) {
      long usedHeap = JvmSnapshot.usedHeapAfterGc();
      int handlerThreads = 0;
      int otherThreads = 0;
      for (var entry : JvmSnapshot.liveThreads().entrySet()) {
        if (entry.getKey().startsWith(HANDLER_THREAD_PREFIX)) {
          handlerThreads += entry.getValue();
        } else {
          otherThreads += entry.getValue();
        }
      }
      return new Sample(elapsed, answered, usedHeap, handlerThreads, otherThreads);
    }

    @Override
    public String toString() {
      return String.format(
          "%4d s  %8d calls  %s  %d handler threads, %d others",
          TimeUnit.NANOSECONDS.toSeconds(elapsed),
          answered,
          megabytes(usedHeap),
          handlerThreads,
          otherThreads);
    }
  }
}
