package io.pulsarrpc.server;

import static io.pulsarrpc.server.JvmSnapshot.megabytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.common.policies.data.TopicStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 10 000 calls started at once against two servers that share a subscription, each with a
 * concurrency bound: every call gets its own reply, and once everything is closed no pending entry,
 * reply producer, broker-side producer or consumer, thread or heap is left behind.
 */
@ExtendWith(TestBrokersExtension.class)
class LoadIT {

  private static final int CALLS = 10_000;
  private static final int CONCURRENCY_BOUND = 32;
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  // A call that left anything on the heap would show here: a pending entry alone is about 600 B
  // (docs/performance.md), 6 MB for 10 000. The first burst of 10 000 keeps 0.4-0.7 MB of capacity
  // grown to hold it (the pending table's and the deadline timer's arrays, Pulsar's and Netty's
  // queues), once: four more bursts of 10 000 added 17 KB each. 3 MB catches a leak of about 230 B
  // per call or more.
  private static final long MAX_HEAP_GROWTH = 3 * 1_048_576;
  // Threads the JVM may start or end by itself meanwhile (the common pool's workers, JDK timers).
  private static final int FOREIGN_THREAD_TOLERANCE = 2;

  @Test
  void tenThousandCallsAtOnceAreAllAnsweredAndLeaveNothingBehind(PulsarTestBroker broker)
      throws Exception {
    // A first round loads the classes and starts what lives as long as the JVM (the admin
    // client, JDK schedulers), so that the baseline holds them.
    // Reading the broker's counts here also starts the admin client, whose threads and heap must be
    // in the baseline. The counts themselves are checked on the 10 000 calls below: the warm-up's
    // 200 may all go to one server, and so to one reply producer.
    try (Deployment warmUp = Deployment.open(broker)) {
      warmUp.callAndCheck(200, "warm-up");
      assertThat(countAtTheBroker(broker, warmUp.requestTopic, warmUp.replyTopic).replyConsumers())
          .isEqualTo(1);
    }
    JvmSnapshot baseline = JvmSnapshot.take();

    long heapOpen;
    long heapAfterCalls;
    try (Deployment deployment = Deployment.open(broker)) {
      deployment.callAndCheck(100, "first");
      heapOpen = JvmSnapshot.usedHeapAfterGc();

      long started = System.nanoTime();
      deployment.callAndCheck(CALLS, "load");
      System.out.printf(
          "Load: %d calls answered in %d ms; pending after: %d; handled per server %s, most at"
              + " once per server %s (bound %d)%n",
          CALLS,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          deployment.client.pendingRequestSize(),
          deployment.handled,
          deployment.mostAtOnce,
          CONCURRENCY_BOUND);

      assertThat(deployment.client.pendingRequestSize()).isZero();
      assertThat(deployment.handled).allMatch(handled -> handled.get() > 0);
      assertThat(deployment.handled.stream().mapToInt(AtomicInteger::get).sum())
          .as("requests handled, each once")
          .isEqualTo(100 + CALLS);
      assertThat(deployment.mostAtOnce).allMatch(most -> most.get() <= CONCURRENCY_BOUND);
      assertThat(deployment.servers).allMatch(server -> server.replyProducerCount() == 1);
      Counts open = countAtTheBroker(broker, deployment.requestTopic, deployment.replyTopic);
      System.out.printf("Load: at the broker while open: %s%n", open);
      assertThat(open).isEqualTo(new Counts(1, 2, 2, 1));
      List<String> threadsWhileOpen = baseline.threadsAddedIn(JvmSnapshot.liveThreads());
      System.out.printf(
          "Load: %d threads more than before while open, %d of them handler threads%n",
          threadsWhileOpen.size(),
          threadsWhileOpen.stream().filter(name -> name.startsWith("pulsar-rpc-server-")).count());

      heapAfterCalls = JvmSnapshot.usedHeapAfterGc();
      System.out.printf(
          "Load: heap in use after GC with clients and servers open: %s before the %d calls, %s"
              + " after (%+d bytes)%n",
          megabytes(heapOpen), CALLS, megabytes(heapAfterCalls), heapAfterCalls - heapOpen);

      deployment.closeRpc();
      assertThat(deployment.servers).allMatch(server -> server.replyProducerCount() == 0);
      Counts closed = countAtTheBroker(broker, deployment.requestTopic, deployment.replyTopic);
      System.out.printf("Load: at the broker the moment close() returned: %s%n", closed);
      assertThat(closed).isEqualTo(new Counts(0, 0, 0, 0));
    }

    // Pulsar's client ends its threads a moment after close() returns.
    await()
        .pollInSameThread()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(threadsAddedSince(baseline, JvmSnapshot.liveThreads()))
                    .as("threads started during the load and still alive")
                    .noneMatch(name -> name.startsWith("pulsar"))
                    .hasSizeLessThanOrEqualTo(FOREIGN_THREAD_TOLERANCE));
    JvmSnapshot after = JvmSnapshot.take();
    System.out.printf(
        "Load: live threads %d before, %d after; started and still alive: %s; ended: %s%n",
        baseline.threadCount(),
        after.threadCount(),
        baseline.threadsAddedIn(after.threadsByName()),
        after.threadsAddedIn(baseline.threadsByName()));
    System.out.printf(
        "Load: heap in use after GC %s before, %s after everything closed (%+d bytes)%n",
        megabytes(baseline.usedHeapBytes()),
        megabytes(after.usedHeapBytes()),
        after.usedHeapBytes() - baseline.usedHeapBytes());

    assertThat(heapAfterCalls - heapOpen)
        .as("heap kept by %d answered calls", CALLS)
        .isLessThan(MAX_HEAP_GROWTH);
    assertThat(after.usedHeapBytes() - baseline.usedHeapBytes())
        .as("heap kept once everything is closed")
        .isLessThan(MAX_HEAP_GROWTH);
  }

  /**
   * Threads alive now that were not at the baseline, except the pool of the test's own admin client
   * (the testkit's shared {@code PulsarAdmin}, which reads the broker's counts): it grows by a
   * thread per request and keeps them.
   */
  private static List<String> threadsAddedSince(JvmSnapshot baseline, Map<String, Integer> now) {
    return baseline.threadsAddedIn(now).stream()
        .filter(name -> !name.contains("jersey-client-async-executor"))
        .toList();
  }

  /** Producers and consumers the broker counts on the request and reply topics. */
  record Counts(
      int requestProducers, int requestConsumers, int replyProducers, int replyConsumers) {}

  private static Counts countAtTheBroker(
      PulsarTestBroker broker, String requestTopic, String replyTopic) throws Exception {
    TopicStats requests = broker.admin().topics().getStats(requestTopic);
    TopicStats replies = broker.admin().topics().getStats(replyTopic);
    return new Counts(
        requests.getPublishers().size(),
        consumers(requests),
        replies.getPublishers().size(),
        consumers(replies));
  }

  private static int consumers(TopicStats stats) {
    return stats.getSubscriptions().values().stream()
        .mapToInt(subscription -> subscription.getConsumers().size())
        .sum();
  }

  /**
   * Two Pulsar clients (one for the servers, one for the caller, as two processes would have), two
   * servers sharing a subscription, each bounded to {@link #CONCURRENCY_BOUND} requests at once,
   * and one RPC client whose pending table holds exactly {@link #CALLS}.
   */
  private static final class Deployment implements AutoCloseable {

    final String requestTopic;
    final String replyTopic;
    final PulsarClient serverSide;
    final PulsarClient clientSide;
    final List<ServerEngine<String, String>> servers = new ArrayList<>();
    final List<AtomicInteger> handled = List.of(new AtomicInteger(), new AtomicInteger());
    final List<AtomicInteger> mostAtOnce = List.of(new AtomicInteger(), new AtomicInteger());
    PulsarRpcClient<String, String> client;

    private Deployment(PulsarTestBroker broker) throws Exception {
      requestTopic = broker.newTopic("load-requests");
      replyTopic = broker.newTopic("load-replies");
      serverSide = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build();
      clientSide = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build();
    }

    static Deployment open(PulsarTestBroker broker) throws Exception {
      Deployment deployment = new Deployment(broker);
      try {
        for (int i = 0; i < 2; i++) {
          deployment.servers.add(deployment.startServer(i));
        }
        deployment.client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(deployment.requestTopic)
                .replyTopic(deployment.replyTopic)
                .replySubscription("load-client")
                .replyTimeout(TIMEOUT)
                .maxPendingRequests(CALLS)
                .build(deployment.clientSide);
      } catch (Exception | Error e) {
        deployment.close();
        throw e;
      }
      return deployment;
    }

    private ServerEngine<String, String> startServer(int index) throws Exception {
      AtomicInteger running = new AtomicInteger();
      return (ServerEngine<String, String>)
          PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
              .requestTopic(requestTopic)
              .requestSubscription("load-servers")
              .maxConcurrentRequests(CONCURRENCY_BOUND)
              .build(
                  serverSide,
                  value -> {
                    handled.get(index).incrementAndGet();
                    mostAtOnce.get(index).accumulateAndGet(running.incrementAndGet(), Math::max);
                    // 1 ms of work that holds a handler thread, so that the bound is reached.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    running.decrementAndGet();
                    return CompletableFuture.completedFuture("re:" + value);
                  },
                  (id, value) -> {});
    }

    /** Starts {@code calls} calls at once and checks that each gets its own reply. */
    void callAndCheck(int calls, String prefix) throws Exception {
      List<CompletableFuture<String>> futures = new ArrayList<>(calls);
      for (int i = 0; i < calls; i++) {
        futures.add(client.requestAsync(prefix + "-" + i, prefix + " " + i));
      }
      for (int i = 0; i < calls; i++) {
        assertThat(futures.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
            .isEqualTo("re:" + prefix + " " + i);
      }
    }

    /** Closes the RPC client and the servers, not the Pulsar clients. Idempotent. */
    void closeRpc() {
      if (client != null) {
        client.close();
      }
      servers.forEach(ServerEngine::close);
    }

    /** Closes everything. Idempotent. */
    @Override
    public void close() throws PulsarClientException {
      closeRpc();
      if (!serverSide.isClosed()) {
        serverSide.close();
      }
      if (!clientSide.isClosed()) {
        clientSide.close();
      }
    }
  }
}
