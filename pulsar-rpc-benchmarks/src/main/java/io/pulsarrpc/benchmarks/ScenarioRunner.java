package io.pulsarrpc.benchmarks;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestCallBack;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.client.SelectionOptions;
import io.pulsarrpc.server.DeduplicationStore;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.server.PulsarRpcServerBuilder;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;

/** Runs the selected scenarios on one {@link BusEnvironment} and collects their results. */
final class ScenarioRunner {

  private static final Duration HEAP_REPLY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration HEAP_WAIT = Duration.ofSeconds(120);
  private static final Duration PENDING_SETTLE = Duration.ofSeconds(5);
  private static final Duration DEDUPLICATION_WINDOW = Duration.ofMinutes(5);
  private static final String SERVER_SUBSCRIPTION = "bench-server";

  /**
   * How long a multi-call waits for a server group's claim once the client knows how many groups
   * answer (from its previous call): the reply timeout's order, not the 2 s default, so that a
   * group whose claim comes late on a loaded machine still counts, while a call whose groups all
   * claimed ends at once as before (the window is only waited out when a group is missing).
   */
  private static final Duration MULTI_CLAIM_WINDOW = Duration.ofSeconds(20);

  /** How long the multi-call scenario tries, before it measures, to hear every server answer. */
  private static final Duration SERVERS_LEARNT_WITHIN = Duration.ofSeconds(60);

  /**
   * The scenarios compared with a single call of the same run ({@link #singleCallOf}): the call
   * kinds, the generated client's call and its hand-written twin.
   */
  static final Set<String> COMPARED_WITH_SINGLE_CALL =
      Set.of(
          "rpc-multi",
          "rpc-affinity",
          "rpc-protobuf-sync",
          "rpc-protobuf-async",
          "rpc-generated-sync",
          "rpc-generated-async");

  /** How many servers answer in the call kinds' scenarios. */
  static final int KIND_SERVERS = 3;

  /** The affinity scores of the affinity scenario's servers, the best last. */
  static final List<Double> AFFINITIES = List.of(0.2, 0.5, 0.9);

  private final BenchmarkOptions options;
  private final PrintStream out;
  private final byte[] payload;
  private final List<ScenarioResult> results = new ArrayList<>();

  ScenarioRunner(BenchmarkOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.payload = new byte[options.payloadBytes()];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
  }

  /** Every selected scenario on {@code environment}, in order: raw first, the heap last. */
  List<ScenarioResult> run(BusEnvironment environment) throws Exception {
    results.clear();
    // Paired with raw, rpc-sync and rpc-async measure the raw round trip of their depth in turns.
    boolean rawInPairsAt1 = options.pairsWithRaw() && options.runs("rpc-sync");
    boolean rawInPairsAtDepths = options.pairsWithRaw() && options.runs("rpc-async");
    if (options.runs("raw")) {
      if (!rawInPairsAt1) {
        raw(environment, 1);
      }
      for (int inFlight : options.inFlight()) {
        if (!rawInPairsAtDepths) {
          raw(environment, inFlight);
        }
      }
      if (options.runs("rpc-work") && !options.inFlight().contains(options.workInFlight())) {
        raw(environment, options.workInFlight());
      }
    }
    if (options.runs("rpc-sync")) {
      if (rawInPairsAt1) {
        pairedWithRaw(environment, "rpc-sync", 1);
      } else {
        rpc(environment, "rpc-sync", 1, zeroWork(), server -> server);
      }
    }
    if (options.runs("rpc-async")) {
      for (int inFlight : options.inFlight()) {
        if (rawInPairsAtDepths) {
          pairedWithRaw(environment, "rpc-async", inFlight);
        } else {
          rpc(environment, "rpc-async", inFlight, zeroWork(), server -> server);
        }
      }
    }
    GeneratedScenarios generated = new GeneratedScenarios(options, payload);
    if (options.runs("rpc-generated-sync")) {
      generated(environment, generated, "rpc-generated-sync", 1);
    }
    if (options.runs("rpc-generated-async")) {
      for (int inFlight : options.inFlight()) {
        generated(environment, generated, "rpc-generated-async", inFlight);
      }
    }
    if (options.runs("rpc-work")) {
      ScheduledExecutorService timer =
          new ScheduledThreadPoolExecutor(1, daemon("bench-work-timer"));
      try {
        rpc(
            environment,
            "rpc-work",
            options.workInFlight(),
            delayed(timer, options.work()),
            server -> server);
      } finally {
        timer.shutdownNow();
      }
    }
    if (options.runs("rpc-dedup")) {
      rpc(
          environment,
          "rpc-dedup",
          options.workInFlight(),
          zeroWork(),
          server -> server.deduplication(DEDUPLICATION_WINDOW));
    }
    if (options.runs("rpc-dedup-shared")) {
      Optional<DeduplicationStore> shared = environment.openSharedDeduplicationStore();
      if (shared.isEmpty()) {
        out.printf(
            "  rpc-dedup-shared: skipped, the %s bus has no shared store%n", environment.bus());
      } else {
        try (DeduplicationStore store = shared.get()) {
          rpc(
              environment,
              "rpc-dedup-shared",
              options.workInFlight(),
              zeroWork(),
              server -> server.deduplication(DEDUPLICATION_WINDOW, store));
        }
      }
    }
    if (options.runs("rpc-multi")) {
      multi(environment, 1);
      for (int inFlight : options.inFlight()) {
        multi(environment, inFlight);
      }
    }
    if (options.runs("rpc-affinity")) {
      affinity(environment);
    }
    StreamScenarios streams = new StreamScenarios(options, payload);
    if (options.runs("stream")) {
      int window = StreamScenarios.WINDOW;
      add(environment, "raw-oneway", window, streams.raw(environment, "raw-oneway", 1, 1, window));
      add(environment, "stream", window, streams.stream(environment, false));
      add(
          environment,
          "raw-oneway-both",
          2 * window,
          streams.raw(environment, "raw-oneway-both", 1, 2, window));
      add(environment, "stream-both", 2 * window, streams.stream(environment, true));
    }
    if (options.runs("broadcast")) {
      int subscribers = StreamScenarios.SUBSCRIBERS;
      int inFlight = StreamScenarios.BROADCAST_IN_FLIGHT;
      add(
          environment,
          "raw-broadcast",
          inFlight,
          streams.raw(environment, "raw-broadcast", subscribers, 1, inFlight));
      add(environment, "broadcast", inFlight, streams.broadcast(environment));
    }
    if (options.runs("heap")) {
      if (environment.keepsRequestsTheServerCannotTakeYet()) {
        heap(environment);
      } else {
        // The scenario holds every call pending behind a server that takes only its bound: here
        // the rest would be dropped, not kept, and the calls would end at their deadline.
        out.printf(
            "  heap: skipped, %s %s drops the requests its server cannot take yet%n",
            environment.bus(), environment.config());
      }
    }
    return List.copyOf(results);
  }

  /**
   * A generated-call scenario and its hand-written twin ({@code rpc-protobuf-sync} or {@code
   * -async}), measured alternately (see {@link GeneratedScenarios}): the twin's row first.
   */
  private void generated(
      BusEnvironment environment, GeneratedScenarios generated, String scenario, int inFlight)
      throws Exception {
    GeneratedScenarios.Pair pair = generated.call(environment, scenario, inFlight);
    addWithFirstFailure(environment, twinOf(scenario), inFlight, pair.handWritten());
    reportFirstFailure(scenario, inFlight, pair.generated());
    add(resultOf(environment, scenario, inFlight, pair.generated()).withRounds(pair.rounds()));
    printRounds(scenario, twinOf(scenario), inFlight, pair.rounds());
  }

  /**
   * rpc-sync (at 1 in flight) or rpc-async at {@code inFlight}, in {@code --raw-rounds} turns with
   * the raw round trip of the same depth, both open the whole time; who goes first changes every
   * round (ABBA). The raw row and the RPC row add up their rounds, and the RPC row carries the
   * per-round ratios ({@link PairedRounds}) that its targets read: what drifts slowly (a JIT still
   * compiling, a neighbour on the CPU) weighs on both alike.
   */
  private void pairedWithRaw(BusEnvironment environment, String scenario, int inFlight)
      throws Exception {
    int rounds = options.rawRounds();
    List<LoadDriver.Measurement> raws = new ArrayList<>();
    List<LoadDriver.Measurement> rpcs = new ArrayList<>();
    try (RawRoundTrip raw = environment.openRaw("raw-" + inFlight, payload)) {
      measure(
          environment,
          scenario,
          inFlight,
          List.of(server -> server.requestSubscription(SERVER_SUBSCRIPTION)),
          zeroWork(),
          (unused, client) -> {
            LoadDriver.inTurns(
                rounds,
                round ->
                    rawCalls(
                        LoadDriver.forRound(
                            "raw-", options.warmUp(), options.duration(), round, rounds),
                        raw,
                        inFlight),
                round ->
                    rpcCalls(
                        LoadDriver.forRound(
                            "rpc-", options.warmUp(), options.duration(), round, rounds),
                        client,
                        scenario,
                        inFlight),
                raws,
                rpcs);
            return LoadDriver.Measurement.sum(rpcs);
          });
    }
    String rawScenario = environment.rawScenario();
    add(environment, rawScenario, inFlight, LoadDriver.Measurement.sum(raws));
    LoadDriver.Measurement rpc = LoadDriver.Measurement.sum(rpcs);
    reportFirstFailure(scenario, inFlight, rpc);
    PairedRounds paired = PairedRounds.of(rpcs, raws);
    add(resultOf(environment, scenario, inFlight, rpc).withRounds(paired));
    printRounds(scenario, rawScenario, inFlight, paired);
  }

  private void printRounds(String scenario, String baseline, int inFlight, PairedRounds rounds) {
    PairedRounds.Estimate calls = rounds.calls();
    PairedRounds.Estimate p50 = rounds.p50();
    out.printf(
        Locale.ROOT,
        "  %s-%d / %s-%d in %d paired rounds: calls/s x%.3f (95%% CI %.3f-%.3f),"
            + " p50 x%.3f (95%% CI %.3f-%.3f)%n",
        scenario,
        inFlight,
        baseline,
        inFlight,
        calls.rounds(),
        calls.mean(),
        calls.low(),
        calls.high(),
        p50.mean(),
        p50.low(),
        p50.high());
  }

  /** The hand-written twin of generated-call scenario {@code scenario}. */
  static String twinOf(String scenario) {
    return scenario.replace("rpc-generated-", "rpc-protobuf-");
  }

  /**
   * The single call that {@code scenario}'s p50 and calls/s are compared with at {@code depth}, or
   * null when it is not compared with one: a generated call with its hand-written twin, the call
   * kinds and the twin with the hand-written single call of bytes (rpc-sync at 1 in flight,
   * rpc-async above).
   */
  static String singleCallOf(String scenario, int depth) {
    if (scenario.startsWith("rpc-generated-")) {
      return twinOf(scenario);
    }
    if (COMPARED_WITH_SINGLE_CALL.contains(scenario)) {
      return depth == 1 ? "rpc-sync" : "rpc-async";
    }
    return null;
  }

  private void raw(BusEnvironment environment, int inFlight) throws Exception {
    LoadDriver driver = new LoadDriver("raw-", options.warmUp(), options.duration());
    LoadDriver.Measurement measurement;
    try (RawRoundTrip raw = environment.openRaw("raw-" + inFlight, payload)) {
      measurement = rawCalls(driver, raw, inFlight);
    }
    add(
        ScenarioResult.of(
            environment.bus(),
            environment.config(),
            environment.rawScenario(),
            inFlight,
            payload.length,
            measurement));
  }

  /** Raw round trips: blocking at 1 in flight, pipelined above. */
  private static LoadDriver.Measurement rawCalls(LoadDriver driver, RawRoundTrip raw, int inFlight)
      throws Exception {
    return inFlight == 1 ? driver.runBlocking(raw::call) : driver.runAsync(inFlight, raw::start);
  }

  private void rpc(
      BusEnvironment environment,
      String scenario,
      int inFlight,
      Function<byte[], CompletableFuture<byte[]>> handler,
      UnaryOperator<PulsarRpcServerBuilder<byte[], byte[]>> serverSettings)
      throws Exception {
    LoadDriver.Measurement measurement =
        measure(
            environment,
            scenario,
            inFlight,
            List.of(
                server -> serverSettings.apply(server.requestSubscription(SERVER_SUBSCRIPTION))),
            handler,
            (driver, client) -> rpcCalls(driver, client, scenario, inFlight));
    addWithFirstFailure(environment, scenario, inFlight, measurement);
  }

  /** Single calls: blocking {@code request} for rpc-sync, pipelined {@code requestAsync} else. */
  private LoadDriver.Measurement rpcCalls(
      LoadDriver driver, PulsarRpcClient<byte[], byte[]> client, String scenario, int inFlight)
      throws Exception {
    return scenario.equals("rpc-sync")
        ? driver.runBlocking(id -> client.request(id, payload))
        : driver.runAsync(inFlight, id -> client.requestAsync(id, payload));
  }

  /**
   * Multi-calls to {@value #KIND_SERVERS} servers, each on a subscription of its own, that answer
   * at once: a call counts when it completed with an answer of every server; with fewer (a server
   * whose claim came after the call ended, or one that did not answer in time) it is a failure.
   * Blocking {@code requestAll} at 1 in flight, {@code requestAllAsync} above. The measured calls
   * start once the client has heard every server ({@link #learnEveryServer}).
   */
  private void multi(BusEnvironment environment, int inFlight) throws Exception {
    List<UnaryOperator<PulsarRpcServerBuilder<byte[], byte[]>>> servers = new ArrayList<>();
    for (int i = 1; i <= KIND_SERVERS; i++) {
      String subscription = SERVER_SUBSCRIPTION + "-" + i;
      servers.add(server -> server.requestSubscription(subscription));
    }
    LoadDriver.Measurement measurement =
        measure(
            environment,
            "rpc-multi",
            inFlight,
            servers,
            zeroWork(),
            (driver, client) -> {
              learnEveryServer(client);
              return inFlight == 1
                  ? driver.runBlocking(
                      id -> everyServerAnswered(client.requestAll(payload, id(id))))
                  : driver.runAsync(
                      inFlight,
                      id ->
                          client
                              .requestAllAsync(payload, id(id))
                              .thenApply(ScenarioRunner::everyServerAnswered));
            });
    addWithFirstFailure(environment, "rpc-multi", inFlight, measurement);
  }

  /**
   * Makes blocking multi-calls until one is answered by every server, so that the client knows how
   * many groups answer before the measured calls start. Without it, the first calls to the topic
   * (at 64 in flight, a whole window of them) end with the groups that claimed within the settle
   * window ({@code MultiCall}), which on a loaded machine can miss a server whose claim came late.
   * Once a call saw every group, later calls wait for as many claims (up to {@link
   * #MULTI_CLAIM_WINDOW}).
   */
  private void learnEveryServer(PulsarRpcClient<byte[], byte[]> client) throws Exception {
    long deadline = System.nanoTime() + SERVERS_LEARNT_WITHIN.toNanos();
    List<Response<byte[]>> responses = List.of();
    for (int attempt = 1; System.nanoTime() < deadline; attempt++) {
      responses = client.requestAll(payload, id("learn-servers-" + attempt));
      if (responses.stream().filter(Response::isSuccess).count() == KIND_SERVERS) {
        return;
      }
    }
    everyServerAnswered(responses);
  }

  /**
   * Blocking affinity calls, 1 in flight, among {@value #KIND_SERVERS} servers of one subscription
   * whose scores are {@link #AFFINITIES}: the client picks the best as soon as its offer comes
   * ({@code maximumAffinity}), so a call is the request, the offers, the selection and the reply.
   */
  private void affinity(BusEnvironment environment) throws Exception {
    SelectionOptions pickTheBest =
        SelectionOptions.builder().maximumAffinity(AFFINITIES.get(AFFINITIES.size() - 1)).build();
    List<UnaryOperator<PulsarRpcServerBuilder<byte[], byte[]>>> servers = new ArrayList<>();
    for (double score : AFFINITIES) {
      servers.add(
          server -> server.requestSubscription(SERVER_SUBSCRIPTION).affinity(request -> score));
    }
    LoadDriver.Measurement measurement =
        measure(
            environment,
            "rpc-affinity",
            1,
            servers,
            zeroWork(),
            (driver, client) ->
                driver.runBlocking(
                    id -> client.request(payload, id(id).withSelection(pickTheBest))));
    addWithFirstFailure(environment, "rpc-affinity", 1, measurement);
  }

  /**
   * Runs {@code calls} through a fresh client against one server per entry of {@code servers}, and
   * returns what they measured.
   */
  private LoadDriver.Measurement measure(
      BusEnvironment environment,
      String scenario,
      int inFlight,
      List<UnaryOperator<PulsarRpcServerBuilder<byte[], byte[]>>> servers,
      Function<byte[], CompletableFuture<byte[]>> handler,
      Calls calls)
      throws Exception {
    String requestTopic = environment.topic(scenario + "-" + inFlight + "-requests");
    LoadDriver driver = new LoadDriver("rpc-", options.warmUp(), options.duration());
    LoadDriver.Measurement measurement;
    List<PulsarRpcServer<byte[], byte[]>> started = new ArrayList<>();
    try {
      for (UnaryOperator<PulsarRpcServerBuilder<byte[], byte[]>> settings : servers) {
        started.add(
            settings
                .apply(
                    PulsarRpcServer.builder(Schema.BYTES, Schema.BYTES)
                        .requestTopic(requestTopic)
                        .maxConcurrentRequests(Math.max(256, inFlight))
                        .shutdownGracePeriod(Duration.ofSeconds(5))
                        // The same producer settings as the raw round trip's reply producer.
                        .replyProducerConfig(environment.requestProducerConfig()))
                .build(environment.serverBus(), handler, (id, request) -> {}));
      }
      try (PulsarRpcClient<byte[], byte[]> client =
          PulsarRpcClient.builder(Schema.BYTES, Schema.BYTES)
              .requestTopic(requestTopic)
              .replyTopic(environment.topic(scenario + "-" + inFlight + "-replies"))
              .replySubscription("bench-client")
              .requestProducerConfig(environment.requestProducerConfig())
              .claimWindow(MULTI_CLAIM_WINDOW)
              .build(environment.clientBus())) {
        measurement = calls.run(driver, client);
      }
    } finally {
      for (PulsarRpcServer<byte[], byte[]> server : started) {
        server.close();
      }
    }
    return measurement;
  }

  private void addWithFirstFailure(
      BusEnvironment environment,
      String scenario,
      int inFlight,
      LoadDriver.Measurement measurement) {
    reportFirstFailure(scenario, inFlight, measurement);
    add(environment, scenario, inFlight, measurement);
  }

  private void reportFirstFailure(
      String scenario, int inFlight, LoadDriver.Measurement measurement) {
    if (measurement.firstFailure() != null) {
      out.printf(
          "  %s-%d: the first failed call: %s%n", scenario, inFlight, measurement.firstFailure());
    }
  }

  /** A scenario's calls, made through {@code driver} with {@code client}. */
  @FunctionalInterface
  private interface Calls {
    LoadDriver.Measurement run(LoadDriver driver, PulsarRpcClient<byte[], byte[]> client)
        throws Exception;
  }

  private static RequestOptions id(String correlationId) {
    return RequestOptions.defaults().withCorrelationId(correlationId);
  }

  /** {@code responses}, when every server answered; else the call failed. */
  private static List<Response<byte[]>> everyServerAnswered(List<Response<byte[]>> responses) {
    long answered = responses.stream().filter(Response::isSuccess).count();
    if (answered < KIND_SERVERS) {
      List<String> outcomes =
          responses.stream()
              .map(r -> r.server() + (r.isSuccess() ? " answered" : " " + r.error().code()))
              .toList();
      throw new IllegalStateException(
          answered + " of " + KIND_SERVERS + " servers answered: " + outcomes);
    }
    return responses;
  }

  /**
   * Holds {@code heapCalls} calls pending against a server that answers none of them until told,
   * and measures how much the heap grew per call; then lets every call be answered and checks that
   * the client's pending map is empty. On the in-memory bus the figure includes the queued
   * messages, which live in the same heap.
   */
  private void heap(BusEnvironment environment) throws Exception {
    int calls = options.heapCalls();
    String requestTopic = environment.topic("heap-requests");
    CompletableFuture<Void> gate = new CompletableFuture<>();
    AtomicInteger sent = new AtomicInteger();
    RequestCallBack<byte[]> countSends =
        new RequestCallBack<>() {
          @Override
          public void onSendRequestSuccess(String correlationId, MessageId messageId) {
            sent.incrementAndGet();
          }
        };
    @SuppressWarnings("unchecked")
    CompletableFuture<byte[]>[] futures = new CompletableFuture[calls];
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    double bytesPerCall;
    int pendingAfter;
    try (PulsarRpcServer<byte[], byte[]> server =
            PulsarRpcServer.builder(Schema.BYTES, Schema.BYTES)
                .requestTopic(requestTopic)
                .requestSubscription("bench-holder")
                .shutdownGracePeriod(Duration.ofSeconds(5))
                .replyProducerConfig(environment.requestProducerConfig())
                .build(
                    environment.serverBus(),
                    request -> gate.thenApply(open -> request),
                    (id, request) -> {});
        PulsarRpcClient<byte[], byte[]> client =
            PulsarRpcClient.builder(Schema.BYTES, Schema.BYTES)
                .requestTopic(requestTopic)
                .replyTopic(environment.topic("heap-replies"))
                .replySubscription("bench-heap-client")
                .replyTimeout(HEAP_REPLY_TIMEOUT)
                .requestProducerConfig(environment.requestProducerConfig())
                .requestCallBack(countSends)
                .build(environment.clientBus())) {
      long before = usedHeapAfterGc(memory);
      for (int i = 0; i < calls; i++) {
        futures[i] = client.requestAsync("heap-" + i, payload);
      }
      long waitUntil = System.nanoTime() + HEAP_WAIT.toNanos();
      while (sent.get() < calls && System.nanoTime() < waitUntil) {
        Thread.sleep(20);
      }
      long after = usedHeapAfterGc(memory);
      int pendingAtPeak = client.pendingRequestSize();
      bytesPerCall = (after - before) / (double) calls;
      out.printf(
          "  heap: %d calls pending (%d sent), heap %+.1f MiB, %.0f bytes per pending call%n",
          pendingAtPeak, sent.get(), (after - before) / 1048576.0, bytesPerCall);
      gate.complete(null);
      CompletableFuture.allOf(futures)
          .handle((ignored, failure) -> null)
          .get(HEAP_WAIT.toSeconds(), TimeUnit.SECONDS);
      // The client removes a call in a stage of its own that may run just after the caller's
      // future completed: give it a moment (bounded) before reading the map.
      int pendingAtCompletion = client.pendingRequestSize();
      long settleUntil = System.nanoTime() + PENDING_SETTLE.toNanos();
      while (client.pendingRequestSize() > 0 && System.nanoTime() < settleUntil) {
        Thread.sleep(10);
      }
      pendingAfter = client.pendingRequestSize();
      out.printf(
          "  heap: pendingRequestSize() = %d the moment the last future completed%n",
          pendingAtCompletion);
      long failed =
          java.util.Arrays.stream(futures)
              .filter(CompletableFuture::isCompletedExceptionally)
              .count();
      out.printf(
          "  heap: all answered (%d failed); pendingRequestSize() = %d once settled%n",
          failed, pendingAfter);
    }
    add(
        ScenarioResult.heap(
            environment.bus(),
            environment.config(),
            calls,
            payload.length,
            bytesPerCall,
            pendingAfter));
  }

  private void add(
      BusEnvironment environment,
      String scenario,
      int inFlight,
      LoadDriver.Measurement measurement) {
    add(resultOf(environment, scenario, inFlight, measurement));
  }

  private ScenarioResult resultOf(
      BusEnvironment environment,
      String scenario,
      int inFlight,
      LoadDriver.Measurement measurement) {
    return ScenarioResult.of(
        environment.bus(), environment.config(), scenario, inFlight, payload.length, measurement);
  }

  private void add(ScenarioResult result) {
    results.add(result);
    out.println("  " + ResultFormat.line(result));
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static Function<byte[], CompletableFuture<byte[]>> zeroWork() {
    return CompletableFuture::completedFuture;
  }

  /** A handler that answers after {@code work} without holding a thread meanwhile. */
  private static Function<byte[], CompletableFuture<byte[]>> delayed(
      ScheduledExecutorService timer, Duration work) {
    return request -> {
      CompletableFuture<byte[]> reply = new CompletableFuture<>();
      timer.schedule(() -> reply.complete(request), work.toNanos(), TimeUnit.NANOSECONDS);
      return reply;
    };
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
