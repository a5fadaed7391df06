package io.pulsarrpc.observability;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Metrics and tracing on a real Pulsar broker: the trace context crosses as message properties. */
@ExtendWith(TestBrokersExtension.class)
class ObservabilityIT extends RpcFixture {

  private final PulsarTestBroker broker;
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final RecordedSpans spans = new RecordedSpans();
  private final OpenTelemetry openTelemetry = spans.openTelemetry();

  ObservabilityIT(PulsarTestBroker broker) {
    this.broker = broker;
  }

  /** A bus on the broker's client, which stays open when the bus closes. */
  @Override
  protected MessageBus newBus() {
    return PulsarMessageBus.create(broker.client());
  }

  @Override
  protected String newTopic(String name) {
    return broker.newTopic(name);
  }

  @Test
  void callsOverPulsarAreMeasuredAndTracedOnBothSides() throws Exception {
    String topic = newTopic("observed");
    server(
        topic,
        "observed",
        (context, value) -> {
          if (value.equals("bad")) {
            throw new RpcException(ErrorCode.INVALID_ARGUMENT, "bad value");
          }
          return completedFuture("ok " + value);
        },
        RpcTracing.serverInterceptor(openTelemetry),
        RpcMetrics.serverInterceptor(registry));
    PulsarRpcClient<String, String> client =
        client(
            topic,
            RpcMetrics.clientInterceptor(registry, topic),
            RpcTracing.clientInterceptor(openTelemetry, topic));

    assertThat(client.request("good-1", "x")).isEqualTo("ok x");
    assertThatThrownBy(() -> client.request("bad-1", "bad"))
        .isInstanceOf(PulsarRpcClientException.class);

    await()
        .atMost(30, SECONDS)
        .untilAsserted(
            () -> {
              assertThat(count(RpcMetrics.CLIENT_CALLS, "ok")).isEqualTo(1);
              assertThat(count(RpcMetrics.CLIENT_CALLS, "invalid_argument")).isEqualTo(1);
              assertThat(count(RpcMetrics.SERVER_CALLS, "ok")).isEqualTo(1);
              assertThat(count(RpcMetrics.SERVER_CALLS, "invalid_argument")).isEqualTo(1);
              assertThat(spans.finished()).hasSize(4);
            });
    assertThat(registry.get(RpcMetrics.SERVER_CALLS).counter().getId().getTag("subscription"))
        .isEqualTo("observed");
    for (String id : List.of("good-1", "bad-1")) {
      SpanData clientSpan = span(SpanKind.CLIENT, id);
      SpanData serverSpan = span(SpanKind.SERVER, id);
      assertThat(serverSpan.getTraceId()).isEqualTo(clientSpan.getTraceId());
      assertThat(serverSpan.getParentSpanId()).isEqualTo(clientSpan.getSpanId());
    }
    assertThat(span(SpanKind.SERVER, "bad-1").getStatus().getStatusCode())
        .isEqualTo(StatusCode.ERROR);
  }

  @AfterEach
  void closeOpenTelemetry() {
    spans.close();
  }

  private double count(String name, String code) {
    var counter = registry.find(name).tag("code", code).counter();
    return counter == null ? 0 : counter.count();
  }

  private SpanData span(SpanKind kind, String correlationId) {
    return spans.finished().stream()
        .filter(span -> span.getKind() == kind)
        .filter(span -> correlationId.equals(span.getAttributes().get(RpcTracing.CORRELATION_ID)))
        .findFirst()
        .orElseThrow();
  }
}
