package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestCallBack;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.PulsarRpcServerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The fault scenario of the crash tests, written once for every bus: the process that stores the
 * bus's messages (a Pulsar broker, Redis, NATS) dies by {@code kill -9} with 1 000 calls in flight
 * and new calls coming, then restarts on the same data, and 100 more calls follow. The rules it
 * checks:
 *
 * <ul>
 *   <li>every call ends by its deadline (plus a slack for the timer thread), with its own reply or
 *       a clear error: {@code deadline_exceeded} or {@code unavailable}, nothing else;
 *   <li>calls are answered (at least one; the tests print how many);
 *   <li>the client's pending table ends empty;
 *   <li>every request whose send the bus acknowledged is handled, after the restart if it was not
 *       before;
 *   <li>with {@link #requireAReplyToEveryAcceptedRequest()}, every call whose request the bus
 *       acknowledged ends with its reply.
 * </ul>
 *
 * <p>{@link #excusing} names calls the last two rules do not hold for, when a test shows that the
 * bus's server lost their request or reply.
 *
 * <p>Build the server with {@link #handler()} and the client with {@link #requestCallBack()} and
 * {@link #timeout()} (on a bus: {@link #server} and {@link #client}), then {@link #run}. One
 * instance per test.
 */
public final class CallsThroughACrash {

  /** The request subscription of {@link #server}. */
  public static final String SERVER_SUBSCRIPTION = "survivor";

  /** The reply subscription of {@link #client}. */
  public static final String CLIENT_SUBSCRIPTION = "caller";

  private static final int CALLS_IN_FLIGHT = 1_000;
  private static final int ACCEPTED_BEFORE_THE_KILL = 100;
  private static final int MAX_CALLS_WHILE_DOWN = 200;
  private static final long CALL_INTERVAL_MILLIS = 50;
  private static final int CALLS_AFTER_THE_RESTART = 100;
  private static final long HANDLER_MILLIS = 20;
  private static final Duration RESTART_LIMIT = Duration.ofMinutes(3);
  // A call's future may complete a little after its deadline: the timer thread's own latency.
  private static final long DEADLINE_SLACK_MILLIS = 3_000;

  private final String name;
  private final Duration timeout;
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final Set<String> acceptedByTheBus = ConcurrentHashMap.newKeySet();
  private boolean acceptedRequestsAreAnswered;
  private Supplier<Set<String>> lostByTheServer = Set::of;
  private Supplier<String> diagnostics = () -> "(no diagnostics for this bus)";

  /**
   * @param name what crashes, for the printed summary (e.g. "Broker crash")
   * @param timeout every call's timeout: long enough for the restart
   */
  public CallsThroughACrash(String name, Duration timeout) {
    this.name = name;
    this.timeout = timeout;
  }

  /**
   * Adds the rule that every call whose request the bus acknowledged ends with its reply. For a
   * restart much shorter than the timeout: such a call can then miss its deadline only if the bus
   * lost its request or its reply.
   */
  public CallsThroughACrash requireAReplyToEveryAcceptedRequest() {
    this.acceptedRequestsAreAnswered = true;
    return this;
  }

  /**
   * Excuses calls from the rules on accepted requests: {@code lostByTheServer} is asked once every
   * call has ended and names (by value) the calls whose request or reply the bus's server lost.
   */
  public CallsThroughACrash excusing(Supplier<Set<String>> lostByTheServer) {
    this.lostByTheServer = lostByTheServer;
    return this;
  }

  /**
   * Adds {@code diagnostics} to the message of a failed rule: what the bus's server knows of the
   * test's producers and consumers (connected, permits, unacknowledged, backlog), read when the
   * rule failed, so that a failure that cannot be reproduced at will can still be understood.
   */
  public CallsThroughACrash diagnosing(Supplier<String> diagnostics) {
    this.diagnostics = diagnostics;
    return this;
  }

  /** The calls' timeout, for the client's {@code replyTimeout}. */
  public Duration timeout() {
    return timeout;
  }

  /** The server's function: notes the request and answers "done " + it 20 ms later. */
  public Function<String, CompletableFuture<String>> handler() {
    return value -> {
      handled.add(value);
      return CompletableFuture.supplyAsync(
          () -> "done " + value,
          CompletableFuture.delayedExecutor(HANDLER_MILLIS, TimeUnit.MILLISECONDS));
    };
  }

  /** Notes the requests the bus acknowledged; otherwise the default behaviour. */
  public RequestCallBack<String> requestCallBack() {
    return new RequestCallBack<>() {
      @Override
      public void onSendRequestSuccess(String correlationId, MessageId id) {
        acceptedByTheBus.add(correlationId);
      }
    };
  }

  /** A server on {@code bus} that answers with {@link #handler()}. */
  public PulsarRpcServer<String, String> server(MessageBus bus, String requestTopic)
      throws PulsarRpcServerException {
    return PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(requestTopic)
        .requestSubscription(SERVER_SUBSCRIPTION)
        .build(bus, handler(), (id, value) -> {});
  }

  /** A client on {@code bus} with {@link #timeout()} and {@link #requestCallBack()}. */
  public PulsarRpcClient<String, String> client(
      MessageBus bus, String requestTopic, String replyTopic) throws PulsarRpcClientException {
    return PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
        .requestTopic(requestTopic)
        .replyTopic(replyTopic)
        .replySubscription(CLIENT_SUBSCRIPTION)
        .replyTimeout(timeout)
        .requestCallBack(requestCallBack())
        .build(bus);
  }

  /**
   * Starts 1 000 calls, runs {@code kill} once the bus accepted 100 of them, keeps starting a call
   * every 50 ms (at most 200) for {@code downtime} and then while {@code restart} runs, starts 100
   * more once it returned, and checks the rules. Prints the outcomes and timings.
   *
   * @param restart starts the process again; returns once it serves clients
   * @return how many calls ended with each outcome: "reply", or an error code's wire name
   */
  public Map<String, Integer> run(
      PulsarRpcClient<String, String> client, Runnable kill, Duration downtime, Runnable restart)
      throws Exception {
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < CALLS_IN_FLIGHT; i++) {
      calls.add(Call.start(client, "before-" + i));
    }
    // Not before the bus holds requests: some must be accepted and not yet handled at the kill.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> acceptedByTheBus.size() >= ACCEPTED_BEFORE_THE_KILL);
    kill.run();
    long killedAt = System.currentTimeMillis();
    int acceptedAtTheKill = acceptedByTheBus.size();
    int handledAtTheKill = handled.size();

    CompletableFuture<Long> restarted = null;
    int whileDown = 0;
    while (whileDown < MAX_CALLS_WHILE_DOWN && (restarted == null || !restarted.isDone())) {
      if (restarted == null && System.currentTimeMillis() - killedAt >= downtime.toMillis()) {
        restarted = restartTimed(restart);
      }
      calls.add(Call.start(client, "during-" + whileDown++));
      Thread.sleep(CALL_INTERVAL_MILLIS);
    }
    if (restarted == null) {
      restarted = restartTimed(restart);
    }
    long restartMillis = restarted.get(RESTART_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    long backAt = System.currentTimeMillis();
    for (int i = 0; i < CALLS_AFTER_THE_RESTART; i++) {
      calls.add(Call.start(client, "after-" + i));
    }

    Map<String, Integer> outcomes = new TreeMap<>();
    Map<String, String> firstFailures = new TreeMap<>();
    Map<String, String> acceptedButNotAnswered = new TreeMap<>();
    for (Call call : calls) {
      Outcome outcome = call.awaitOutcome(timeout);
      outcomes.merge(outcome.kind(), 1, Integer::sum);
      if (outcome.detail() != null) {
        firstFailures.putIfAbsent(outcome.kind(), outcome.detail());
      }
      if (!outcome.kind().equals("reply") && acceptedByTheBus.contains(call.value())) {
        acceptedButNotAnswered.put(call.value(), outcome.kind());
      }
    }
    long endedAt = System.currentTimeMillis();
    Set<String> lost = new TreeSet<>(lostByTheServer.get());
    System.out.printf(
        "%s: %d calls (%d in flight at the kill, %d while down or restarting, %d after), outcomes"
            + " %s; at the kill the bus had accepted %d requests and %d were handled; down for %d"
            + " ms (restart %d ms); last call ended %d ms after the restart; accepted calls"
            + " without reply %s, of which excused (the server lost their request or reply) %s%n",
        name,
        calls.size(),
        CALLS_IN_FLIGHT,
        whileDown,
        CALLS_AFTER_THE_RESTART,
        outcomes,
        acceptedAtTheKill,
        handledAtTheKill,
        backAt - killedAt,
        restartMillis,
        endedAt - backAt,
        acceptedButNotAnswered,
        acceptedButNotAnswered.keySet().stream().filter(lost::contains).toList());
    firstFailures.forEach((kind, detail) -> System.out.printf("  first %s: %s%n", kind, detail));

    try {
      checkRules(client, calls, outcomes, acceptedButNotAnswered, lost);
    } catch (AssertionError | ConditionTimeoutException failed) {
      throw new AssertionError(
          failed.getMessage()
              + "\n"
              + name
              + ": state when the rule failed (handled "
              + handled.size()
              + " of "
              + acceptedByTheBus.size()
              + " accepted):\n"
              + diagnostics.get(),
          failed);
    }
    return outcomes;
  }

  private void checkRules(
      PulsarRpcClient<String, String> client,
      List<Call> calls,
      Map<String, Integer> outcomes,
      Map<String, String> acceptedButNotAnswered,
      Set<String> lost) {
    assertThat(calls).allSatisfy(call -> call.assertEndedByItsDeadline());
    assertThat(outcomes.keySet())
        .allMatch(
            outcome ->
                outcome.equals("reply")
                    || outcome.equals(ErrorCode.DEADLINE_EXCEEDED.wireName())
                    || outcome.equals(ErrorCode.UNAVAILABLE.wireName()));
    assertThat(outcomes.get("reply")).isPositive();
    assertThat(client.pendingRequestSize()).isZero();
    if (acceptedRequestsAreAnswered) {
      acceptedButNotAnswered.keySet().removeAll(lost);
      assertThat(acceptedButNotAnswered).as("calls the bus accepted that got no reply").isEmpty();
    }
    Set<String> toBeHandled = new TreeSet<>(acceptedByTheBus);
    toBeHandled.removeAll(lost);
    await().atMost(timeout).untilAsserted(() -> assertThat(handled).containsAll(toBeHandled));
  }

  /** Runs {@code restart} on another thread; completes with how long it took. */
  private static CompletableFuture<Long> restartTimed(Runnable restart) {
    return CompletableFuture.supplyAsync(
        () -> {
          long start = System.currentTimeMillis();
          restart.run();
          return System.currentTimeMillis() - start;
        });
  }

  /** How one call ended: "reply" or an error code's wire name, and the error's message. */
  private record Outcome(String kind, String detail) {}

  /** One call, when it started, and how it ended. */
  private record Call(String value, long startedAt, CompletableFuture<String> future) {

    static Call start(PulsarRpcClient<String, String> client, String value) {
      return new Call(value, System.currentTimeMillis(), client.requestAsync(value, value));
    }

    /** Waits at most until just past the call's deadline. */
    Outcome awaitOutcome(Duration timeout) throws InterruptedException {
      long waitUntil = startedAt + timeout.toMillis() + DEADLINE_SLACK_MILLIS;
      try {
        String reply =
            future.get(Math.max(1, waitUntil - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        assertThat(reply).isEqualTo("done " + value);
        return new Outcome("reply", null);
      } catch (ExecutionException e) {
        return e.getCause() instanceof PulsarRpcClientException rpc
            ? new Outcome(rpc.code().wireName(), rpc.getMessage())
            : new Outcome("unexpected " + e.getCause(), null);
      } catch (TimeoutException e) {
        return new Outcome("hung past its deadline", value);
      }
    }

    void assertEndedByItsDeadline() {
      assertThat(future).as("call %s", value).isDone();
    }
  }
}
