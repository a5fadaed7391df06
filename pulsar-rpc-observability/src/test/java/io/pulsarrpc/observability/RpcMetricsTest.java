package io.pulsarrpc.observability;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RpcMetricsTest extends RpcFixture {

  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aSuccessfulCallIsCountedAndTimedOnBothSides() throws Exception {
    String topic = newTopic("greetings");
    server(topic, "greeter", (context, name) -> completedFuture("hello " + name), serverMetrics());
    PulsarRpcClient<String, String> client = client(topic, clientMetrics(topic));

    assertThat(client.request("ada")).isEqualTo("hello ada");

    await()
        .atMost(10, SECONDS)
        .untilAsserted(
            () -> {
              assertThat(clientCalls(topic, "success", "ok")).isEqualTo(1);
              assertThat(serverCalls("greeter", topic, "success", "ok")).isEqualTo(1);
            });
    assertThat(
            registry
                .get(RpcMetrics.CLIENT_DURATION)
                .tags("topic", topic, "outcome", "success", "code", "ok")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(RpcMetrics.SERVER_DURATION)
                .tags("subscription", "greeter", "topic", topic, "outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void failedCallsAreCountedUnderTheirErrorCodeOnBothSides() throws Exception {
    String topic = newTopic("orders");
    server(
        topic,
        "orders",
        (context, order) -> {
          if (order.equals("missing")) {
            throw new RpcException(ErrorCode.NOT_FOUND, "no order " + order);
          }
          throw new IllegalStateException("bug");
        },
        serverMetrics());
    PulsarRpcClient<String, String> client = client(topic, clientMetrics(topic));

    assertThatThrownBy(() -> client.request("missing"))
        .isInstanceOf(PulsarRpcClientException.class);
    assertThatThrownBy(() -> client.request("other")).isInstanceOf(PulsarRpcClientException.class);

    await()
        .atMost(10, SECONDS)
        .untilAsserted(
            () -> {
              assertThat(clientCalls(topic, "error", "not_found")).isEqualTo(1);
              assertThat(clientCalls(topic, "error", "internal")).isEqualTo(1);
              assertThat(serverCalls("orders", topic, "error", "not_found")).isEqualTo(1);
              assertThat(serverCalls("orders", topic, "error", "internal")).isEqualTo(1);
            });
    assertThat(registry.find(RpcMetrics.CLIENT_CALLS).tag("outcome", "success").counter()).isNull();
  }

  @Test
  void theInFlightGaugesRiseDuringACallAndFallBackToZero() throws Exception {
    String topic = newTopic("slow");
    CompletableFuture<String> gate = new CompletableFuture<>();
    server(topic, "slow", (context, value) -> gate, serverMetrics());
    PulsarRpcClient<String, String> client = client(topic, clientMetrics(topic));

    CompletableFuture<String> call = client.requestAsync("x");

    await().atMost(10, SECONDS).until(() -> serverInFlight(topic) == 1);
    assertThat(clientInFlight(topic)).isEqualTo(1);
    gate.complete("done");
    assertThat(call.get(10, SECONDS)).isEqualTo("done");
    await()
        .atMost(10, SECONDS)
        .untilAsserted(
            () -> {
              assertThat(clientInFlight(topic)).isZero();
              assertThat(serverInFlight(topic)).isZero();
            });
  }

  @Test
  void twoClientsOfOneTopicOnOneRegistryAddUp() throws Exception {
    String topic = newTopic("shared");
    server(topic, "echo", (context, value) -> completedFuture(value));
    PulsarRpcClient<String, String> first = client(topic, clientMetrics(topic));
    PulsarRpcClient<String, String> second = client(topic, clientMetrics(topic));

    first.request("a");
    second.request("b");

    await().atMost(10, SECONDS).until(() -> clientCalls(topic, "success", "ok") == 2);
  }

  @Test
  void aMultiCallIsCountedOnceAndEachOfItsResponsesByServerGroup() throws Exception {
    String topic = newTopic("census");
    server(topic, "north", (context, value) -> completedFuture("n"));
    server(
        topic,
        "south",
        (context, value) ->
            CompletableFuture.failedFuture(new RpcException(ErrorCode.NOT_FOUND, "no")));
    PulsarRpcClient<String, String> client = client(topic, clientMetrics(topic));

    assertThat(client.requestAll("count", RequestOptions.defaults().withExpectedServers(2)))
        .hasSize(2);

    await()
        .atMost(10, SECONDS)
        .untilAsserted(
            () -> {
              assertThat(multiCalls(topic, "success", "ok")).isEqualTo(1);
              assertThat(responses(topic, "north", "success", "ok")).isEqualTo(1);
              assertThat(responses(topic, "south", "error", "not_found")).isEqualTo(1);
            });
    assertThat(clientCalls(topic, "success", "ok")).isZero();
    assertThat(registry.get(RpcMetrics.CLIENT_MULTI_IN_FLIGHT).tags("topic", topic).gauge().value())
        .isZero();
  }

  @Test
  void factoriesRejectMissingArguments() {
    assertThatThrownBy(() -> RpcMetrics.clientInterceptor(null, "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry");
    assertThatThrownBy(() -> RpcMetrics.clientInterceptor(registry, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestTopic");
    assertThatThrownBy(() -> RpcMetrics.serverInterceptor(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry");
  }

  private io.pulsarrpc.client.ClientInterceptor clientMetrics(String topic) {
    return RpcMetrics.clientInterceptor(registry, topic);
  }

  private io.pulsarrpc.server.ServerInterceptor serverMetrics() {
    return RpcMetrics.serverInterceptor(registry);
  }

  private double clientCalls(String topic, String outcome, String code) {
    var counter =
        registry
            .find(RpcMetrics.CLIENT_CALLS)
            .tags("topic", topic, "outcome", outcome, "code", code)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private double multiCalls(String topic, String outcome, String code) {
    var counter =
        registry
            .find(RpcMetrics.CLIENT_MULTI_CALLS)
            .tags("topic", topic, "outcome", outcome, "code", code)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private double responses(String topic, String server, String outcome, String code) {
    var counter =
        registry
            .find(RpcMetrics.CLIENT_MULTI_RESPONSES)
            .tags("topic", topic, "server", server, "outcome", outcome, "code", code)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private double serverCalls(String subscription, String topic, String outcome, String code) {
    var counter =
        registry
            .find(RpcMetrics.SERVER_CALLS)
            .tags("subscription", subscription, "topic", topic, "outcome", outcome, "code", code)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private double clientInFlight(String topic) {
    return registry.get(RpcMetrics.CLIENT_IN_FLIGHT).tags("topic", topic).gauge().value();
  }

  private double serverInFlight(String topic) {
    var gauge = registry.find(RpcMetrics.SERVER_IN_FLIGHT).tags("topic", topic).gauge();
    return gauge == null ? 0 : gauge.value();
  }
}
