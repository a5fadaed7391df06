package io.pulsarrpc.examples;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.server.PulsarRpcServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.pulsar.client.api.Schema;

/**
 * The README's demo: an inventory service answered by two servers, one per region, over a bus
 * chosen with {@code --bus}: by default a real Pulsar broker (the one named by {@code
 * PULSAR_SERVICE_URL}, or else an embedded one started by the testkit). It shows a blocking call,
 * asynchronous calls, a multi-call that gathers the answer of each server, an error reply, and a
 * call that times out while the servers roll their late work back.
 */
public final class Demo {

  private static final Duration SLOW_WORK = Duration.ofSeconds(2);

  private final PrintStream out;
  private final CountDownLatch rollBacks = new CountDownLatch(2);

  Demo(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the demo and exits with status 0 when every step behaved as described, 1 otherwise, 2 on a
   * usage error.
   *
   * @param args {@code --bus pulsar|redis|nats|memory} (default {@code pulsar})
   */
  public static void main(String[] args) throws Exception {
    QuietOpenTelemetry.apply();
    PrintStream out = System.out;
    String busName = DemoBus.nameFromArgumentsOrExit(args);
    out.println("pulsar-rpc demo");
    boolean ok;
    try (DemoBus demoBus = DemoBus.open(busName, out)) {
      ok = new Demo(out).run(demoBus.bus(), demoBus::newTopic);
    }
    System.exit(ok ? 0 : 1);
  }

  /**
   * Runs every step over {@code bus}, naming topics with {@code newTopic}; true when each behaved
   * as described.
   */
  boolean run(MessageBus bus, UnaryOperator<String> newTopic) throws Exception {
    String requestTopic = newTopic.apply("inventory-requests");
    out.println();
    out.println("Over the " + bus.name() + " bus, two servers consume " + requestTopic);
    out.println("on different subscriptions, so each answers every request (fan-out):");
    out.println(
        "  inventory-eu has 12 widgets, inventory-us has 7; both take 2 s to look up 'gizmo'.");
    try (PulsarRpcServer<String, String> eu = server(bus, requestTopic, "inventory-eu", 12);
        PulsarRpcServer<String, String> us = server(bus, requestTopic, "inventory-us", 7);
        PulsarRpcClient<String, String> client =
            client(bus, requestTopic, newTopic.apply("inventory-replies"), "shop")) {
      boolean ok = blockingCall(client);
      ok &= asynchronousCalls(client);
      ok &= multiCall(client);
      ok &= errorReply(client);
      ok &= timeoutWithRollBack(client);
      out.println();
      out.println(ok ? "Demo finished: every step behaved as described." : "Demo FAILED.");
      return ok;
    }
  }

  private boolean blockingCall(PulsarRpcClient<String, String> client) throws Exception {
    step("1. A blocking call: client.request(\"call-1\", \"widget\")");
    String reply = client.request("call-1", "widget");
    out.println("   -> \"" + reply + "\"");
    out.println("   The default callback completes a call with its first reply.");
    return reply.endsWith("widgets in stock");
  }

  private boolean asynchronousCalls(PulsarRpcClient<String, String> client) throws Exception {
    step("2. Three asynchronous calls in flight at once: client.requestAsync(...)");
    List<CompletableFuture<String>> calls =
        List.of(
            client.requestAsync("call-2a", "widget"),
            client.requestAsync("call-2b", "widget"),
            client.requestAsync("call-2c", "widget"));
    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    for (CompletableFuture<String> call : calls) {
      out.println("   -> \"" + call.get() + "\"");
    }
    return calls.stream().allMatch(call -> call.join().endsWith("widgets in stock"));
  }

  private boolean multiCall(PulsarRpcClient<String, String> client) throws Exception {
    step("3. A multi-call: client.requestAll(\"widget\") gathers the answer of every region");
    out.println("   Each server claims the call on receipt, so the client knows how many answers");
    out.println("   to wait for and completes as soon as they came.");
    List<Response<String>> responses =
        client.requestAll("widget", RequestOptions.defaults().withCorrelationId("call-3"));
    long answered = responses.stream().filter(Response::isSuccess).count();
    out.println(
        "   -> " + responses.size() + " servers claimed the call, " + answered + " answered:");
    for (Response<String> response : responses) {
      out.println(
          "      "
              + response.server()
              + ": "
              + (response.isSuccess()
                  ? "\"" + response.value() + "\""
                  : response.error().code().wireName()));
    }
    return answered == 2
        && responses.stream()
            .map(Response::server)
            .toList()
            .containsAll(List.of("inventory-eu", "inventory-us"));
  }

  private boolean errorReply(PulsarRpcClient<String, String> client) {
    step(
        "4. An item the servers do not know: the handler throws, the caller gets its code and message");
    try {
      client.request("call-4", "sprocket");
      out.println("   -> unexpectedly answered");
      return false;
    } catch (PulsarRpcClientException.ReplyErrorException e) {
      out.println(
          "   -> "
              + e.code().wireName()
              + " from "
              + e.serverSubscription()
              + ": \""
              + e.errorMessage()
              + "\"");
      return e.code() == ErrorCode.NOT_FOUND && e.errorMessage().contains("sprocket");
    } catch (PulsarRpcClientException e) {
      out.println("   -> unexpected failure: " + e);
      return false;
    }
  }

  private boolean timeoutWithRollBack(PulsarRpcClient<String, String> client) throws Exception {
    step("5. A call with a 1 s timeout to work that takes 2 s: the caller times out");
    out.println("   and each server, finishing after the deadline, rolls back instead of replying");
    try {
      client.request(
          "gizmo",
          RequestOptions.defaults().withCorrelationId("call-5").withTimeout(Duration.ofSeconds(1)));
      out.println("   -> unexpectedly answered");
      return false;
    } catch (PulsarRpcClientException.TimeoutException e) {
      out.println("   -> " + e.getMessage());
    }
    boolean rolledBack = rollBacks.await(30, TimeUnit.SECONDS);
    if (!rolledBack) {
      out.println("   -> the servers did not roll back");
    }
    return rolledBack;
  }

  private PulsarRpcServer<String, String> server(
      MessageBus bus, String requestTopic, String region, int widgets) throws Exception {
    Map<String, Integer> stock = Map.of("widget", widgets, "gizmo", 3);
    return PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(requestTopic)
        .requestSubscription(region)
        .build(
            bus,
            item -> {
              Integer count = stock.get(item);
              if (count == null) {
                throw new RpcException(
                    ErrorCode.NOT_FOUND, region + " has never heard of a " + item);
              }
              String answer = region + ": " + count + " " + item + "s in stock";
              if (item.equals("gizmo")) {
                return CompletableFuture.supplyAsync(
                    () -> answer,
                    CompletableFuture.delayedExecutor(SLOW_WORK.toMillis(), TimeUnit.MILLISECONDS));
              }
              return CompletableFuture.completedFuture(answer);
            },
            (correlationId, item) -> {
              out.println(
                  "   ["
                      + region
                      + "] rolled back its work on "
                      + correlationId
                      + " ("
                      + item
                      + "): the caller had given up");
              rollBacks.countDown();
            });
  }

  private static PulsarRpcClient<String, String> client(
      MessageBus bus, String requestTopic, String replyTopic, String subscription)
      throws Exception {
    return PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
        .requestTopic(requestTopic)
        .replyTopic(replyTopic)
        .replySubscription(subscription)
        .replyTimeout(Duration.ofSeconds(30))
        .build(bus);
  }

  private void step(String title) {
    out.println();
    out.println(title);
  }
}
