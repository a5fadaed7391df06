package io.pulsarrpc.observability;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RpcTracingTest extends RpcFixture {

  private final RecordedSpans spans = new RecordedSpans();
  private final OpenTelemetry openTelemetry = spans.openTelemetry();

  @AfterEach
  void closeOpenTelemetry() {
    spans.close();
  }

  @Test
  void theServerSpanIsAChildOfTheClientSpanInTheSameTrace() throws Exception {
    String topic = newTopic("greetings");
    Map<String, String> seenByHandler = new ConcurrentHashMap<>();
    server(
        topic,
        "greeter",
        (context, name) -> {
          seenByHandler.putAll(context.metadata());
          seenByHandler.put("current-span", Span.current().getSpanContext().getSpanId());
          return completedFuture("hello " + name);
        },
        RpcTracing.serverInterceptor(openTelemetry));
    PulsarRpcClient<String, String> client =
        client(topic, RpcTracing.clientInterceptor(openTelemetry, topic));

    assertThat(client.request("call-1", "ada")).isEqualTo("hello ada");

    SpanData clientSpan = finishedSpan(SpanKind.CLIENT);
    SpanData serverSpan = finishedSpan(SpanKind.SERVER);
    assertThat(serverSpan.getTraceId()).isEqualTo(clientSpan.getTraceId());
    assertThat(serverSpan.getParentSpanId()).isEqualTo(clientSpan.getSpanId());
    assertThat(clientSpan.getName()).isEqualTo(topic + " request");
    assertThat(serverSpan.getName()).isEqualTo(topic + " handle");
    assertThat(clientSpan.getAttributes().get(AttributeKey.stringKey("pulsar_rpc.correlation_id")))
        .isEqualTo("call-1");
    assertThat(serverSpan.getAttributes().get(AttributeKey.stringKey("pulsar_rpc.subscription")))
        .isEqualTo("greeter");
    assertThat(clientSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(seenByHandler)
        .containsKey("traceparent")
        .containsEntry("current-span", serverSpan.getSpanId());
  }

  @Test
  void theClientSpanIsAChildOfTheCallersCurrentSpan() throws Exception {
    String topic = newTopic("nested");
    server(topic, "echo", (context, value) -> completedFuture(value));
    PulsarRpcClient<String, String> client =
        client(topic, RpcTracing.clientInterceptor(openTelemetry, topic));
    Span outer = openTelemetry.getTracer("test").spanBuilder("checkout").startSpan();

    try (Scope ignored = outer.makeCurrent()) {
      client.request("x");
    } finally {
      outer.end();
    }

    SpanData clientSpan = finishedSpan(SpanKind.CLIENT);
    assertThat(clientSpan.getParentSpanId()).isEqualTo(outer.getSpanContext().getSpanId());
  }

  @Test
  void aFailedCallMarksBothSpansAsErrorsWithTheCode() throws Exception {
    String topic = newTopic("orders");
    server(
        topic,
        "orders",
        (context, order) -> {
          throw new RpcException(ErrorCode.PERMISSION_DENIED, "not yours");
        },
        RpcTracing.serverInterceptor(openTelemetry));
    PulsarRpcClient<String, String> client =
        client(topic, RpcTracing.clientInterceptor(openTelemetry, topic));

    assertThatThrownBy(() -> client.request("x")).isInstanceOf(PulsarRpcClientException.class);

    for (SpanData span : List.of(finishedSpan(SpanKind.CLIENT), finishedSpan(SpanKind.SERVER))) {
      assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(span.getAttributes().get(AttributeKey.stringKey("pulsar_rpc.error_code")))
          .isEqualTo("permission_denied");
      assertThat(span.getEvents()).anyMatch(event -> event.getName().equals("exception"));
    }
  }

  @Test
  void aRequestWithoutTraceContextGetsARootServerSpan() throws Exception {
    String topic = newTopic("untraced");
    server(
        topic,
        "echo",
        (context, value) -> completedFuture(value),
        RpcTracing.serverInterceptor(openTelemetry));
    PulsarRpcClient<String, String> client = client(topic);

    client.request("x");

    assertThat(finishedSpan(SpanKind.SERVER).getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void factoriesRejectMissingArguments() {
    assertThatThrownBy(() -> RpcTracing.clientInterceptor(null, "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("openTelemetry");
    assertThatThrownBy(() -> RpcTracing.clientInterceptor(openTelemetry, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestTopic");
    assertThatThrownBy(() -> RpcTracing.serverInterceptor(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("openTelemetry");
  }

  @Test
  void aMultiCallHasOneClientSpanWithAnEventPerResponseAndEachServerSpanIsItsChild()
      throws Exception {
    String topic = newTopic("census");
    for (String group : List.of("north", "south")) {
      server(
          topic,
          group,
          (context, value) -> completedFuture(group),
          RpcTracing.serverInterceptor(openTelemetry));
    }
    PulsarRpcClient<String, String> client =
        client(topic, RpcTracing.clientInterceptor(openTelemetry, topic));

    assertThat(client.requestAll("count", RequestOptions.defaults().withExpectedServers(2)))
        .hasSize(2);

    SpanData clientSpan = finishedSpan(SpanKind.CLIENT);
    assertThat(clientSpan.getName()).isEqualTo(topic + " request all");
    assertThat(clientSpan.getAttributes().get(AttributeKey.longKey("pulsar_rpc.responses")))
        .isEqualTo(2L);
    assertThat(clientSpan.getEvents())
        .extracting(event -> event.getAttributes().get(AttributeKey.stringKey("pulsar_rpc.server")))
        .containsExactlyInAnyOrder("north", "south");
    await()
        .atMost(10, SECONDS)
        .untilAsserted(
            () ->
                assertThat(spans.finished())
                    .filteredOn(span -> span.getKind() == SpanKind.SERVER)
                    .hasSize(2)
                    .allSatisfy(
                        span ->
                            assertThat(span.getParentSpanId()).isEqualTo(clientSpan.getSpanId())));
  }

  private SpanData finishedSpan(SpanKind kind) {
    return await()
        .atMost(10, SECONDS)
        .until(
            () ->
                spans.finished().stream()
                    .filter(span -> span.getKind() == kind)
                    .findFirst()
                    .orElse(null),
            span -> span != null);
  }
}
