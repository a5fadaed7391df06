package io.pulsarrpc.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.pulsarrpc.client.PulsarRpcStreamClient;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.server.PulsarRpcStreamServer;
import io.pulsarrpc.stream.RpcStream;
import io.pulsarrpc.stream.StreamCall;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.stream.StreamInterceptor;
import io.pulsarrpc.stream.StreamOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stream metrics and tracing on real streams over the in-memory bus. */
class StreamObservabilityTest extends RpcFixture {

  private final RecordedSpans spans = new RecordedSpans();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void closeOpenTelemetry() {
    spans.close();
  }

  @Test
  void metricsCountEachSideStreamsAndMessagesByDirection() throws Exception {
    String topic = newTopic("chat");
    StreamInterceptor metrics = RpcMetrics.streamInterceptor(registry);
    RpcStream<String, String> client = converse(topic, metrics, metrics, 3);

    assertThat(registry.get(RpcMetrics.STREAM_IN_FLIGHT).tag("side", "client").gauge().value())
        .isEqualTo(1);
    client.close();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        registry
                            .get(RpcMetrics.STREAM_CALLS)
                            .tags("side", "server", "outcome", "success", "code", "ok")
                            .counter()
                            .count())
                    .isEqualTo(1));
    assertThat(
            registry
                .get(RpcMetrics.STREAM_CALLS)
                .tags("topic", topic, "side", "client", "outcome", "success")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(messages("client", "sent")).isEqualTo(3);
    assertThat(messages("server", "received")).isEqualTo(3);
    assertThat(messages("server", "sent")).isEqualTo(3);
    assertThat(messages("client", "received")).isEqualTo(3);
    assertThat(registry.get(RpcMetrics.STREAM_IN_FLIGHT).tag("side", "client").gauge().value())
        .isZero();
    assertThat(registry.get(RpcMetrics.STREAM_DURATION).tag("side", "client").timer().count())
        .isEqualTo(1);
  }

  @Test
  void aStreamClosedWithAnErrorIsCountedUnderItsCode() throws Exception {
    String topic = newTopic("chat");
    StreamInterceptor metrics = RpcMetrics.streamInterceptor(registry);
    RpcStream<String, String> client = converse(topic, metrics, metrics, 1);

    client.closeAsync(new RpcException(ErrorCode.PERMISSION_DENIED, "not yours")).get();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        registry
                            .get(RpcMetrics.STREAM_CALLS)
                            .tags("side", "server", "outcome", "error")
                            .tag("code", "permission_denied")
                            .counter()
                            .count())
                    .isEqualTo(1));
  }

  @Test
  void eachSideTracesTheStreamAsOneSpanWithAnEventPerMessage() throws Exception {
    String topic = newTopic("chat");
    StreamInterceptor tracing = RpcTracing.streamInterceptor(spans.openTelemetry());
    RpcStream<String, String> client = converse(topic, tracing, tracing, 2);

    client.close();

    SpanData clientSpan = finishedSpan(SpanKind.CLIENT);
    SpanData serverSpan = finishedSpan(SpanKind.SERVER);
    for (SpanData span : List.of(clientSpan, serverSpan)) {
      assertThat(span.getName()).isEqualTo(topic + " stream");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("pulsar_rpc.stream_id")))
          .isEqualTo(client.streamId());
      assertThat(span.getAttributes().get(AttributeKey.longKey("pulsar_rpc.messages_sent")))
          .isEqualTo(2);
      assertThat(span.getAttributes().get(AttributeKey.longKey("pulsar_rpc.messages_received")))
          .isEqualTo(2);
      assertThat(span.getEvents()).extracting(EventData::getName).contains("sent", "received");
      assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }
    assertThat(serverSpan.getAttributes().get(AttributeKey.booleanKey("pulsar_rpc.closed_by_peer")))
        .isTrue();
  }

  @Test
  void aMessageIsCountedEvenWhenThePeerClosesBeforeItsSendReturns() {
    // What a fast peer does: it has the message, answers and closes, and this side's close ends
    // the span (and the stream's meters), all before the thread that sent the message comes back.
    StreamCall call =
        new StreamCall(
            "stream-1", "chat", null, StreamCall.Side.SERVER, "client-1", Map.of(), Instant.now());
    StreamClosedException closedByPeer =
        new StreamClosedException(ErrorCode.CANCELED, "closed by the client", true);
    StreamInterceptor tracing = RpcTracing.streamInterceptor(spans.openTelemetry());
    StreamInterceptor metrics = RpcMetrics.streamInterceptor(registry);
    List<Double> countedAtTheClose = new ArrayList<>();
    for (StreamInterceptor interceptor : List.of(tracing, metrics)) {
      interceptor.interceptOpen(call);
      interceptor.interceptSend(
          call,
          "echo m0",
          message -> {
            interceptor.interceptClose(call, closedByPeer);
            if (interceptor == metrics) {
              countedAtTheClose.add(messages("server", "sent"));
            }
            return CompletableFuture.completedFuture(null);
          });
    }

    SpanData span = finishedSpan(SpanKind.SERVER);
    assertThat(span.getAttributes().get(AttributeKey.longKey("pulsar_rpc.messages_sent")))
        .isEqualTo(1);
    assertThat(span.getEvents()).extracting(EventData::getName).containsExactly("sent");
    assertThat(countedAtTheClose).containsExactly(1.0);
  }

  @Test
  void theServerSpanIsAChildOfATraceContextInTheOpenMetadata() throws Exception {
    String topic = newTopic("chat");
    StreamInterceptor tracing = RpcTracing.streamInterceptor(spans.openTelemetry());
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "00f067aa0ba902b7";
    RpcStream<String, String> client =
        openedStream(
            topic,
            tracing,
            tracing,
            StreamOptions.defaults()
                .withMetadata(Map.of("traceparent", "00-" + traceId + "-" + parentId + "-01")));

    client.close();

    SpanData serverSpan = finishedSpan(SpanKind.SERVER);
    assertThat(serverSpan.getTraceId()).isEqualTo(traceId);
    assertThat(serverSpan.getParentSpanId()).isEqualTo(parentId);
  }

  @Test
  void aStreamEndedByAnErrorMarksBothSpans() throws Exception {
    String topic = newTopic("chat");
    StreamInterceptor tracing = RpcTracing.streamInterceptor(spans.openTelemetry());
    RpcStream<String, String> client = converse(topic, tracing, tracing, 1);

    client.closeAsync(new RpcException(ErrorCode.PERMISSION_DENIED, "not yours")).get();

    for (SpanData span : List.of(finishedSpan(SpanKind.CLIENT), finishedSpan(SpanKind.SERVER))) {
      assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(span.getAttributes().get(AttributeKey.stringKey("pulsar_rpc.error_code")))
          .isEqualTo("permission_denied");
    }
  }

  /** Opens a stream to an echo server and exchanges {@code messages} each way; stays open. */
  private RpcStream<String, String> converse(
      String topic, StreamInterceptor onClient, StreamInterceptor onServer, int messages)
      throws Exception {
    RpcStream<String, String> stream =
        openedStream(topic, onClient, onServer, StreamOptions.defaults());
    for (int i = 0; i < messages; i++) {
      stream.sendAsync("m" + i).get(30, TimeUnit.SECONDS);
      assertThat(stream.receiveAsync().get(30, TimeUnit.SECONDS)).isEqualTo("echo m" + i);
    }
    return stream;
  }

  private RpcStream<String, String> openedStream(
      String topic, StreamInterceptor onClient, StreamInterceptor onServer, StreamOptions options)
      throws Exception {
    PulsarRpcStreamServer<String, String> server =
        PulsarRpcStreamServer.builder(Schema.STRING, Schema.STRING)
            .requestTopic(topic)
            .subscription("echo")
            .intercept(onServer)
            .handler(StreamObservabilityTest::echo)
            .build(bus());
    closeAfter(server);
    PulsarRpcStreamClient<String, String> client =
        PulsarRpcStreamClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(topic)
            .intercept(onClient)
            .build(bus());
    closeAfter(client);
    return client.openAsync(options).get(30, TimeUnit.SECONDS);
  }

  private static void echo(RpcStream<String, String> stream) {
    try {
      while (true) {
        stream.send("echo " + stream.receive());
      }
    } catch (StreamClosedException closed) {
      // The client hung up: the stream's end.
    }
  }

  private double messages(String side, String direction) {
    return registry
        .get(RpcMetrics.STREAM_MESSAGES)
        .tags("side", side, "direction", direction)
        .counter()
        .count();
  }

  private SpanData finishedSpan(SpanKind kind) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> spans.finished().stream().filter(s -> s.getKind() == kind).findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }
}
