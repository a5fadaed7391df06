package io.pulsarrpc.observability;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RetryInterceptor;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The retry interceptor against a real server, with metrics of each attempt behind it. */
class RetryThroughAServerTest extends RpcFixture {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final RetryInterceptor retries =
      RetryInterceptor.builder()
          .initialBackoff(Duration.ofMillis(20))
          .maxBackoff(Duration.ofMillis(50))
          .build();

  @Test
  void aServerUnavailableTwiceAnswersTheThirdAttempt() throws Exception {
    String topic = newTopic("flaky");
    List<String> idsSeen = new CopyOnWriteArrayList<>();
    server(
        topic,
        "flaky",
        (context, value) -> {
          idsSeen.add(context.correlationId());
          if (idsSeen.size() <= 2) {
            throw new RpcException(ErrorCode.UNAVAILABLE, "warming up");
          }
          return completedFuture("ok " + value);
        });
    PulsarRpcClient<String, String> client =
        client(topic, retries, RpcMetrics.clientInterceptor(registry, topic));

    assertThat(client.request("call-1", "x")).isEqualTo("ok x");

    assertThat(idsSeen).containsExactly("call-1", "call-1-retry-1", "call-1-retry-2");
    await()
        .atMost(10, SECONDS)
        .untilAsserted(
            () -> {
              assertThat(attempts(topic, "unavailable")).isEqualTo(2);
              assertThat(attempts(topic, "ok")).isEqualTo(1);
            });
  }

  @Test
  void aNonRetryableErrorFromTheServerIsNotRetried() throws Exception {
    String topic = newTopic("strict");
    List<String> idsSeen = new CopyOnWriteArrayList<>();
    server(
        topic,
        "strict",
        (context, value) -> {
          idsSeen.add(context.correlationId());
          throw new RpcException(ErrorCode.INVALID_ARGUMENT, "no");
        });
    PulsarRpcClient<String, String> client = client(topic, retries);

    assertThatThrownBy(() -> client.request("call-2", "x"))
        .isInstanceOf(PulsarRpcClientException.class)
        .satisfies(
            e ->
                assertThat(((PulsarRpcClientException) e).code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThat(idsSeen).containsExactly("call-2");
  }

  private double attempts(String topic, String code) {
    var counter =
        registry.find(RpcMetrics.CLIENT_CALLS).tags("topic", topic, "code", code).counter();
    return counter == null ? 0 : counter.count();
  }
}
